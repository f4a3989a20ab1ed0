-- The product's categories (the catalog's latest category per SKU) as a table, for the
-- roll-up join of the comparison and the SQLite copy.
CREATE TABLE IF NOT EXISTS bench_sku_category ENGINE = MergeTree ORDER BY sku AS
SELECT toString(sku) AS sku, argMax(toString(category), updated_at) AS category FROM catalog GROUP BY sku
