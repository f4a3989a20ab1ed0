// The batch assignment LP behind the bid prices (DECISION-MODEL.md "Beyond one event"),
// built as a sparse LP in arrays (lp-model.ts) for HiGHS. One class per forecast return line (with its expected
// count), one variable per candidate plan and arrival day; rows: each class is served
// once per arrival, and each limited slot's remaining capacity. The duals of the
// capacity rows are the bid prices. Pure: the solver is passed in.
import type { WeightsVersion } from '../contracts/weights.js'
import { enumerateCandidates, type Candidate, type EnumerateOptions } from './candidates.js'
import { DAILY_KINDS, freeOf, resourceKey, usesOfReservations, type Use } from './capacity.js'
import { buildLineContext, type LineContext, type LineInput } from './line-context.js'
import { entitledToWish, entitlementOf, jurisdictionRules } from './rights.js'
import type { Network } from './network.js'
import { LpBuilder, type LinearProgram } from './lp-model.js'
import { inspectionDayOf, plannedReservations, repairParts } from './plan-uses.js'
import { repairQuote } from './recovery.js'
import { ownScoreOf } from './score.js'
import type { NavigatorState } from './state.js'

export interface PlanOption {
  /** resolution|mode|node|source|swap|benchQueueDays: matches a decision's path. */
  key: string
  score: number
  uses: Use[]
  /** A plan the navigator takes only when none that honours the wish has room. */
  fallback?: boolean
  /**
   * Of `uses`, those booked only once the item is graded (a refurbishment's expected bench
   * hours and parts): when a later line arrives they are not booked yet (arrivalRights).
   */
  graded?: Use[]
  /**
   * Its graded bench hours may fall on this many days after their slot's as well (the
   * look-ahead decide.ts searches for a day with room): the LP spreads them over those days.
   */
  spreadDays?: number
}

/**
 * What a fall-back costs the LP on top of its score: more than any plan's score spread,
 * so the LP gives up a wish only where capacity leaves no other way, as the navigator
 * does (its rule is lexicographic; this is its big-M form). Scores read back from a
 * solution leave it out (ownObjective).
 */
export const FALLBACK_PENALTY = 100_000

export interface LpClass {
  options: PlanOption[]
  /** Expected arrivals of this class per arrival day (1 for a line of a known batch). */
  count: number
  /** The customer is entitled to the wish (rights.ts): with `arrivalRights`, see buildCapacityLp. */
  entitled?: boolean
}

export interface LpModel {
  lp: LinearProgram
  /** Capacity row → resource key, for reading the duals back. */
  rowResource: Map<number, string>
  /**
   * Column → [class, day, option] (the slack column has option −1); the columns of
   * `arrivalRights` (running sums, picks) come after these.
   */
  columns: [number, number, number][]
  /** The fall-back plans' columns, and the row that caps them (−1 without one). */
  fallbackCols: number[]
  fallbackRow: number
}

/**
 * Best plans of a line as if nothing were booked: one per path and bench day, the best
 * `keep` kept. The navigator honours the customer's wish whenever a plan can (decide.ts,
 * rights.ts): those plans are the line's own; the others it takes only when none of them
 * has room, so they come in as fall-backs, which the LP uses only when it must.
 *
 * A plan whose recourse refurbishes some grades comes as twins (routeOptions): with the
 * refurbishment's expected bench hours, spread over the days the navigator would look at
 * once the item is graded, or the same route with the item sold without the bench.
 * Without them the model counted on refurbishment at a bench that repairs had already
 * filled, which the navigator does not (recovery.ts checks the bench for it).
 */
