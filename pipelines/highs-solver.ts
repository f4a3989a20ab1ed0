// HiGHS (WebAssembly, the `highs` package) behind one function: solve a linear program
// given in arrays (server/navigator/lp-model.ts) within a time limit. The module is
// loaded once; each model gets its own solver instance, disposed after.
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
  /**
   * A proven lower bound on the optimum (minimising): HiGHS's MIP dual bound for a MIP,
   * also when stopped by the time limit; the objective of an LP solved to optimality.
   * Undefined when none is known.
   */
  bound?: number
}

type Highs = Awaited<ReturnType<typeof highsLoader>>
let loaded: Promise<Highs> | null = null

// HiGHS's own words for its model statuses (Highs::modelStatusToString), by code.
const STATUS = [
  'Not Set', 'Load error', 'Model error', 'Presolve error', 'Solve error', 'Postsolve error', 'Empty', 'Optimal', 'Infeasible',
  'Primal infeasible or unbounded', 'Unbounded', 'Bound on objective reached', 'Target for objective reached', 'Time limit reached',
  'Iteration limit reached', 'Unknown', 'Solution limit reached', 'Interrupted by user',
]

/** Loads `lp` into a fresh solver, solves it and disposes of the solver, whatever happens. */
export async function solveLp(lp: LinearProgram, timeLimitSeconds = 10): Promise<LpSolution> {
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
    model.run()
    const found = model.info.get('primal_solution_status') === 2
    const sol = found ? model.getSolution() : null
    const status = STATUS[model.getModelStatus()] ?? 'Unknown'
    return {
      status,
      objective: model.getObjectiveValue(),
      bound: boundOf(model, lp.colInteger.some(Boolean), status),
      colValue: sol ? sol.colValue : new Float64Array(numCols),
      rowDual: sol && model.info.get('dual_solution_status') === 2 ? sol.rowDual : new Float64Array(numRows),
    }
  } catch (e) {
    // An abort of the WebAssembly module (a large MIP can run it out of memory) leaves it
    // unusable: the next solve loads a fresh one instead of failing until a restart.
    if (e instanceof WebAssembly.RuntimeError) loaded = null
    throw e
  } finally {
    try { model.dispose() } catch { /* the aborted module's objects go with it */ }
  }
}

function boundOf(model: { info: { get(name: string): number | bigint }; getObjectiveValue(): number }, mip: boolean, status: string): number | undefined {
  // HiGHS reports an unknown bound as ±infinity (or not at all before the MIP starts).
  const known = (x: number) => (Number.isFinite(x) && Math.abs(x) < 1e29 ? x : undefined)
  if (!mip) return status === 'Optimal' ? known(model.getObjectiveValue()) : undefined
  try { return known(Number(model.info.get('mip_dual_bound'))) } catch { return undefined }
}
