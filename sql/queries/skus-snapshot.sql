-- The SKU list for a rolling window, from the return-rates snapshot, with the SKU's
-- open anomaly episode (if any). Sort column comes from a fixed list in the route.
WITH
    rates AS (
        SELECT sku, category, units_sold, units_returned, return_lines, return_rate, top_reasons, net_cost
        FROM sku_return_rates
        WHERE win = {win:String}
    ),
-- The shared end: anomaly join, filters, sort, page.
{{include:skus-page}}
