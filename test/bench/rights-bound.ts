// What the hindsight within the rights is built from, and the bound it leads to (issue 17):
// the lines of a known batch split into groups linked by contested capacity, and a lower
// bound on the own score of ANY policy that respects the customers' rights (capacity-lp.ts
// `arrivalRights`) over the same candidate plans. The bench's target is a score within 2 %
// of plain hindsight; where this bound is already further than that, no policy deciding
// on arrival within the rights can meet it.
import { bookedOnArrival, buildCapacityLp, slotsOf, spreads, type LpClass, type PlanOption } from '../../server/navigator/capacity-lp.js'
import { freeOf, parseResourceKey, resourceKey } from '../../server/navigator/capacity.js'
import type { NavigatorState } from '../../server/navigator/state.js'
import { solveLp } from '../../pipelines/highs-solver.js'
import type { LinearProgram } from '../../server/navigator/lp-model.js'

/**
 * Groups of lines linked by contested capacity (a slot more lines could take than it
 * holds): one line's choice cannot change another group's room, so the groups' optima add
 * up to the whole batch's. Every line is in exactly one group (singletons included), in
 * arrival order. `pruned`: within a line, plans that take the same contested slots differ
 * only in slots that cannot fill up, so the best of them dominates the rest, which are
 * left out (exact, and it is what lets the largest group solve).
 */
export function contestedGroups(classes: readonly LpClass[], state: NavigatorState): { groups: number[][]; pruned: LpClass[] } {
  const demand = new Map<string, number>()
  for (const cl of classes) {
    const most = new Map<string, number>()
    for (const o of cl.options) for (const u of slotsOf(o)) if (u.amount > 0) { const k = resourceKey(u.kind, u.scope, u.slot); most.set(k, Math.max(most.get(k) ?? 0, u.amount)) }
    for (const [k, a] of most) demand.set(k, (demand.get(k) ?? 0) + a)
  }
  const contested = new Set([...demand].filter(([k, a]) => { const r = parseResourceKey(k); return a > freeOf(state, r.kind, r.scope, r.slot) + 1e-9 }).map(([k]) => k))
  const parent = classes.map((_, i) => i)
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])))
  const firstOf = new Map<string, number>()
  classes.forEach((cl, i) => {
    for (const o of cl.options) for (const u of slotsOf(o)) {
      const k = resourceKey(u.kind, u.scope, u.slot)
      if (!contested.has(k)) continue
      const j = firstOf.get(k)
      if (j === undefined) firstOf.set(k, i)
      else parent[root(i)] = root(j)
    }
  })
  const byRoot = new Map<number, number[]>()
  classes.forEach((_, i) => { const r = root(i); byRoot.set(r, [...(byRoot.get(r) ?? []), i]) })
  const signature = (o: PlanOption) => slotsOf(o).filter((u) => u.amount > 0 && contested.has(resourceKey(u.kind, u.scope, u.slot)))
    .map((u) => `${resourceKey(u.kind, u.scope, u.slot)}:${u.amount}`).sort().join(',') + (o.fallback ? '|fb' : '')
  const pruned = classes.map((cl) => {
    const best = new Map<string, PlanOption>()
    for (const o of cl.options) { const k = signature(o); const b = best.get(k); if (!b || o.score < b.score) best.set(k, o) }
    return { ...cl, options: [...best.values()] }
  })
  return { groups: [...byRoot.values()], pruned }
}

export interface RightsScoreBound {
  /** ≤ the own score of every policy within the rights whose plans are among the classes'. */
  score: number
  /**
   * ≤ the lines any such policy turns away (falls back on; unserved counted too, which no
   * policy leaves): per group the best of the count model's LP and MIP bounds, rounded up.
   */
  turnedAwayAtLeast: number
  /** Groups where the LP relaxation was the better bound (or the MIP gave none). */
  lpOnlyGroups: number
  /** Groups where a MIP's proven dual bound was the better one. */
  mipBoundGroups: number
  /** Groups whose score MIP (with the cut) was solved to optimality (within HiGHS's default 0.01 % gap). */
  mipOptimalGroups: number
  /** The best plans within the rights the MIPs found (an upper bound on the optimum); null if a group found none. */
  bestFound: number | null
  /** Its plan per line (an index into the line's options; −1 unserved), where one was found. */
  bestChoice: number[] | null
  solveMs: number
  /** The groups whose LP optimum is fractional: size, the bounds, the MIP's status. */
  hardGroups: {
    lines: number; lp: number; turnedAwayAtLeast: number; countLp: number | null; countMip: number | null
    lpWithCount: number | null; mipWithCount: number | null; status: string
  }[]
}

