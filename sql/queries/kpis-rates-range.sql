-- Return rate per category and overall (category = '') over the days [from, to], from the
-- return-rates job's per-category days (category_daily, 0024): a primary-key range per
-- category, so a year costs a few hundred rows a category. SKUs are not counted here
-- (that would read every SKU's days); skus is 0 and the API gives null.
SELECT '' AS category, sum(units_sold) AS sold, sum(units_returned) AS returned, 0 AS skus
FROM category_daily
WHERE day BETWEEN {from:Date} AND {to:Date}
UNION ALL
SELECT toString(category) AS category, sum(units_sold) AS sold, sum(units_returned) AS returned, 0 AS skus
FROM category_daily
WHERE day BETWEEN {from:Date} AND {to:Date}
GROUP BY category
HAVING sold > 0 OR returned > 0
ORDER BY category
