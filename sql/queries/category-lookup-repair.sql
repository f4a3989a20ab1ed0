-- Puts the catalog's current category back into sku_category_lookup (0029) for every
-- SKU whose entry differs: the lookup takes the last upsert stored, and one carrying an
-- older updated_at than the version in force can arrive after it. Run by the reasons job
-- before it reconciles the roll-up, so the returns stored next are filed right.
INSERT INTO sku_category_lookup
SELECT sku, category
FROM (SELECT sku, toString(argMax(category, updated_at)) AS category FROM catalog GROUP BY sku)
WHERE joinGetOrNull('sku_category_lookup', 'category', sku) IS NULL
   OR joinGetOrNull('sku_category_lookup', 'category', sku) != category