const copyWith = (lp: LinearProgram, colCost: number[]): LinearProgram => ({ ...lp, colCost })

/** `lp` with one more row: lower ≤ Σ x[cols] (no upper bound). */
function withFloor(lp: LinearProgram, cols: number[], lower: number): LinearProgram {
  return {
    ...lp,
    rowNames: [...lp.rowNames, 'floor'], rowLower: [...lp.rowLower, lower], rowUpper: [...lp.rowUpper, Infinity],
    rowIndex: [...lp.rowIndex, ...cols], rowValue: [...lp.rowValue, ...cols.map(() => 1)], rowStart: [...lp.rowStart, lp.rowIndex.length + cols.length],
  }
}

/**
 * A lower bound on the own score (fall-back penalty left out, as `ownObjective`) of any
 * policy that respects the rights, summed over the groups. Per group, the score-only model:
 * `arrivalRights` with the fall-backs at their own score and no cap on their number
 * (`fallbackCap: Infinity`, so a policy may turn away any wish it is not bound to honour);
 * unserved lines (slack) cost what `ownObjective` charges them. Its LP relaxation is weak
 * (the rights are big-M rows), so where it is fractional: (1) the fewest lines any policy
 * within the rights turns away, K, from the same model counting fall-backs (LP and MIP
 * bound, rounded up: the count is whole); (2) the score model again, LP and MIP, with the
 * valid cut "at least K turned away". The bound is the best of all these (each is a lower
 * bound on the same optimum); each line takes one column, so the sum of its cheapest
 * columns is one too. MIPs get `mipTimeLimitS` each. The MIP without the cut is left out:
 * it relaxes the one with it.
 */
export async function rightsScoreLowerBound(classes: readonly LpClass[], state: NavigatorState, mipTimeLimitS: number): Promise<RightsScoreBound> {
  const { groups, pruned } = contestedGroups(classes, state)
  const out: RightsScoreBound = { score: 0, turnedAwayAtLeast: 0, lpOnlyGroups: 0, mipBoundGroups: 0, mipOptimalGroups: 0, bestFound: 0, bestChoice: classes.map(() => -1), solveMs: 0, hardGroups: [] }
  const t0 = performance.now()
  const take = (members: number[], sub: LpClass[], columns: [number, number, number][], x: ArrayLike<number>) => columns.forEach(([ci, , oi], j) => {
    if (x[j] > 0.5 && out.bestChoice) out.bestChoice[members[ci]] = oi < 0 ? -1 : classes[members[ci]].options.indexOf(sub[ci].options[oi])
  })
  for (const members of groups) {
    const sub = members.map((i) => pruned[i])
    const lp = buildCapacityLp(sub, state, { days: 1, arrivalRights: true, fallbackCap: Infinity })
    const mip = buildCapacityLp(sub, state, { days: 1, arrivalRights: true, fallbackCap: Infinity, integer: true })
    // The cheapest column of each line (slack at its cost: the model's objective).
    const cheapest = sub.map(() => Infinity)
    lp.columns.forEach(([ci], j) => { cheapest[ci] = Math.min(cheapest[ci], lp.lp.colCost[j]) })
    const trivial = cheapest.reduce((a, x) => a + x, 0)
    // Turned away: a fall-back or the slack (columns of `columns` are the model's first ones).
    const away = lp.columns.flatMap(([ci, , oi], j) => (oi < 0 || sub[ci].options[oi].fallback ? [j] : []))
    const relaxed = await solveLp(lp.lp, mipTimeLimitS)
    const lpBound = relaxed.bound ?? -Infinity
    // An LP optimum in whole numbers is the MIP's optimum: no need to search (only the
    // MIP's whole columns count: the running sums of `arrivalRights` are hours).
    const integral = relaxed.bound !== undefined && relaxed.colValue.every((x, j) => !mip.lp.colInteger[j] || Math.abs(x - Math.round(x)) < 1e-7)
    if (integral) {
      out.score += Math.max(trivial, lpBound)
      out.lpOnlyGroups++
      out.mipOptimalGroups++
      out.turnedAwayAtLeast += Math.round(away.reduce((a, j) => a + relaxed.colValue[j], 0))
      if (out.bestFound !== null) out.bestFound += relaxed.objective
      take(members, sub, lp.columns, relaxed.colValue)
      continue
    }
    const isAway = new Set(away)
    const costs = lp.lp.colCost.map((_, j) => (isAway.has(j) ? 1 : 0))
    const countLp = await solveLp(copyWith(lp.lp, costs), mipTimeLimitS)
    const countMip = await solveLp(copyWith(mip.lp, costs), mipTimeLimitS)
    const k = Math.max(0, Math.ceil(Math.max(countLp.bound ?? 0, countMip.bound ?? 0) - 1e-6))
    // The MIP without the cut is a relaxation of the one with it: only the latter is solved.
    const cutLp = await solveLp(withFloor(lp.lp, away, k), mipTimeLimitS)
    const cutMip = await solveLp(withFloor(mip.lp, away, k), mipTimeLimitS)
    const lpBest = Math.max(lpBound, cutLp.bound ?? -Infinity)
    const mipBest = cutMip.bound ?? -Infinity
    out.score += Math.max(trivial, lpBest, mipBest)
    if (mipBest > lpBest) out.mipBoundGroups++
    else out.lpOnlyGroups++
    if (cutMip.status === 'Optimal') out.mipOptimalGroups++
    out.turnedAwayAtLeast += k
    if (out.bestFound !== null) {
      out.bestFound = cutMip.colValue.some((v) => v > 0.5) ? out.bestFound + cutMip.objective : null
      if (out.bestFound !== null) take(members, sub, mip.columns, cutMip.colValue)
    }
    out.hardGroups.push({
      lines: members.length, lp: lpBound, turnedAwayAtLeast: k, countLp: countLp.bound ?? null, countMip: countMip.bound ?? null,
      lpWithCount: cutLp.bound ?? null, mipWithCount: cutMip.bound ?? null, status: cutMip.status,
    })
  }
  out.solveMs = performance.now() - t0
  if (out.bestFound === null) out.bestChoice = null
  return out
}

