-- How a period's per-SKU sums split between sku_months (one row per SKU and month) and
-- the daily roll-ups. The includer's WITH names the period [d_from, d_to] before this
-- fragment. Every month the period touches is read as its sku_months row, except the
-- first and the last when the period holds at most half of their days: those are read
-- as their days in the period instead. A first or last month read as a row has its
-- days outside the period subtracted, so no more than half a month of days is read at
-- either end (a year ending today reads the two or three days before it started).
--   period_month: a sku_months row of the period (a predicate on `month`);
--   edge_day:     a daily row to add or subtract (a predicate on `day`);
--   edge_sign:    +1 for a day in the period, -1 for one subtracted from its month.
-- Sums over them are signed (Int64); every sum of a whole period is a true count.
-- Strict comparisons, no `day - 1`: Date arithmetic wraps below 1970-01-01.
    toStartOfMonth(d_from) AS m_lo,
    toStartOfMonth(d_to) AS m_hi,
    2 * (least(toInt32(d_to), toInt32(addMonths(m_lo, 1)) - 1) - toInt32(d_from) + 1) <= toInt32(addMonths(m_lo, 1)) - toInt32(m_lo) AS lo_by_days,
    2 * (toInt32(d_to) - greatest(toInt32(d_from), toInt32(m_hi)) + 1) <= toInt32(addMonths(m_hi, 1)) - toInt32(m_hi) AS hi_by_days,
    month >= m_lo AND month <= m_hi AND NOT (month = m_lo AND lo_by_days) AND NOT (month = m_hi AND hi_by_days) AS period_month,
    (lo_by_days AND day >= d_from AND day <= d_to AND day < addMonths(m_lo, 1))
        OR (NOT lo_by_days AND day >= m_lo AND day < addMonths(m_lo, 1) AND (day < d_from OR day > d_to))
        OR (m_hi > m_lo AND hi_by_days AND day >= m_hi AND day <= d_to)
        OR (m_hi > m_lo AND NOT hi_by_days AND day > d_to AND day < addMonths(m_hi, 1)) AS edge_day,
    if(day >= d_from AND day <= d_to, 1, -1) AS edge_sign