export function lineOptions(
  input: LineInput, state: NavigatorState, network: Network, weights: WeightsVersion, nowMs: number, keep = 12,
): PlanOption[] {
  const ctx = buildLineContext(input, state, network, nowMs)
  const entitlement = entitlementOf(jurisdictionRules(weights.policy), {
    reason: ctx.reason, condition: ctx.condition, category: ctx.category, days: ctx.daysSinceDelivery, priorRepairs: ctx.priorRepairs,
    withdrawable: ctx.returnable && !weights.policy.nonReturnableCategories.includes(ctx.category),
  })
  const enumerate = (rights: EnumerateOptions['rights'] | undefined, recourseWithoutBench: boolean) =>
    enumerateCandidates(ctx, state, network, weights.policy, { ignoreCapacity: true, rights, recourseWithoutBench }).candidates
  const split = (withoutBench: boolean): { own: Candidate[]; fallback: Candidate[] } => {
    if (entitlement && entitledToWish(entitlement, ctx.wants)) {
      return { own: enumerate({ mode: 'wish', entitlement }, withoutBench), fallback: enumerate({ mode: 'allowed', entitlement }, withoutBench) }
    }
    const all = enumerate(undefined, withoutBench)
    const own = all.filter((c) => c.mismatch === 0)
    return own.length ? { own, fallback: all.filter((c) => c.mismatch !== 0) } : { own: all, fallback: [] }
  }
  const withBench = split(false)
  const refurbishes = (cs: Candidate[]) => cs.some((c) => c.recourseBenchHours > 0)
  const twins = refurbishes(withBench.own) || refurbishes(withBench.fallback) ? split(true) : null
  const out = pickOptions(withBench.own, twins?.own ?? [], network, weights, state, ctx, keep, false)
  const ownRoutes = new Set(out.map((o) => routeOf(o.key)))
  for (const o of pickOptions(withBench.fallback, twins?.fallback ?? [], network, weights, state, ctx, keep, true)) {
    if (!ownRoutes.has(routeOf(o.key))) out.push(o)
  }
  return out
}

/** The route of an option's key: a refurbishment twin's key less its mark (`|r`). */
export const routeOf = (key: string): string => (key.endsWith('|r') ? key.slice(0, -2) : key)

/** A line's options on the route of a decided plan (decisionRoute): the plan and its refurbishment twin. */
export const optionsOfRoute = (options: readonly PlanOption[], route: string): PlanOption[] =>
  options.filter((o) => routeOf(o.key) === route)

/** Whether `u` is an option's graded bench use that the LP spreads over days (spreadDays). */
export const spreads = (o: PlanOption, u: Use): boolean =>
  (o.spreadDays ?? 0) > 0 && u.kind === 'bench' && (o.graded?.some((g) => g.kind === 'bench' && g.scope === u.scope && g.slot === u.slot) ?? false)

/** Every slot the option may take: a spread bench use once on each of its days, in full. */
export function slotsOf(o: PlanOption): Use[] {
  if (!o.spreadDays) return o.uses
  const out: Use[] = []
  for (const u of o.uses) {
    if (!spreads(o, u)) { out.push(u); continue }
    for (let k = 0; k <= o.spreadDays; k++) out.push({ ...u, slot: Number(u.slot) + k })
  }
  return out
}

/**
 * The options of one route: the plan as enumerated and, when its recourse refurbishes,
 * its twin. The plan refurbishing books its expected bench hours (P(grade) × hours, the
 * fluid form of a booking made once the grade is known) from the inspection day over the
 * look-ahead days after it, the days decide.ts would try, split as the LP finds room
 * (spreadDays: one column for the route, not one per day, which left the hindsight MIP
 * with symmetric copies that ran HiGHS out of memory). Its twin (`without`, the same
 * route enumerated with no bench in the recourse) books none and sells those grades
 * another way, as the navigator does when the bench is full.
 */
function routeOptions(c: Candidate, without: Candidate | undefined, ctx: LineContext, state: NavigatorState, network: Network, weights: WeightsVersion, fallback: boolean): PlanOption[] {
  const key = optionKey(c, network)
  const option = (x: Candidate, k: string, graded: Use[]): PlanOption => ({
    key: k, score: ownScoreOf(x, weights.weights),
    // Exactly what the navigator books for this plan, slot by slot (plan-uses.ts).
    uses: mergeUses([...usesOfReservations(plannedReservations(x, ctx, state, network)), ...graded]),
    ...(fallback ? { fallback: true } : {}),
    ...(graded.length ? { graded, spreadDays: network.file.rules.benchLookaheadDays } : {}),
  })
  if (!(c.recourseBenchHours > 0)) return [option(c, key, [])]
  const node = network.nodes[c.receivingNode].id
  // A refurbishment takes the repair's parts too (decide.ts), in the same expected share.
  const quote = repairQuote(ctx, network, c.receivingNode)
  const share = typeof quote === 'string' || !(quote.hours > 0) ? 0 : c.recourseBenchHours / quote.hours
  const parts: Use[] = repairParts(ctx, network, c.receivingNode).map((p) => ({ kind: 'parts', scope: node, slot: p.partId, amount: p.qty * share }))
  const bench: Use = { kind: 'bench', scope: node, slot: inspectionDayOf(c, ctx, state), amount: c.recourseBenchHours }
  const out = [option(c, `${key}|r`, [bench, ...parts])]
  if (without) out.push(option(without, key, []))
  return out
}

