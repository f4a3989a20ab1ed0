// The batch assignment LP behind the bid prices (DECISION-MODEL.md "Beyond one event"),
// built as CPLEX LP text for HiGHS. One class per forecast return line (with its expected
// count), one variable per candidate plan and arrival day; rows: each class is served
// once per arrival, and each limited slot's remaining capacity. The duals of the
// capacity rows are the bid prices. Pure: the solver is passed in.
import type { WeightsVersion } from '../contracts/weights.js'
import { enumerateCandidates, type Candidate, type EnumerateOptions } from './candidates.js'
import { DAILY_KINDS, freeOf, resourceKey, usesOfReservations, type Use } from './capacity.js'
import { buildLineContext, type LineContext, type LineInput } from './line-context.js'
import { entitledToWish, entitlementOf, jurisdictionRules } from './rights.js'
import type { Network } from './network.js'
import { plannedReservations } from './plan-uses.js'
import { ownScoreOf } from './score.js'
import type { NavigatorState } from './state.js'

export interface PlanOption {
  /** resolution|mode|node|source|swap|benchQueueDays: matches a decision's path. */
  key: string
  score: number
  uses: Use[]
  /** A plan the navigator takes only when none that honours the wish has room. */
  fallback?: boolean
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
  text: string
  /** Row name → resource key, for reading the duals back. */
  rowResource: Map<string, string>
  /** Column name → [class, day, option] (the slack column has option −1). */
  columns: Map<string, [number, number, number]>
}

/**
 * Best plans of a line as if nothing were booked: one per path and bench day, the best
 * `keep` kept. The navigator honours the customer's wish whenever a plan can (decide.ts,
 * rights.ts): those plans are the line's own; the others it takes only when none of them
 * has room, so they come in as fall-backs, which the LP uses only when it must.
 */
export function lineOptions(
  input: LineInput, state: NavigatorState, network: Network, weights: WeightsVersion, nowMs: number, keep = 12,
): PlanOption[] {
  const ctx = buildLineContext(input, state, network, nowMs)
  const entitlement = entitlementOf(jurisdictionRules(weights.policy), {
    reason: ctx.reason, condition: ctx.condition, category: ctx.category, days: ctx.daysSinceDelivery, priorRepairs: ctx.priorRepairs,
    withdrawable: ctx.returnable && !weights.policy.nonReturnableCategories.includes(ctx.category),
  })
  const enumerate = (rights?: EnumerateOptions['rights']) =>
    enumerateCandidates(ctx, state, network, weights.policy, { ignoreCapacity: true, rights }).candidates
  let own: Candidate[]
  let fallback: Candidate[]
  if (entitlement && entitledToWish(entitlement, ctx.wants)) {
    own = enumerate({ mode: 'wish', entitlement })
    fallback = enumerate({ mode: 'allowed', entitlement })
  } else {
    const all = enumerate()
    own = all.filter((c) => c.mismatch === 0)
    fallback = own.length ? all.filter((c) => c.mismatch !== 0) : []
    if (!own.length) own = all
  }
  const out = pickOptions(own, network, weights, state, ctx, keep, false)
  const ownKeys = new Set(out.map((o) => o.key))
  for (const o of pickOptions(fallback, network, weights, state, ctx, keep, true)) if (!ownKeys.has(o.key)) out.push(o)
  return out
}

