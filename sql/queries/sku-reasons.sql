-- Every return reason of one SKU over [from, to] with its share.
SELECT reason, sum(units) AS units, sum(lines) AS lines, units / sum(units) OVER () AS share
FROM daily_returns
WHERE sku = {sku:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY reason
ORDER BY units DESC, reason