function pickOptions(
  candidates: Candidate[], withoutBench: Candidate[], network: Network, weights: WeightsVersion, state: NavigatorState, ctx: LineContext, keep: number, fallback: boolean,
): PlanOption[] {
  const all = candidates.map((c) => ({ key: optionKey(c, network), score: ownScoreOf(c, weights.weights), c }))
  all.sort((a, b) => a.score - b.score || (a.key < b.key ? -1 : 1))
  // The best plan of each route without the bench, for the twins of those that refurbish.
  const twinOf = new Map<string, { c: Candidate; score: number }>()
  for (const c of withoutBench) {
    const key = optionKey(c, network)
    const score = ownScoreOf(c, weights.weights)
    const prev = twinOf.get(key)
    if (!prev || score < prev.score) twinOf.set(key, { c, score })
  }
  const seen = new Set<string>()
  const signatures = new Set<string>()
  const signatureOf = (c: Candidate) => contestedSignature(usesOfReservations(plannedReservations(c, ctx, state, network)))
  const out: PlanOption[] = []
  let routes = 0
  const take = (e: (typeof all)[number], sig = signatureOf(e.c)) => {
    seen.add(e.key)
    signatures.add(sig)
    routes++
    out.push(...routeOptions(e.c, twinOf.get(e.key)?.c, ctx, state, network, weights, fallback))
  }
  for (const e of all) {
    if (routes >= keep) break
    if (!seen.has(e.key)) take(e)
  }
  // The best plan of every resolution stays in, so a class whose scarce plans are gone
  // falls back to its real alternative (a refund) and the price is that difference.
  for (const e of all) {
    if (!seen.has(e.key) && !out.some((o) => o.key.startsWith(`${e.c.resolution}|`))) take(e)
  }
  // And the best plan on every other contested unit it could use (another warehouse's
  // replacement, another bench day): the best `keep` plans of an exchange often all take
  // the nearest warehouse's one unit, and the LP then sees a refund as the only way round
  // it and prices the unit at the whole wish (¥1,000+) where the next warehouse was ¥20
  // dearer. Inspection and outlet slots do not count: they vary with every plan's day; nor
  // do a refurbishment's hours (its twin comes with the route).
  for (const e of all) {
    if (seen.has(e.key)) continue
    const sig = signatureOf(e.c)
    if (!signatures.has(sig)) take(e, sig)
  }
  return out
}

/** The stock units and bench day a plan takes, as one string. */
function contestedSignature(uses: readonly Use[]): string {
  return uses.filter((u) => u.kind === 'stock' || u.kind === 'bench').map((u) => resourceKey(u.kind, u.scope, u.slot)).sort().join(',')
}

/**
 * The key of a decided path, to find its option (queue days: bench day − inspection day).
 * Without the refund timing or advance exchange: those variants book the same slots, so
 * the best-scoring one stands for the route and the kept options stay distinct routes.
 */
export function optionKey(c: Candidate, network: Network): string {
  const id = (i: number) => (i < 0 ? '-' : network.nodes[i].id)
  return `${c.resolution}|${c.inboundMode}|${id(c.receivingNode)}|${id(c.exchangeSource)}|${c.swapAtDoor ? 1 : 0}|${c.repair?.queueDays ?? 0}`
}

function mergeUses(uses: Use[]): Use[] {
  const byKey = new Map<string, Use>()
  for (const u of uses) {
    const k = resourceKey(u.kind, u.scope, u.slot)
    const prev = byKey.get(k)
    if (prev) prev.amount += u.amount
    else byKey.set(k, { ...u })
  }
  return [...byKey.values()]
}

const shifted = (u: Use, days: number): Use =>
  days && DAILY_KINDS.includes(u.kind) ? { ...u, slot: Number(u.slot) + days } : u

/**
 * The LP (or, with `integer`, the MIP) over `days` arrival days: class c arrives `count`
 * times on each day, its plans' daily slots shifted by the day. Capacity is what is
 * left in `state` now. A slack plan per class (cost above its worst plan) keeps the
 * model feasible when a class cannot be served; it shows up as a price cap, never as
 * an infeasible solve. Costs, amounts and capacities are taken to 6 decimals (the
 * model was LP text once, and its solutions are compared across versions).
 */