function pickOptions(
  candidates: Candidate[], network: Network, weights: WeightsVersion, state: NavigatorState, ctx: LineContext, keep: number, fallback: boolean,
): PlanOption[] {
  const all = candidates.map((c) => ({ key: optionKey(c, network), score: ownScoreOf(c, weights.weights), c }))
  all.sort((a, b) => a.score - b.score || (a.key < b.key ? -1 : 1))
  const seen = new Set<string>()
  const out: PlanOption[] = []
  const take = (e: (typeof all)[number]) => {
    seen.add(e.key)
    // Exactly what the navigator books for this plan, slot by slot (plan-uses.ts).
    const uses = usesOfReservations(plannedReservations(e.c, ctx, state, network))
    out.push({ key: e.key, score: e.score, uses: mergeUses(uses), ...(fallback ? { fallback: true } : {}) })
  }
  for (const e of all) {
    if (out.length >= keep) break
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
  // dearer. Inspection and outlet slots do not count: they vary with every plan's day.
  const signatures = new Set(out.map((o) => contestedSignature(o.uses)))
  for (const e of all) {
    if (seen.has(e.key)) continue
    const sig = contestedSignature(usesOfReservations(plannedReservations(e.c, ctx, state, network)))
    if (signatures.has(sig)) continue
    signatures.add(sig)
    take(e)
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
 * an infeasible solve.
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
  const fallbackTerms: string[] = []
  const obj: string[] = []
  const rows = new Map<string, { terms: string[]; key: string; cap: number }>()
  const serve: string[] = []
  const columns = new Map<string, [number, number, number]>()
  const bounds: string[] = []
  const ints: string[] = []
  classes.forEach((cl, ci) => {
    // Unserved: a person decides (needs review); priced just above the class's worst plan,
    // so a class that cannot be served caps its slots' prices at its own spread.
    let slackCost = 0
    for (const o of cl.options) slackCost = Math.max(slackCost, costOf(o))
    slackCost += 100
    for (let d = 0; d < opts.days; d++) {
      const terms: string[] = []
      cl.options.forEach((o, oi) => {
        // A plan that does not fit a slot even alone cannot be chosen (the navigator rejects
        // it too): no column, so an empty slot gets no row and no price of its own.
        if (o.uses.some((u0) => { const u = shifted(u0, d); return u.amount > 0 && freeOf(state, u.kind, u.scope, u.slot) + 1e-9 < u.amount })) return
        const name = `x${ci}_${d}_${oi}`
        columns.set(name, [ci, d, oi])
        obj.push(`${num(opts.fallbackCap === undefined ? costOf(o) : o.score)} ${name}`)
        terms.push(name)
        if (o.fallback) fallbackTerms.push(name)
        for (const u0 of o.uses) {
          const u = shifted(u0, d)
          if (u.amount <= 0) continue
          const key = resourceKey(u.kind, u.scope, u.slot)
          let row = rows.get(key)
          if (!row) {
            const cap = freeOf(state, u.kind, u.scope, u.slot)
            if (!Number.isFinite(cap)) continue
            row = { terms: [], key, cap: Math.max(0, cap) }
            rows.set(key, row)
          }
          row.terms.push(`${num(u.amount)} ${name}`)
        }
        if (opts.integer) ints.push(name)
      })
      const slack = `s${ci}_${d}`
      columns.set(slack, [ci, d, -1])
      obj.push(`${num(slackCost)} ${slack}`)
      terms.push(slack)
      serve.push(` d${ci}_${d}: ${terms.join(' + ')} = ${num(cl.count)}`)
      if (opts.integer) ints.push(slack)
    }
  })
  const rightsRows = opts.arrivalRights ? arrivalRightsRows(classes, state, columns) : { rows: [], binaries: [] }
  if (opts.integer) ints.push(...rightsRows.binaries)
  const rowResource = new Map<string, string>()
  const capRows: string[] = []
  let r = 0
  for (const row of rows.values()) {
    const name = `c${r++}`
    rowResource.set(name, row.key)
    capRows.push(` ${name}: ${row.terms.join(' + ')} <= ${num(row.cap)}`)
  }
  const text = [
    'Minimize', ` obj: ${obj.join(' + ').replace(/\+ -/g, '- ')}`,
    'Subject To', ...serve, ...capRows,
    ...(opts.fallbackCap !== undefined && fallbackTerms.length ? [` fallbacks: ${fallbackTerms.join(' + ')} <= ${num(opts.fallbackCap)}`] : []),
    ...rightsRows.rows,
    ...(bounds.length ? ['Bounds', ...bounds] : []),
    ...(ints.length ? ['General', ` ${ints.join(' ')}`] : []),
    'End',
  ].join('\n')
  return { text, rowResource, columns }
}

/**
 * The rows of `arrivalRights`. For entitled line i, served by its own plans W_i (0 or 1),
 * and each resource r that one of its wish plans o needs a units of: B_i,r, the amount
 * of r the lines before i booked, is a running sum (u_r_k = u_r_(k−1) + what the lines
 * between booked), and a fall-back needs every wish plan out of room: for each plan o,
 * some resource r of o with B_i,r ≥ cap_r − a + ε (a binary z picks which, when o has
 * several), required only when 1 − W_i = 1. A resource that cannot fill up even if every
 * line took it is never the reason, and left out.
 */
function arrivalRightsRows(
  classes: readonly LpClass[], state: NavigatorState, columns: ReadonlyMap<string, [number, number, number]>,
): { rows: string[]; binaries: string[] } {
  const EPS = 1e-3
  const colsOf = classes.map(() => [] as { name: string; oi: number }[])
  for (const [name, [ci, d, oi]] of columns) if (d === 0 && oi >= 0) colsOf[ci].push({ name, oi })
  // What every line could take of each resource, to leave out those that cannot fill up.
  const demand = new Map<string, number>()
  const capOf = new Map<string, number>()
  for (const cl of classes) {
    const most = new Map<string, number>()
    for (const o of cl.options) for (const u of o.uses) {
      if (u.amount <= 0) continue
      const key = resourceKey(u.kind, u.scope, u.slot)
      if (!capOf.has(key)) capOf.set(key, freeOf(state, u.kind, u.scope, u.slot))
      most.set(key, Math.max(most.get(key) ?? 0, u.amount))
    }
    for (const [k, a] of most) demand.set(k, (demand.get(k) ?? 0) + a)
  }
  const contested = (key: string) => Number.isFinite(capOf.get(key)!) && demand.get(key)! > capOf.get(key)! + 1e-9
  const rows: string[] = []
  const binaries: string[] = []
  // Running sums per resource: the last variable and the line after which it was taken.
  const running = new Map<string, { name: string; upTo: number }>()
  const bookedBefore = (key: string, i: number): string => {
    const prev = running.get(key)
    const terms: string[] = prev ? [prev.name] : []
    for (let j = prev ? prev.upTo : 0; j < i; j++) {
      for (const { name, oi } of colsOf[j]) {
        for (const u of classes[j].options[oi].uses) if (u.amount > 0 && resourceKey(u.kind, u.scope, u.slot) === key) terms.push(`${num(u.amount)} ${name}`)
      }
    }
    const v = `u${rows.length}`
    rows.push(` r${v}: ${v}${terms.length ? ' - ' + terms.join(' - ') : ''} = 0`)
    running.set(key, { name: v, upTo: i })
    return v
  }
  classes.forEach((cl, i) => {
    if (!cl.entitled) return
    const own = colsOf[i].filter(({ oi }) => !cl.options[oi].fallback)
    // No wish plan fits even alone: turning the wish away breaks no right.
    if (!own.length) return
    const served = own.map(({ name }) => name)
    const seen = new Set<string>()
    for (const { oi } of own) {
      const needs = cl.options[oi].uses.filter((u) => u.amount > 0 && contested(resourceKey(u.kind, u.scope, u.slot)))
      const sig = needs.map((u) => `${resourceKey(u.kind, u.scope, u.slot)}:${u.amount}`).sort().join(',')
      if (seen.has(sig)) continue
      seen.add(sig)
      // A wish plan that needs nothing contested always has room: its line keeps the wish.
      if (!needs.length) { rows.push(` rw${rows.length}: ${served.join(' + ')} = 1`); continue }
      const picks = needs.map((u) => {
        const key = resourceKey(u.kind, u.scope, u.slot)
        const full = capOf.get(key)! - u.amount + EPS
        const booked = bookedBefore(key, i)
        if (needs.length === 1) {
          // booked ≥ full × (1 − W_i)
          rows.push(` rf${rows.length}: ${booked} + ${served.map((n) => `${num(full)} ${n}`).join(' + ')} >= ${num(full)}`)
          return null
        }
        const z = `z${rows.length}`
        binaries.push(z)
        rows.push(` rf${rows.length}: ${booked} - ${num(full)} ${z} >= 0`)
        return z
      }).filter((z): z is string => z !== null)
      // Some resource of the plan is full whenever the line falls back: Σ z ≥ 1 − W_i.
      if (picks.length) rows.push(` ro${rows.length}: ${[...picks, ...served].join(' + ')} >= 1`)
    }
  })
  return { rows, binaries }
}

const costOf = (o: PlanOption) => o.score + (o.fallback ? FALLBACK_PENALTY : 0)

/** How many fall-back plans a solution uses (the second stage's cap). */
export function fallbacksUsed(model: LpModel, classes: readonly LpClass[], columns: Record<string, { Primal: number }>): number {
  let n = 0
  for (const [name, col] of Object.entries(columns)) {
    const at = model.columns.get(name)
    if (at && at[2] >= 0 && classes[at[0]].options[at[2]].fallback) n += col.Primal
  }
  return n
}

/** The solution's total own score (fall-back penalties left out; unserved lines at their slack cost). */
export function ownObjective(model: LpModel, classes: readonly LpClass[], columns: Record<string, { Primal: number }>): number {
  let sum = 0
  for (const [name, col] of Object.entries(columns)) {
    const at = model.columns.get(name)
    if (!at || col.Primal <= 1e-9) continue
    const [ci, , oi] = at
    const cl = classes[ci]
    sum += col.Primal * (oi >= 0 ? cl.options[oi].score : Math.max(0, ...cl.options.map(costOf)) + 100)
  }
  return sum
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(6)
}

/** The duals of the capacity rows as prices (≥ 0: a tighter slot never lowers the score). */
export function pricesFromDuals(model: LpModel, rows: readonly { Name: string; Dual: number }[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const row of rows) {
    const key = model.rowResource.get(row.Name)
    if (key === undefined) continue
    const price = -row.Dual
    if (price > 1e-7) out.set(key, price)
  }
  return out
}
