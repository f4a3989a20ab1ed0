-- Reason mix of a window over all categories (or one).
SELECT reason, sum(units) AS units, sum(lines) AS lines, units / sum(units) OVER () AS share
FROM reason_mix
WHERE win = {win:String} AND scope = 'category' AND ({category:String} = '' OR key = {category:String})
GROUP BY reason
ORDER BY units DESC, reason
