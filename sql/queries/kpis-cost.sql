-- Money of the current decisions made in [from, to] (cost job output),
-- with the value of the goods returned in the same days as the recovery-rate base.
SELECT
    sum(returns) AS returns, sum(net_cost) AS net_cost, sum(recovery) AS recovery,
    sum(baseline_net_cost) AS baseline_net_cost, sum(logistics) AS logistics, sum(handling) AS handling,
    sum(refunds) AS refunds, sum(repair) AS repair, sum(wait_hours) AS wait_hours,
    sum(baseline_wait_hours) AS baseline_wait_hours,
    (SELECT sum(value) FROM daily_returns WHERE day BETWEEN {from:Date} AND {to:Date}) AS returned_value,
    (SELECT sum(lines) FROM daily_returns WHERE day BETWEEN {from:Date} AND {to:Date}) AS returned_lines
FROM cost_daily
WHERE day BETWEEN {from:Date} AND {to:Date}
