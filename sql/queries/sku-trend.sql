-- Daily units sold / returned of one SKU next to its whole category, over [from, to],
-- one row per day (gaps filled with zeros).
WITH
    categories AS (
        SELECT sku, argMax(category, updated_at) AS category FROM catalog GROUP BY sku
    ),
    (SELECT any(category) FROM categories WHERE sku = {sku:String}) AS sku_category,
    peers AS (
        SELECT sku FROM categories WHERE sku_category != '' AND category = sku_category
    )
SELECT
    day,
    sumIf(units, kind = 'sold' AND sku = {sku:String}) AS units_sold,
    sumIf(units, kind = 'returned' AND sku = {sku:String}) AS units_returned,
    sumIf(units, kind = 'sold') AS category_units_sold,
    sumIf(units, kind = 'returned') AS category_units_returned
FROM
(
    SELECT day, sku, units, 'sold' AS kind FROM daily_sales
    WHERE day BETWEEN {from:Date} AND {to:Date} AND (sku = {sku:String} OR sku IN peers)
    UNION ALL
    SELECT day, sku, units, 'returned' AS kind FROM daily_returns
    WHERE day BETWEEN {from:Date} AND {to:Date} AND (sku = {sku:String} OR sku IN peers)
)
GROUP BY day
ORDER BY day WITH FILL FROM {from:Date} TO {to:Date} + 1