export function buildCapacityLp(
  classes: readonly LpClass[], state: NavigatorState,
  opts: {
    days: number; integer?: boolean
    /**
     * Second stage: the fall-backs at their own score, at most this many in all (the
     * first stage's count). Its duals are prices in money for the capacity that keeps
     * that many wishes honoured, not in units of the penalty.
     */
    fallbackCap?: number
    /**
     * The row that caps the fall-backs, even without `fallbackCap` (then unbounded): the
     * two stages solved as one model, the second by changing its costs and that bound
     * (price-capacity.ts).
     */
    fallbackRow?: boolean
    /**
     * Hindsight within the customer's rights (a known batch, classes in arrival order,
     * one day, count 1): an entitled line may take a fall-back only if, when it arrived,
     * every plan for its wish was already out of room given what the lines before it
     * booked — as the navigator must decide (decide.ts). Without it, hindsight may turn
     * away an entitled repair while the bench has room, to keep the hours for shorter
     * repairs that come later, which no policy deciding on arrival may do.
     */
    arrivalRights?: boolean
  },
): LpModel {
  const b = new LpBuilder()
  const fallbackCols: number[] = []
  const rows = new Map<string, { cols: number[]; amounts: number[]; key: string; cap: number }>()
  const serve: { name: string; cols: number[]; count: number }[] = []
  const columns: [number, number, number][] = []
  // The capacity row of a limited slot, made on first use (undefined: the slot is unlimited).
  const rowOf = (u: Use) => {
    const key = resourceKey(u.kind, u.scope, u.slot)
    let row = rows.get(key)
    if (!row) {
      const cap = freeOf(state, u.kind, u.scope, u.slot)
      if (!Number.isFinite(cap)) return undefined
      row = { cols: [], amounts: [], key, cap: Math.max(0, cap) }
      rows.set(key, row)
    }
    return row
  }
  // Graded bench hours to spread: the plan's column, the use on its first day, the days after.
  const spread: { j: number; u: Use; days: number }[] = []
  classes.forEach((cl, ci) => {
    // Unserved: a person decides (needs review); priced just above the class's worst plan,
    // so a class that cannot be served caps its slots' prices at its own spread.
    let slackCost = 0
    for (const o of cl.options) slackCost = Math.max(slackCost, costOf(o))
    slackCost += 100
    for (let d = 0; d < opts.days; d++) {
      const terms: number[] = []
      cl.options.forEach((o, oi) => {
        // A plan that does not fit a slot even alone cannot be chosen (the navigator rejects
        // it too): no column, so an empty slot gets no row and no price of its own.
        // (Spread hours fit over their days: checked by the LP.)
        if (o.uses.some((u0) => { const u = shifted(u0, d); return u.amount > 0 && !spreads(o, u0) && freeOf(state, u.kind, u.scope, u.slot) + 1e-9 < u.amount })) return
        const j = b.col(`x${ci}_${d}_${oi}`, r6(opts.fallbackCap === undefined ? costOf(o) : o.score), opts.integer)
        columns.push([ci, d, oi])
        terms.push(j)
        if (o.fallback) fallbackCols.push(j)
        for (const u0 of o.uses) {
          const u = shifted(u0, d)
          if (u.amount <= 0) continue
          if (spreads(o, u0)) { spread.push({ j, u, days: o.spreadDays! }); continue }
          const row = rowOf(u)
          if (!row) continue
          row.cols.push(j)
          row.amounts.push(r6(u.amount))
        }
      })
      terms.push(b.col(`s${ci}_${d}`, r6(slackCost), opts.integer))
      columns.push([ci, d, -1])
      serve.push({ name: `d${ci}_${d}`, cols: terms, count: r6(cl.count) })
    }
  })
  // Spread uses with the same first day and look-ahead share the same days: their hours
  // are pooled (exact, as any share of the pool can go to any of its days), then split
  // by y ≥ 0 per day, after every plan's column so `columns` stays the LP's first columns.
  // One set of shares per pool, not per plan: per plan they doubled the job's solve.
  const pools = new Map<string, { u: Use; days: number; cols: number[]; amounts: number[] }>()
  for (const { j, u, days } of spread) {
    const key = `${resourceKey(u.kind, u.scope, u.slot)}|${days}`
    let pool = pools.get(key)
    if (!pool) pools.set(key, (pool = { u, days, cols: [], amounts: [] }))
    pool.cols.push(j)
    pool.amounts.push(r6(u.amount))
  }
  const links: { cols: number[]; values: number[] }[] = []
  let n = 0
  for (const { u, days, cols: planCols, amounts } of pools.values()) {
    const dayRows = Array.from({ length: days + 1 }, (_, k) => rowOf({ ...u, slot: Number(u.slot) + k }))
    if (dayRows.some((row) => !row)) continue // an unlimited day takes them all
    const shares: number[] = []
    for (const [k, row] of dayRows.entries()) {
      const y = b.col(`y${n}_${k}`, 0)
      row!.cols.push(y)
      row!.amounts.push(1)
      shares.push(y)
    }
    n++
    links.push({ cols: [...shares, ...planCols], values: [...shares.map(() => 1), ...amounts.map((a) => -a)] })
  }
  for (const s of serve) b.row(s.name, s.count, s.count, s.cols, s.cols.map(() => 1))
  const rowResource = new Map<number, string>()
  let r = 0
  for (const row of rows.values()) rowResource.set(b.row(`c${r++}`, -Infinity, r6(row.cap), row.cols, row.amounts), row.key)
  links.forEach((l, n) => b.row(`g${n}`, 0, 0, l.cols, l.values))
  const withCap = (opts.fallbackCap !== undefined || opts.fallbackRow) && fallbackCols.length > 0
  const fallbackRow = withCap ? b.row('fallbacks', -Infinity, opts.fallbackCap === undefined ? Infinity : r6(opts.fallbackCap), fallbackCols, fallbackCols.map(() => 1)) : -1
  if (opts.arrivalRights) arrivalRightsRows(b, classes, state, columns, opts.integer ?? false)
  return { lp: b.lp, rowResource, columns, fallbackCols, fallbackRow }
}

