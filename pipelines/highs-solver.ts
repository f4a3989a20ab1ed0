// HiGHS (WebAssembly, the `highs` package) behind one function: solve CPLEX LP text
// within a time limit. The module is loaded once; each solve gets a fresh solver.
import highsLoader from 'highs'

export interface LpSolution {
  status: string
  objective: number
  rows: { Name: string; Dual: number; Primal: number }[]
  columns: Record<string, { Primal: number }>
}

let loaded: ReturnType<typeof highsLoader> | null = null

export async function solveLp(text: string, timeLimitSeconds = 10): Promise<LpSolution> {
  loaded ??= highsLoader()
  const highs = await loaded
  const r = highs.solve(text, { time_limit: timeLimitSeconds, output_flag: false } as never)
  return {
    status: r.Status,
    objective: r.ObjectiveValue,
    rows: (r.Rows as { Name: string; Dual?: number; Primal: number }[]).map((x) => ({ Name: x.Name, Dual: x.Dual ?? 0, Primal: x.Primal })),
    columns: r.Columns as unknown as Record<string, { Primal: number }>,
  }
}
