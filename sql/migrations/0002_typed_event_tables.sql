-- Typed tables filled from raw_events by materialised views, so one insert of the
-- raw log is the only write path and the typed tables can never disagree with it.

CREATE TABLE IF NOT EXISTS order_lines
(
    event_id    String,
    order_id    String,
    customer_id String,
    region      LowCardinality(String),
    line_index  UInt16,
    sku         LowCardinality(String),
    qty         UInt32,
    unit_price  Float64,
    occurred_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYear(occurred_at)
ORDER BY (sku, occurred_at, order_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS order_lines_mv TO order_lines AS
SELECT
    event_id,
    JSONExtractString(payload, 'orderId') AS order_id,
    JSONExtractString(payload, 'customer', 'id') AS customer_id,
    JSONExtractString(payload, 'customer', 'region') AS region,
    toUInt16(line_no - 1) AS line_index,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty,
    JSONExtractFloat(line, 'unitPrice') AS unit_price,
    occurred_at
FROM (SELECT event_id, payload, occurred_at, JSONExtractArrayRaw(payload, 'lines') AS lines FROM raw_events WHERE type = 'order.placed')
ARRAY JOIN lines AS line, arrayEnumerate(lines) AS line_no;

CREATE TABLE IF NOT EXISTS return_lines
(
    event_id     String,
    rma_id       String,
    order_id     String,
    customer_id  String,
    customer_lat Float64,
    customer_lon Float64,
    region       LowCardinality(String),
    trusted      Bool,
    channel      LowCardinality(String),
    line_index   UInt16,
    line_id      String,
    sku          LowCardinality(String),
    qty          UInt32,
    unit_price   Float64,
    reason       LowCardinality(String),
    reason_text  String,
    condition    LowCardinality(String),
    wants        LowCardinality(String),
    exchange_sku String,
    occurred_at  DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYear(occurred_at)
ORDER BY (sku, occurred_at, rma_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS return_lines_mv TO return_lines AS
SELECT
    event_id,
    JSONExtractString(payload, 'rmaId') AS rma_id,
    JSONExtractString(payload, 'orderId') AS order_id,
    JSONExtractString(payload, 'customer', 'id') AS customer_id,
    JSONExtractFloat(payload, 'customer', 'lat') AS customer_lat,
    JSONExtractFloat(payload, 'customer', 'lon') AS customer_lon,
    JSONExtractString(payload, 'customer', 'region') AS region,
    JSONExtractBool(payload, 'customer', 'trusted') AS trusted,
    JSONExtractString(payload, 'channel') AS channel,
    toUInt16(line_no - 1) AS line_index,
    JSONExtractString(line, 'lineId') AS line_id,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty,
    JSONExtractFloat(line, 'unitPrice') AS unit_price,
    JSONExtractString(line, 'reason') AS reason,
    JSONExtractString(line, 'reasonText') AS reason_text,
    JSONExtractString(line, 'condition') AS condition,
    JSONExtractString(line, 'wants') AS wants,
    JSONExtractString(line, 'exchangeSku') AS exchange_sku,
    occurred_at
FROM (SELECT event_id, payload, occurred_at, JSONExtractArrayRaw(payload, 'lines') AS lines FROM raw_events WHERE type = 'return.requested')
ARRAY JOIN lines AS line, arrayEnumerate(lines) AS line_no;

-- Lookup of a return by id (the return page, the tracking page, re-routing): the
-- request's event_id, whose payload is then a primary-key read of raw_events.
CREATE TABLE IF NOT EXISTS returns_by_rma
(
    rma_id      String,
    event_id    String,
    occurred_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY rma_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS returns_by_rma_mv TO returns_by_rma AS
SELECT JSONExtractString(payload, 'rmaId') AS rma_id, event_id, occurred_at
FROM raw_events
WHERE type = 'return.requested';

CREATE TABLE IF NOT EXISTS return_status
(
    event_id    String,
    rma_id      String,
    line_id     String,
    status      LowCardinality(String),
    node_id     LowCardinality(String),
    note        String,
    occurred_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYear(occurred_at)
ORDER BY (rma_id, occurred_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS return_status_mv TO return_status AS
SELECT
    event_id,
    JSONExtractString(payload, 'rmaId') AS rma_id,
    JSONExtractString(payload, 'lineId') AS line_id,
    JSONExtractString(payload, 'status') AS status,
    JSONExtractString(payload, 'nodeId') AS node_id,
    JSONExtractString(payload, 'note') AS note,
    occurred_at
FROM raw_events
WHERE type = 'return.status';

CREATE TABLE IF NOT EXISTS inspections
(
    event_id    String,
    rma_id      String,
    line_id     String,
    sku         LowCardinality(String),
    grade       LowCardinality(String),
    node_id     LowCardinality(String),
    findings    String,
    occurred_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYear(occurred_at)
ORDER BY (rma_id, occurred_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS inspections_mv TO inspections AS
SELECT
    event_id,
    JSONExtractString(payload, 'rmaId') AS rma_id,
    JSONExtractString(payload, 'lineId') AS line_id,
    JSONExtractString(payload, 'sku') AS sku,
    JSONExtractString(payload, 'grade') AS grade,
    JSONExtractString(payload, 'nodeId') AS node_id,
    JSONExtractString(payload, 'findings') AS findings,
    occurred_at
FROM raw_events
WHERE type = 'return.inspected';

-- kind = 'snapshot' (qty is the absolute on-hand) or 'adjusted' (qty is a delta).
CREATE TABLE IF NOT EXISTS inventory_events
(
    event_id    String,
    node_id     LowCardinality(String),
    sku         LowCardinality(String),
    kind        LowCardinality(String),
    qty         Int64,
    reason      String,
    occurred_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (node_id, sku, occurred_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS inventory_snapshot_mv TO inventory_events AS
SELECT
    event_id,
    JSONExtractString(payload, 'nodeId') AS node_id,
    JSONExtractString(item, 'sku') AS sku,
    'snapshot' AS kind,
    JSONExtractInt(item, 'onHand') AS qty,
    '' AS reason,
    occurred_at,
    received_at
FROM raw_events
ARRAY JOIN JSONExtractArrayRaw(payload, 'items') AS item
WHERE type = 'inventory.snapshot';

CREATE MATERIALIZED VIEW IF NOT EXISTS inventory_adjusted_mv TO inventory_events AS
SELECT
    event_id,
    JSONExtractString(payload, 'nodeId') AS node_id,
    JSONExtractString(payload, 'sku') AS sku,
    'adjusted' AS kind,
    JSONExtractInt(payload, 'delta') AS qty,
    JSONExtractString(payload, 'reason') AS reason,
    occurred_at,
    received_at
FROM raw_events
WHERE type = 'inventory.adjusted';

-- SKU master data, latest version per SKU wins (ReplacingMergeTree on updated_at;
-- read with FINAL or argMax).
CREATE TABLE IF NOT EXISTS catalog
(
    sku          String,
    name         String,
    category     LowCardinality(String),
    product_type LowCardinality(String),
    price        Float64,
    cost         Nullable(Float64),
    weight_kg    Float64,
    repairable   Bool,
    vendor_id    LowCardinality(String),
    lifecycle    LowCardinality(String),
    returnable   Bool,
    updated_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY sku;

CREATE MATERIALIZED VIEW IF NOT EXISTS catalog_mv TO catalog AS
SELECT
    JSONExtractString(item, 'sku') AS sku,
    JSONExtractString(item, 'name') AS name,
    JSONExtractString(item, 'category') AS category,
    JSONExtractString(item, 'productType') AS product_type,
    JSONExtractFloat(item, 'price') AS price,
    JSONExtract(item, 'cost', 'Nullable(Float64)') AS cost,
    JSONExtractFloat(item, 'weightKg') AS weight_kg,
    JSONExtractBool(item, 'repairable') AS repairable,
    JSONExtractString(item, 'vendorId') AS vendor_id,
    JSONExtractString(item, 'lifecycle') AS lifecycle,
    if(JSONHas(item, 'returnable'), JSONExtractBool(item, 'returnable'), true) AS returnable,
    occurred_at AS updated_at
FROM raw_events
ARRAY JOIN JSONExtractArrayRaw(payload, 'items') AS item
WHERE type = 'catalog.upsert';
