// HiGHS (WebAssembly, the `highs` package) behind two functions: solve a linear program
// given in arrays (server/navigator/lp-model.ts) within a time limit, or keep it loaded
// for a few changes and re-solves from the last basis (the bid prices' second stage).
// The module is loaded once; each model gets its own solver instance, disposed after.
// Arrays, not LP text: writing and parsing the text of a 7,700-column model cost more
// than solving it (docs/benchmarks.md, "Shared capacity").
import highsLoader from 'highs'
import type { LinearProgram } from '../server/navigator/lp-model.js'

export interface LpSolution {
  /** HiGHS's model status in words ('Optimal', 'Time limit reached', …). */
  status: string
  objective: number
  /** Column values (zeros when no solution was found). */
  colValue: Float64Array
  /** Row duals (zeros for a MIP, or when none was found). */
  rowDual: Float64Array
}

export interface LpSession {
  run(): LpSolution
  setCosts(cols: readonly number[], costs: readonly number[]): void
  setRowBounds(row: number, lower: number, upper: number): void
}

type Highs = Awaited<ReturnType<typeof highsLoader>>
let loaded: Promise<Highs> | null = null

// HiGHS's own words for its model statuses (Highs::modelStatusToString), by code.
const STATUS = [
  'Not Set', 'Load error', 'Model error', 'Presolve error', 'Solve error', 'Postsolve error', 'Empty', 'Optimal', 'Infeasible',
  'Primal infeasible or unbounded', 'Unbounded', 'Bound on objective reached', 'Target for objective reached', 'Time limit reached',
  'Iteration limit reached', 'Unknown', 'Solution limit reached', 'Interrupted by user',
]

/** Loads `lp` into a fresh solver, runs `work` on it and disposes of it, whatever happens. */
export async function withLp<T>(lp: LinearProgram, timeLimitSeconds: number, work: (session: LpSession) => T): Promise<T> {
  loaded ??= highsLoader()
  const highs = await loaded
  const numCols = lp.colCost.length
  const numRows = lp.rowLower.length
  const model = highs.createModel({
    numCols, numRows,
    colCost: Float64Array.from(lp.colCost),
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(highs.infinity),
    rowLower: Float64Array.from(lp.rowLower, (x) => (x === -Infinity ? -highs.infinity : x)),
    rowUpper: Float64Array.from(lp.rowUpper, (x) => (x === Infinity ? highs.infinity : x)),
    matrix: { format: 'csr', numRows, numCols, starts: Int32Array.from(lp.rowStart), indices: Int32Array.from(lp.rowIndex), values: Float64Array.from(lp.rowValue) },
    ...(lp.colInteger.some(Boolean) ? { integrality: Int32Array.from(lp.colInteger, (i) => (i ? 1 : 0)) } : {}),
  } as never)
  try {
    model.options.set({ output_flag: false, time_limit: timeLimitSeconds })
    return work({
      run: () => {
        // The time limit is per solve, not since the model was made.
        model.zeroAllClocks()
        model.run()
        const status = STATUS[model.getModelStatus()] ?? 'Unknown'
        const found = model.info.get('primal_solution_status') === 2
        const sol = found ? model.getSolution() : null
        return {
          status,
          objective: model.getObjectiveValue(),
          colValue: sol ? sol.colValue : new Float64Array(numCols),
          rowDual: sol && model.info.get('dual_solution_status') === 2 ? sol.rowDual : new Float64Array(numRows),
        }
      },
      setCosts: (cols, costs) => { for (let k = 0; k < cols.length; k++) model.changeColCost(cols[k], costs[k]) },
      setRowBounds: (row, lower, upper) => {
        model.changeRowBounds(row, lower === -Infinity ? -highs.infinity : lower, upper === Infinity ? highs.infinity : upper)
      },
    })
  } finally {
    model.dispose()
  }
}

export function solveLp(lp: LinearProgram, timeLimitSeconds = 10): Promise<LpSolution> {
  return withLp(lp, timeLimitSeconds, (s) => s.run())
}