/**
 * Replays a choice of plans line by line in arrival order, outside any solver: every
 * limited slot within its capacity at the end, and every entitled line that falls back
 * (or is left unserved) arriving when each of its wish plans lacked room for one of its
 * uses. What a MIP's plan within the rights must pass, checked without its tolerances.
 */
export function replayWithinRights(classes: readonly LpClass[], state: NavigatorState, choice: readonly number[]): { score: number; turnedAway: number; violations: string[] } {
  const booked = new Map<string, number>()
  // What the lines before had booked when this one arrived: refurbishments are booked on grading, later.
  const arrived = new Map<string, number>()
  const graded: { o: PlanOption; u: PlanOption['uses'][number] }[] = []
  const fits = (o: PlanOption) => o.uses.every((u) => u.amount <= 0 || freeOf(state, u.kind, u.scope, u.slot) - (arrived.get(resourceKey(u.kind, u.scope, u.slot)) ?? 0) + 1e-9 >= u.amount)
  const violations: string[] = []
  let score = 0
  let turnedAway = 0
  classes.forEach((cl, i) => {
    const oi = choice[i]
    const o = oi >= 0 ? cl.options[oi] : undefined
    if (!o || o.fallback) {
      turnedAway++
      if (cl.entitled && cl.options.some((w) => !w.fallback && fits(w))) violations.push(`line ${i}: a wish plan had room`)
    }
    if (!o) { violations.push(`line ${i}: unserved`); return }
    score += o.score
    for (const u of o.uses) {
      if (!(u.amount > 0)) continue
      const k = resourceKey(u.kind, u.scope, u.slot)
      arrived.set(k, (arrived.get(k) ?? 0) + bookedOnArrival(o, k))
      if (!spreads(o, u)) { booked.set(k, (booked.get(k) ?? 0) + u.amount); continue }
      graded.push({ o, u })
    }
  })
  // Refurbishments last, as grading books them after every repair asked for on arrival.
  // Their hours are expected hours, which the model splits over the look-ahead days: each
  // fills the earliest days with room, in the order of its first day (with windows of one
  // length, that fits them all whenever any split does); what fits nowhere over-books its last day.
  for (const { o, u } of [...graded].sort((a, b) => Number(a.u.slot) - Number(b.u.slot))) {
    let left = u.amount
    for (let k = 0; k <= o.spreadDays! && left > 1e-9; k++) {
      const d = resourceKey(u.kind, u.scope, Number(u.slot) + k)
      const room = Math.max(0, freeOf(state, u.kind, u.scope, Number(u.slot) + k) - (booked.get(d) ?? 0))
      const take = k === o.spreadDays ? left : Math.min(left, room)
      booked.set(d, (booked.get(d) ?? 0) + take)
      left -= take
    }
  }
  for (const [k, used] of booked) {
    const r = parseResourceKey(k)
    if (used > freeOf(state, r.kind, r.scope, r.slot) + 1e-9) violations.push(`${k}: over-booked`)
  }
  return { score, turnedAway, violations }
}
