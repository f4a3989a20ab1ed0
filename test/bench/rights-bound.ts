// What the hindsight within the rights is built from, and the bound it leads to (issue 17):
// the lines of a known batch split into groups linked by contested capacity, and a lower
// bound on the own score of ANY policy that respects the customers' rights (capacity-lp.ts
// `arrivalRights`) over the same candidate plans. The bench's target is a score within 2 %
// of plain hindsight; where this bound is already further than that, no policy deciding
// on arrival within the rights can meet it.
import { buildCapacityLp, type LpClass, type PlanOption } from '../../server/navigator/capacity-lp.js'
import { freeOf, parseResourceKey, resourceKey } from '../../server/navigator/capacity.js'
import type { NavigatorState } from '../../server/navigator/state.js'
import { solveLp } from '../../pipelines/highs-solver.js'

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
    for (const o of cl.options) for (const u of o.uses) if (u.amount > 0) { const k = resourceKey(u.kind, u.scope, u.slot); most.set(k, Math.max(most.get(k) ?? 0, u.amount)) }
    for (const [k, a] of most) demand.set(k, (demand.get(k) ?? 0) + a)
  }
  const contested = new Set([...demand].filter(([k, a]) => { const r = parseResourceKey(k); return a > freeOf(state, r.kind, r.scope, r.slot) + 1e-9 }).map(([k]) => k))
  const parent = classes.map((_, i) => i)
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])))
  const firstOf = new Map<string, number>()
  classes.forEach((cl, i) => {
    for (const o of cl.options) for (const u of o.uses) {
      const k = resourceKey(u.kind, u.scope, u.slot)
      if (!contested.has(k)) continue
      const j = firstOf.get(k)
      if (j === undefined) firstOf.set(k, i)
      else parent[root(i)] = root(j)
    }
  })
  const byRoot = new Map<number, number[]>()
  classes.forEach((_, i) => { const r = root(i); byRoot.set(r, [...(byRoot.get(r) ?? []), i]) })
  const signature = (o: PlanOption) => o.uses.filter((u) => u.amount > 0 && contested.has(resourceKey(u.kind, u.scope, u.slot)))
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
  /** Groups where the LP relaxation's bound was the better one (or the MIP gave none). */
  lpOnlyGroups: number
  /** Groups where the MIP's proven dual bound was the better one. */
  mipBoundGroups: number
  /** Groups whose MIP was solved to optimality (within HiGHS's default 0.01 % gap). */
  mipOptimalGroups: number
  /** The best plans within the rights the MIPs found (an upper bound on the optimum); null if a group found none. */
  bestFound: number | null
  solveMs: number
  /** The groups of more than one line: size, the LP bound, the MIP's bound and status. */
  largeGroups: { lines: number; lp: number | null; mip: number | null; status: string }[]
}

/**
 * A lower bound on the own score (fall-back penalty left out, as `ownObjective`) of any
 * policy that respects the rights, per group: the best of the score-only model's LP
 * relaxation and the MIP's proven dual bound after `mipTimeLimitS`, summed over all
 * groups. The model is `arrivalRights` with the fall-backs at their own score and no cap
 * on their number (`fallbackCap: Infinity`): a policy may turn away any wish it is not
 * bound to honour, so the bound does not assume it honours the most wishes it could.
 * Unserved lines (slack) cost what `ownObjective` charges them. Each line takes exactly one
 * column, so the sum of its cheapest columns is a bound too, used if both solves fail.
 */
export async function rightsScoreLowerBound(classes: readonly LpClass[], state: NavigatorState, mipTimeLimitS: number): Promise<RightsScoreBound> {
  const { groups, pruned } = contestedGroups(classes, state)
  const out: RightsScoreBound = { score: 0, lpOnlyGroups: 0, mipBoundGroups: 0, mipOptimalGroups: 0, bestFound: 0, solveMs: 0, largeGroups: [] }
  const t0 = performance.now()
  for (const members of groups) {
    const sub = members.map((i) => pruned[i])
    const lp = buildCapacityLp(sub, state, { days: 1, arrivalRights: true, fallbackCap: Infinity })
    const mip = buildCapacityLp(sub, state, { days: 1, arrivalRights: true, fallbackCap: Infinity, integer: true })
    // The cheapest column of each line (slack at its cost: the model's objective).
    const cheapest = sub.map(() => Infinity)
    lp.columns.forEach(([ci], j) => { cheapest[ci] = Math.min(cheapest[ci], lp.lp.colCost[j]) })
    const trivial = cheapest.reduce((a, x) => a + x, 0)
    const relaxed = await solveLp(lp.lp, mipTimeLimitS)
    const lpBound = relaxed.bound
    // An LP optimum in whole numbers is the MIP's optimum: no need to search.
    // (Only the MIP's whole columns: the running sums of `arrivalRights` are hours.)
    const integral = lpBound !== undefined && relaxed.colValue.every((x, j) => !mip.lp.colInteger[j] || Math.abs(x - Math.round(x)) < 1e-7)
    const solved = integral ? null : await solveLp(mip.lp, mipTimeLimitS)
    const mipBound = integral ? lpBound : solved!.bound
    const best = Math.max(trivial, lpBound ?? -Infinity, mipBound ?? -Infinity)
    out.score += best
    if (!integral && mipBound !== undefined && mipBound > (lpBound ?? -Infinity)) out.mipBoundGroups++
    else out.lpOnlyGroups++
    if (integral || solved!.status === 'Optimal') out.mipOptimalGroups++
    if (out.bestFound !== null) {
      if (integral) out.bestFound += relaxed.objective
      else if (solved!.colValue.some((x) => x > 0.5)) out.bestFound += solved!.objective
      else out.bestFound = null
    }
    if (members.length > 1) out.largeGroups.push({ lines: members.length, lp: lpBound ?? null, mip: mipBound ?? null, status: integral ? 'lp integral' : solved!.status })
  }
  out.solveMs = performance.now() - t0
  return out
}
