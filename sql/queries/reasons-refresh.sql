-- Rebuilds reason_mix_next: returned units per reason for every category and every SKU
-- over the rolling windows, with each reason's share of its category's / SKU's returns.
-- One pass over daily_returns sums the four windows side by side, then unpivots.
INSERT INTO reason_mix_next
WITH
    toDate({asOf:DateTime64(3)}) AS today,
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    pivoted AS (
        SELECT sku, reason,
               [sumIf(units, day >= today - 6), sumIf(units, day >= today - 29), sumIf(units, day >= today - 89), sum(units)] AS units_by_win,
               [sumIf(lines, day >= today - 6), sumIf(lines, day >= today - 29), sumIf(lines, day >= today - 89), sum(lines)] AS lines_by_win
        FROM daily_returns WHERE day <= today GROUP BY sku, reason
    ),
    by_sku AS (
        SELECT ['7d', '30d', '90d', 'all'][w] AS win, p.sku AS sku, if(c.category = '', 'uncategorised', c.category) AS category,
               p.reason AS reason, p.units_by_win[w] AS units, p.lines_by_win[w] AS lines
        FROM pivoted AS p
        LEFT JOIN categories AS c ON c.sku = p.sku
        ARRAY JOIN [1, 2, 3, 4] AS w
        WHERE p.units_by_win[w] > 0
    )
SELECT win, 'sku' AS scope, sku AS key, category, reason, units, lines,
       units / sum(units) OVER (PARTITION BY win, sku) AS share, {asOf:DateTime64(3)} AS computed_at
FROM by_sku
UNION ALL
SELECT win, 'category' AS scope, category AS key, category, reason, sum(units) AS category_units, sum(lines) AS category_lines,
       category_units / sum(category_units) OVER (PARTITION BY win, category) AS share, {asOf:DateTime64(3)} AS computed_at
FROM by_sku
GROUP BY win, category, reason
