-- Months of decided_at whose decisions differ from what the last cost run saw (count and
-- sum of decision times, read from the one decided_at column), new months included, and
-- months that have since lost all their decisions. The 64-bit sums go out as text: a
-- JavaScript number would round them, and every month would look changed next run.
WITH
    cur AS (
        SELECT toYYYYMM(decided_at) AS month, count() AS decisions, sum(toUnixTimestamp64Milli(decided_at)) AS stamp_sum
        FROM decision_facts
        WHERE decided_at <= {asOf:DateTime64(3)}
        GROUP BY month
    ),
    prev AS (
        SELECT month, decisions, stamp_sum FROM cost_months FINAL
    )
SELECT if(c.month != 0, c.month, p.month) AS month, toString(c.decisions) AS decisions, toString(c.stamp_sum) AS stamp_sum,
       c.month != 0 AS present, if(c.month = 0, p.decisions != 0, p.month = 0 OR c.decisions != p.decisions OR c.stamp_sum != p.stamp_sum) AS changed
FROM cur AS c
FULL OUTER JOIN prev AS p ON p.month = c.month
SETTINGS join_use_nulls = 0
