solved_at, columns, rows, solve_ms, prices, lines, bound, realised, efficiency, wishes_lost, hindsight_wishes_lost, greedy_score, greedy_wishes_lost
