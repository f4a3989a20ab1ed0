-- The top reasons of a page of anomalies of a period (anomalies-range.sql leaves them
-- empty): for the page's SKUs {skus}, their three biggest reasons by units returned
-- over [from, to] (top_range, an above-category anomaly's) and over the 7 days ending on
-- {to} (top7, a spike's), picked as anomalies-flagged.sql picks them (units, then name,
-- both descending). The units come from anomalies-sums.sql's reasons, for these SKUs
-- only: sku_months and the daily roll-ups are sorted by SKU, so only their rows are read.
WITH
    {from:Date} AS d_from,
    {to:Date} AS d_to,
    sku IN {skus:Array(String)} AS reason_sku,
{{include:anomalies-sums}}
SELECT toString(sku) AS sku,
       CAST(arraySlice(arrayReverseSort(t -> (t.2, t.1), arrayFilter(t -> t.2 > 0,
                arrayMap((name, i) -> (name, reasons_range[i]), reason_list, arrayEnumerate(reason_list)))), 1, 3),
            'Array(Tuple(reason String, units UInt64))') AS top_range,
       CAST(arraySlice(arrayReverseSort(t -> (t.2, t.1), arrayFilter(t -> t.2 > 0,
                arrayMap((name, i) -> (name, reasons7[i]), reason_list, arrayEnumerate(reason_list)))), 1, 3),
            'Array(Tuple(reason String, units UInt64))') AS top7
FROM reasons
