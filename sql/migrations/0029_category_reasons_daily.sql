-- Returned units per day, category and reason, kept at insert time, so the reason mix
-- of a category over any day range reads a few thousand rows instead of putting a
-- category on every (SKU, day, reason) row of daily_returns: at 1 M returns a 30-day
-- slice is ≈ 80 k such rows, and every way of joining them to the catalog took 15–20 ms
-- (hash join, dictGet, joinGet, transform), where this roll-up answers in ≈ 7 ms.
--
-- Each return is filed under its SKU's category at the moment it is stored, looked up
-- in sku_category_lookup (a Join table the catalog keeps current, latest upsert wins).
-- Everything else in analytics uses the catalog's current category, so rows can sit
-- under a category the SKU does not have now: when a SKU moves, when an upsert older
-- than the one in force is stored after it, or when a SKU's first returns are stored
-- before (or in the same batch as) its catalog entry, which files them under ''. The
-- reasons job reconciles every run (sql/queries/category-reasons-reconcile.sql): it
-- repairs the lookup and inserts the difference between what daily_returns ⨝ catalog
-- gives and what the roll-up holds.
-- Units are signed so a move is a negative row under the old category and a positive
-- one under the new; SummingMergeTree drops the rows that sum to zero when it merges.
CREATE TABLE IF NOT EXISTS sku_category_lookup
(
    sku      String,
    category String
)
ENGINE = Join(ANY, LEFT, sku)
SETTINGS join_any_take_last_row = 1;

-- Only upserts that change a SKU's category reach it: a Join table keeps every row it is
-- given on disk and replays them all at start, and catalog feeds resend whole items for
-- a price or stock change.
CREATE MATERIALIZED VIEW IF NOT EXISTS sku_category_lookup_mv TO sku_category_lookup AS
SELECT sku, toString(category) AS category
FROM catalog
WHERE joinGetOrNull('sku_category_lookup', 'category', sku) IS NULL
   OR joinGetOrNull('sku_category_lookup', 'category', sku) != toString(category);

-- After the view exists: an upsert stored in between is looked up either way.
INSERT INTO sku_category_lookup
SELECT sku, toString(argMax(category, updated_at)) FROM catalog GROUP BY sku;

CREATE TABLE IF NOT EXISTS category_reasons_daily
(
    day      Date,
    category LowCardinality(String),
    reason   LowCardinality(String),
    units    Int64,
    lines    Int64
)
ENGINE = SummingMergeTree
ORDER BY (day, category, reason);

-- '' for a SKU the catalog does not know yet, as the catalog join gives elsewhere
-- (readers show it as 'uncategorised').
CREATE MATERIALIZED VIEW IF NOT EXISTS category_reasons_daily_mv TO category_reasons_daily AS
SELECT toDate(occurred_at) AS day,
       coalesce(joinGetOrNull('sku_category_lookup', 'category', toString(sku)), '') AS category,
       reason, toInt64(sum(qty)) AS units, toInt64(count()) AS lines
FROM return_lines
GROUP BY day, category, reason;

-- The history so far, under the catalog's current categories. Should this migration be
-- applied twice (interrupted after this insert), the reasons job's first reconciliation
-- takes the second copy back out.
INSERT INTO category_reasons_daily (day, category, reason, units, lines)
SELECT r.day, c.category, r.reason, toInt64(sum(r.units)), toInt64(sum(r.lines))
FROM daily_returns AS r
LEFT JOIN (SELECT sku, toString(argMax(category, updated_at)) AS category FROM catalog GROUP BY sku) AS c ON c.sku = r.sku
GROUP BY r.day, c.category, r.reason;