/**
 * The rows of `arrivalRights`. For entitled line i, served by its own plans W_i (0 or 1),
 * and each resource r that one of its wish plans o needs a units of: B_i,r, the amount
 * of r the lines before i booked, is a running sum (u_r_k = u_r_(k−1) + what the lines
 * between booked), and a fall-back needs every wish plan out of room: for each plan o,
 * some resource r of o with B_i,r ≥ cap_r − a + ε (a whole z picks which, when o has
 * several), required only when 1 − W_i = 1. A resource that cannot fill up even if every
 * line took it is never the reason, and left out.
 */
function arrivalRightsRows(
  b: LpBuilder, classes: readonly LpClass[], state: NavigatorState, columns: readonly [number, number, number][], integer: boolean,
): void {
  const EPS = 1e-3
  const colsOf = classes.map(() => [] as { j: number; oi: number }[])
  columns.forEach(([ci, d, oi], j) => { if (d === 0 && oi >= 0) colsOf[ci].push({ j, oi }) })
  // What every line could take of each resource, to leave out those that cannot fill up.
  const demand = new Map<string, number>()
  const capOf = new Map<string, number>()
  for (const cl of classes) {
    const most = new Map<string, number>()
    for (const o of cl.options) for (const u of slotsOf(o)) {
      if (u.amount <= 0) continue
      const key = resourceKey(u.kind, u.scope, u.slot)
      if (!capOf.has(key)) capOf.set(key, freeOf(state, u.kind, u.scope, u.slot))
      most.set(key, Math.max(most.get(key) ?? 0, u.amount))
    }
    for (const [k, a] of most) demand.set(k, (demand.get(k) ?? 0) + a)
  }
  const contested = (key: string) => Number.isFinite(capOf.get(key)!) && demand.get(key)! > capOf.get(key)! + 1e-9
  let n = 0
  // Running sums per resource: the last variable and the line after which it was taken.
  const running = new Map<string, { col: number; upTo: number }>()
  const bookedBefore = (key: string, i: number): number => {
    const prev = running.get(key)
    const v = b.col(`u${n}`, 0)
    const cols: number[] = [v]
    const values: number[] = [1]
    if (prev) { cols.push(prev.col); values.push(-1) }
    for (let k = prev ? prev.upTo : 0; k < i; k++) {
      for (const { j, oi } of colsOf[k]) {
        const o = classes[k].options[oi]
        const amount = bookedOnArrival(o, key)
        if (amount > 0) { cols.push(j); values.push(-r6(amount)) }
      }
    }
    b.row(`ru${n++}`, 0, 0, cols, values)
    running.set(key, { col: v, upTo: i })
    return v
  }
  classes.forEach((cl, i) => {
    if (!cl.entitled) return
    const own = colsOf[i].filter(({ oi }) => !cl.options[oi].fallback)
    // No wish plan fits even alone: turning the wish away breaks no right.
    if (!own.length) return
    const served = own.map(({ j }) => j)
    const ones = served.map(() => 1)
    const seen = new Set<string>()
    for (const { oi } of own) {
      // What the plan books on arrival: a refurbishment, booked on grading, never leaves it without room.
      const o = cl.options[oi]
      const needs = o.uses.filter((u) => u.amount > 0 && contested(resourceKey(u.kind, u.scope, u.slot)) && bookedOnArrival(o, resourceKey(u.kind, u.scope, u.slot)) > 0)
      const sig = needs.map((u) => `${resourceKey(u.kind, u.scope, u.slot)}:${u.amount}`).sort().join(',')
      if (seen.has(sig)) continue
      seen.add(sig)
      // A wish plan that needs nothing contested always has room: its line keeps the wish.
      if (!needs.length) { b.row(`rw${n++}`, 1, 1, served, ones); continue }
      const picks: number[] = []
      for (const u of needs) {
        const key = resourceKey(u.kind, u.scope, u.slot)
        const full = r6(capOf.get(key)! - u.amount + EPS)
        const booked = bookedBefore(key, i)
        if (needs.length === 1) {
          // booked ≥ full × (1 − W_i)
          b.row(`rf${n++}`, full, Infinity, [booked, ...served], [1, ...served.map(() => full)])
          continue
        }
        const z = b.col(`z${n}`, 0, integer)
        b.row(`rf${n++}`, 0, Infinity, [booked, z], [1, -full])
        picks.push(z)
      }
      // Some resource of the plan is full whenever the line falls back: Σ z ≥ 1 − W_i.
      if (picks.length) b.row(`ro${n++}`, 1, Infinity, [...picks, ...served], [...picks.map(() => 1), ...ones])
    }
  })
}

