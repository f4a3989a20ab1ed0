-- The bench's catalog: {skus} SKUs SKU-0 … over five categories.
INSERT INTO catalog (sku, name, category, product_type, price, weight_kg, repairable, vendor_id, lifecycle, returnable, updated_at)
SELECT concat('SKU-', toString(number)), concat('SKU-', toString(number)), ['apparel','footwear','electronics','home','beauty'][1 + number % 5],
       'generic', 50, 1, false, '', 'current', true, now64(3)
FROM numbers({skus:UInt32})
