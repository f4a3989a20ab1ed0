-- The SQLite side of the comparison: the line tables it answers from (a bulk load, no
-- journal), and the SKU categories.
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -2000000;
CREATE TABLE order_lines (sku TEXT, qty INTEGER, unit_price REAL, occurred_at INTEGER);
CREATE TABLE return_lines (rma_id TEXT, sku TEXT, qty INTEGER, reason TEXT, occurred_at INTEGER);
CREATE TABLE decisions (decision_id TEXT, supersedes TEXT, rma_id TEXT, line_index INTEGER, decided_at INTEGER, sku TEXT, category TEXT, resolution TEXT, net_cost REAL, baseline_net_cost REAL);
CREATE TABLE sku_category (sku TEXT PRIMARY KEY, category TEXT);
