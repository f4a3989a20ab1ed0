-- The reasons job's reconciliation of category_reasons_daily (0029) with the catalog's
-- current categories: inserts, per day × category × reason, what daily_returns ⨝ catalog
-- gives minus what the roll-up holds. Rows filed under a category their SKU no longer has
-- come back as a negative row there and a positive one under the SKU's category; when
-- nothing moved it inserts nothing, and running it twice inserts nothing the second
-- time. Each run computes the whole difference afresh, so on a ClickHouse server, where a
-- return can be stored between the reads of the two tables and put one run's difference
-- off by that return, the next run puts it right (embedded chDB runs one query at a time).
INSERT INTO category_reasons_daily (day, category, reason, units, lines)
WITH
    categories AS (
        SELECT sku, toString(argMax(category, updated_at)) AS category FROM catalog GROUP BY sku
    ),
    expected AS (
        SELECT r.day AS day, c.category AS category, toString(r.reason) AS reason,
               toInt64(sum(r.units)) AS units, toInt64(sum(r.lines)) AS lines
        FROM daily_returns AS r LEFT JOIN categories AS c ON c.sku = r.sku
        GROUP BY day, category, reason
    ),
    held AS (
        SELECT day, toString(category) AS category, toString(reason) AS reason, sum(units) AS units, sum(lines) AS lines
        FROM category_reasons_daily
        GROUP BY day, category, reason
    )
SELECT day, category, reason, e.units - h.units, e.lines - h.lines
FROM expected AS e FULL OUTER JOIN held AS h USING (day, category, reason)
WHERE e.units != h.units OR e.lines != h.lines
