INSERT INTO sku_category VALUES (?, ?)
