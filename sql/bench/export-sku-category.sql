-- Part {part} of {parts} of the SKU categories.
SELECT sku, category FROM bench_sku_category WHERE cityHash64(sku) % {parts:UInt32} = {part:UInt32}
