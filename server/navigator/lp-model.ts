// A sparse linear program in arrays, as HiGHS takes it (row-wise matrix): built column by
// column and row by row, handed to the solver without an LP text to write and parse.
// Pure data; the solver is pipelines/highs-solver.ts.

export interface LinearProgram {
  colNames: string[]
  colCost: number[]
  /** Columns that must take whole values (a MIP when any). */
  colInteger: boolean[]
  rowNames: string[]
  rowLower: number[]
  rowUpper: number[]
  /** Row r's entries are rowIndex/rowValue[rowStart[r] … rowStart[r + 1]). */
  rowStart: number[]
  rowIndex: number[]
  rowValue: number[]
}

export class LpBuilder {
  readonly lp: LinearProgram = {
    colNames: [], colCost: [], colInteger: [], rowNames: [], rowLower: [], rowUpper: [], rowStart: [0], rowIndex: [], rowValue: [],
  }

  /** A column ≥ 0 (unbounded above); its index. */
  col(name: string, cost: number, integer = false): number {
    this.lp.colNames.push(name)
    this.lp.colCost.push(cost)
    this.lp.colInteger.push(integer)
    return this.lp.colNames.length - 1
  }

  /** lower ≤ Σ values[k] × x[cols[k]] ≤ upper (±Infinity for none); a column listed twice is summed. Its index. */
  row(name: string, lower: number, upper: number, cols: readonly number[], values: readonly number[]): number {
    const lp = this.lp
    const at = new Map<number, number>()
    for (let k = 0; k < cols.length; k++) {
      const j = at.get(cols[k])
      if (j === undefined) {
        at.set(cols[k], lp.rowIndex.length)
        lp.rowIndex.push(cols[k])
        lp.rowValue.push(values[k])
      } else lp.rowValue[j] += values[k]
    }
    lp.rowNames.push(name)
    lp.rowLower.push(lower)
    lp.rowUpper.push(upper)
    lp.rowStart.push(lp.rowIndex.length)
    return lp.rowNames.length - 1
  }
}
