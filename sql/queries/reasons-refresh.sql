-- Rebuilds reason_mix_next: returned units per reason for every category and every SKU
-- over the rolling windows, with each reason's share of its category's / SKU's returns.
INSERT INTO reason_mix_next
WITH
    toDate({asOf:DateTime64(3)}) AS today,
    ['7d', '30d', '90d', 'all'] AS win_names,
    [today - 6, today - 29, today - 89, toDate('1970-01-01')] AS win_starts,
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    by_sku AS (
        SELECT win, sku, if(c.category = '', 'uncategorised', c.category) AS category, reason,
               sum(units) AS units, sum(lines) AS lines
        FROM daily_returns AS r
        ARRAY JOIN arrayFilter((w, s) -> r.day >= s, win_names, win_starts) AS win
        LEFT JOIN categories AS c ON c.sku = r.sku
        WHERE r.day <= today
        GROUP BY win, sku, category, reason
    )
SELECT win, 'sku' AS scope, sku AS key, category, reason, units, lines,
       units / sum(units) OVER (PARTITION BY win, sku) AS share, {asOf:DateTime64(3)} AS computed_at
FROM by_sku
UNION ALL
SELECT win, 'category' AS scope, category AS key, category, reason, sum(units) AS category_units, sum(lines) AS category_lines,
       category_units / sum(category_units) OVER (PARTITION BY win, category) AS share, {asOf:DateTime64(3)} AS computed_at
FROM by_sku
GROUP BY win, category, reason
