-- Reason mix over the days [from, to], read live: every category (or one) from the
-- per-category roll-up kept at insert time (category_reasons_daily, 0029), and one SKU
-- when asked from daily_returns (a primary-key range) under its current category.
-- Same rows as reasons-read.sql gives for a window. Units are signed in the roll-up (a
-- SKU that moved category leaves a negative row under the old one until merged), so
-- groups are summed before their shares and empty ones dropped.
WITH
    by_category AS (
        SELECT if(category = '', 'uncategorised', toString(category)) AS key, toString(reason) AS reason,
               sum(units) AS units, sum(lines) AS lines
        FROM category_reasons_daily
        WHERE day BETWEEN {from:Date} AND {to:Date}
        GROUP BY key, reason
        HAVING units > 0
    ),
    one_sku AS (
        SELECT toString(reason) AS reason, toInt64(sum(units)) AS units, toInt64(sum(lines)) AS lines
        FROM daily_returns
        WHERE {sku:String} != '' AND sku = {sku:String} AND day BETWEEN {from:Date} AND {to:Date}
        GROUP BY reason
        HAVING units > 0
    )
SELECT * FROM (
SELECT 'category' AS scope, key, key AS category, reason, units, lines, units / sum(units) OVER (PARTITION BY key) AS share
FROM by_category
WHERE {category:String} = '' OR key = {category:String}
UNION ALL
SELECT 'sku' AS scope, {sku:String} AS key,
       (SELECT if(c = '', 'uncategorised', c) FROM (SELECT toString(argMax(category, updated_at)) AS c FROM catalog WHERE sku = {sku:String})) AS category,
       reason, units, lines, units / sum(units) OVER () AS share
FROM one_sku
)
ORDER BY scope, key, units DESC, reason
