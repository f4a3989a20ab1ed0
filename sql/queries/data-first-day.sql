-- The first UTC day with a sale or a return: where "all time" starts. Read from the
-- hourly roll-ups (one row per hour at most once merged), never from the raw events.
-- hours = 0 on an empty store, where min() gives 1970-01-01.
SELECT toString(toDate(min(hour))) AS first_day, count() AS hours
FROM
(
    SELECT hour FROM hourly_sales
    UNION ALL
    SELECT hour FROM hourly_returns
)
