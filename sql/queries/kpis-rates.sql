-- Return rate per category and overall for a window, from the return-rates snapshot.
SELECT category, sum(units_sold) AS units_sold, sum(units_returned) AS units_returned,
       if(units_sold > 0, units_returned / units_sold, 0) AS return_rate, count() AS skus
FROM sku_return_rates
WHERE win = {win:String}
GROUP BY category WITH TOTALS
ORDER BY category
