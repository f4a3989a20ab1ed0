-- Return rate per category and overall (category = '') for a window, from the
-- return-rates snapshot.
SELECT '' AS category, sum(units_sold) AS sold, sum(units_returned) AS returned, count() AS skus
FROM sku_return_rates
WHERE win = {win:String}
UNION ALL
SELECT category, sum(units_sold) AS sold, sum(units_returned) AS returned, count() AS skus
FROM sku_return_rates
WHERE win = {win:String}
GROUP BY category
ORDER BY category
