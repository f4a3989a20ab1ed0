-- How a period's money splits between a month table and its day table, for money
-- (Float64 sums): the whole calendar months of the period are read as month rows, every
-- other day of the period as its day row. Unlike period-months.sql no month is read less
-- its outside days: a month's sum less its days would leave rounding noise where the
-- period holds no money at all (a SKU at 0 would sort among others by that noise), so
-- every amount summed here is one of the day-grain read's own amounts, grouped by
-- month. The includer's WITH names the period [d_from, d_to] before this fragment.
--   whole_lo:    the first day of the period's first whole month;
--   whole_hi:    the day after its last whole month (no whole month when whole_lo >= whole_hi);
--   whole_month: a month row of a whole month of the period (a predicate on `month`);
--   part_day:    a day of the period outside its whole months (a predicate on `day`).
-- A year ending today reads 12 month rows per SKU and the days of its first and last
-- months (about 31 days).
    if(toStartOfMonth(d_from) = d_from, d_from, addMonths(toStartOfMonth(d_from), 1)) AS whole_lo,
    if(toLastDayOfMonth(d_to) = d_to, addMonths(toStartOfMonth(d_to), 1), toStartOfMonth(d_to)) AS whole_hi,
    month >= whole_lo AND month < whole_hi AS whole_month,
    day >= d_from AND day <= d_to AND (day < whole_lo OR day >= whole_hi) AS part_day
