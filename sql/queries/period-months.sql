-- The whole calendar months inside the days [d_from, d_to] (the includer's WITH names
-- both before this fragment): [m_from, m_end), empty when m_from >= m_end. A period's
-- per-SKU sums read those months from sku_months (one row per SKU and month) and only
-- the days outside them, at most a month at either end, from the daily roll-ups: a day
-- d of the period is one of those when d < m_from OR d >= m_end.
    if(toStartOfMonth(d_from) = d_from, d_from, addMonths(toStartOfMonth(d_from), 1)) AS m_from,
    toStartOfMonth(d_to + 1) AS m_end
