solved_at, columns, rows, solve_ms, solve_cpu_ms, prices, lines, bound, realised, efficiency, wishes_lost, hindsight_wishes_lost, greedy_score, greedy_wishes_lost
