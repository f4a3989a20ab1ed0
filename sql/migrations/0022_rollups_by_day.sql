-- The daily roll-ups are sorted by (sku, day), right for one SKU's history but not for
-- "every SKU over the last N days" (the SKU list for a date range, category trends, the
-- category reason mix): those read every day of every SKU to keep a month. A projection
-- sorted by day gives them a primary-key range instead (at 1M returns the 30-day SKU
-- rates read 1/12 of the rows). Both tables are SummingMergeTree, whose merges must
-- rebuild a projection rather than refuse to keep one. MATERIALIZE builds it for the
-- parts already there (a mutation; measured in the README for a large store).
ALTER TABLE daily_sales MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild';
ALTER TABLE daily_sales ADD PROJECTION IF NOT EXISTS by_day (SELECT * ORDER BY day, sku);
ALTER TABLE daily_sales MATERIALIZE PROJECTION by_day SETTINGS mutations_sync = 1;
ALTER TABLE daily_returns MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild';
ALTER TABLE daily_returns ADD PROJECTION IF NOT EXISTS by_day (SELECT * ORDER BY day, sku, reason);
ALTER TABLE daily_returns MATERIALIZE PROJECTION by_day SETTINGS mutations_sync = 1;
