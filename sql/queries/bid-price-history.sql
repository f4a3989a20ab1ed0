-- The daily slots' bid prices published by each solve since a time (GET
-- /api/v1/capacity/history): bench hours, inspections and outlet units per node and local
-- day number, for the days asked. A slot a solve left out had no price (0) in it.
SELECT solved_at, kind, scope, toInt64(slot) AS day, price
FROM bid_prices
WHERE solved_at >= {since:DateTime64(3, 'UTC')}
  AND kind IN ('bench', 'inspection', 'outlet')
  AND toInt64OrZero(slot) BETWEEN {fromDay:Int64} AND {toDay:Int64}
ORDER BY solved_at, kind, scope, day
LIMIT {limit:UInt32}
