-- Where a period [from, to] reads the per-SKU month roll-ups (0065) and where the days:
-- the whole months inside it come from monthly_sales / monthly_returns (months m_first
-- … m_last, their days m_first … m_end), every other day from the daily roll-ups
-- (`day BETWEEN d_from AND d_to AND (day < m_first OR day > m_end)`). With {rollup} off
-- no month is whole and every day is read: the reference the roll-up path is tested
-- against. Included at the top of a WITH list (skus-range.sql, anomalies-range.sql).
    {from:Date} AS d_from,
    {to:Date} AS d_to,
    if({rollup:Bool}, if(toStartOfMonth(d_from) = d_from, d_from, toStartOfMonth(d_from) + INTERVAL 1 MONTH), d_to + 1) AS m_first,
    if({rollup:Bool}, toStartOfMonth(d_to + 1) - 1, d_to) AS m_end,
    toStartOfMonth(m_end) AS m_last,
