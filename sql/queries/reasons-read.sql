-- Reason mix of a window: every category (or one), and one SKU when asked.
SELECT scope, key, category, reason, units, lines, share
FROM reason_mix
WHERE win = {win:String}
  AND ((scope = 'category' AND ({category:String} = '' OR key = {category:String}))
    OR (scope = 'sku' AND {sku:String} != '' AND key = {sku:String}))
ORDER BY scope, key, units DESC, reason
