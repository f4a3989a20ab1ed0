-- Daily units sold / returned of one SKU next to its whole category, over [from, to],
-- one row per day (gaps filled with zeros). The SKU's own days are a primary-key range
-- of the roll-ups (sorted by sku, day); its category's come from the return-rates job's
-- category_daily snapshot (0024), a primary-key range too.
WITH
    (SELECT argMax(category, updated_at) FROM catalog WHERE sku = {sku:String}) AS sku_category
SELECT
    day,
    sum(sold) AS units_sold,
    sum(returned) AS units_returned,
    sum(category_sold) AS category_units_sold,
    sum(category_returned) AS category_units_returned
FROM
(
    SELECT day, units AS sold, toUInt64(0) AS returned, toUInt64(0) AS category_sold, toUInt64(0) AS category_returned
    FROM daily_sales WHERE sku = {sku:String} AND day BETWEEN {from:Date} AND {to:Date}
    UNION ALL
    SELECT day, 0, units, 0, 0
    FROM daily_returns WHERE sku = {sku:String} AND day BETWEEN {from:Date} AND {to:Date}
    UNION ALL
    SELECT day, 0, 0, units_sold, units_returned
    FROM category_daily WHERE sku_category != '' AND category = sku_category AND day BETWEEN {from:Date} AND {to:Date}
)
GROUP BY day
ORDER BY day WITH FILL FROM {from:Date} TO {to:Date} + 1