/** What the plan has booked of a resource once its line is decided: its uses less those made on grading. */
export function bookedOnArrival(o: PlanOption, key: string): number {
  let amount = 0
  for (const u of o.uses) if (u.amount > 0 && resourceKey(u.kind, u.scope, u.slot) === key) amount += u.amount
  if (o.graded) for (const u of o.graded) if (resourceKey(u.kind, u.scope, u.slot) === key) amount -= u.amount
  return amount
}

const costOf = (o: PlanOption) => o.score + (o.fallback ? FALLBACK_PENALTY : 0)

/** The fall-back columns' costs in the second stage: their own scores, without the penalty. */
export function fallbackScores(model: LpModel, classes: readonly LpClass[]): number[] {
  return model.fallbackCols.map((j) => { const [ci, , oi] = model.columns[j]; return r6(classes[ci].options[oi].score) })
}

/** The second stage's cap: the first stage's fall-backs, and a hair for its rounding. */
export const fallbackCapOf = (fallbacks: number): number => r6(fallbacks + 1e-6)

/** How many fall-back plans a solution uses (the second stage's cap). */
export function fallbacksUsed(model: LpModel, classes: readonly LpClass[], colValue: ArrayLike<number>): number {
  let n = 0
  model.columns.forEach(([ci, , oi], j) => { if (oi >= 0 && classes[ci].options[oi].fallback) n += colValue[j] })
  return n
}

/** The solution's total own score (fall-back penalties left out; unserved lines at their slack cost). */
export function ownObjective(model: LpModel, classes: readonly LpClass[], colValue: ArrayLike<number>): number {
  return ownObjectiveByClass(model, classes, colValue).reduce((a, x) => a + x, 0)
}

/** ownObjective class by class: what each class's columns add to it. */
export function ownObjectiveByClass(model: LpModel, classes: readonly LpClass[], colValue: ArrayLike<number>): number[] {
  const out = classes.map(() => 0)
  model.columns.forEach(([ci, , oi], j) => {
    const x = colValue[j]
    if (!(x > 1e-9)) return
    const cl = classes[ci]
    out[ci] += x * (oi >= 0 ? cl.options[oi].score : Math.max(0, ...cl.options.map(costOf)) + 100)
  })
  return out
}

/** To 6 decimals: what the LP text carried, so the model is the one it was. */
function r6(x: number): number {
  return Number.isInteger(x) || !Number.isFinite(x) ? x : Number(x.toFixed(6))
}

/** The duals of the capacity rows as prices (≥ 0: a tighter slot never lowers the score). */
export function pricesFromDuals(model: LpModel, rowDual: ArrayLike<number>): Map<string, number> {
  const out = new Map<string, number>()
  for (const [r, key] of model.rowResource) {
    const price = -rowDual[r]
    if (price > 1e-7) out.set(key, price)
  }
  return out
}
