// Shared-capacity benchmark (issue 17; figures, never asserts). One day's batch of 500
// returns on the demo network (45 % defective repairables, 35 % size exchanges, 20 %
// vendor items; stock cut to at most 2 per node and SKU), at 16, 24, 40 and 64 bench
// hours a day. Per setting:
//  - greedy: the navigator first come first served, no prices;
//  - bid-price: the same navigator with the duals of the LP solved over a forecast
//    (the previous day's batch, same mix, another seed) as bid prices;
//  - hindsight: the HiGHS MIP over the same candidate plans of the actual batch (each
//    line's best plans as if nothing were booked, plus whatever greedy and bid-price chose);
//  - hindsight within the rights: the same MIP where an entitled customer's wish may be
//    turned away only if no plan for it had room when the line arrived — the rule every
//    policy deciding on arrival is bound by (plain hindsight may refuse an early long
//    repair with room to keep the hours for shorter ones that come later).
//  - diagnosis, not policies: bid-price with a perfect forecast (the LP over the actual
//    batch), solved once and re-solved as bid-price is; and where each policy's score in
//    hindsight's model differs from hindsight's, by the part of the route (gapByDifference).
// The targets are read against hindsight held to the navigator's own rule (`--score-bound=1`,
// wishFirstScoreLowerBound: the best plan found in which a wish is turned away only when no
// plan for it had room on arrival); plain hindsight, which may refuse a request while the
// capacity for it is free, is a bound. Against plain hindsight,
// compared lexicographically, as the navigator decides: first the wishes turned away,
// then the score = the navigator's own score without the capacity term (lower is
// better); gap = (policy − hindsight) / hindsight, like for like only when the wishes are. Also over-booked slots after every decision, and the
// LP and MIP solve times.
import { readFileSync } from 'node:fs'
import type { Decision } from '../../server/contracts/decision.js'
import type { ReturnRequested } from '../../server/contracts/events.js'
import { buildCapacityLp, fallbacksUsed, lineOptions, optionsOfRoute, ownObjective, ownObjectiveByClass, routeOf, type LpClass, type LpModel, type PlanOption } from '../../server/navigator/capacity-lp.js'
import { entitledToWish } from '../../server/navigator/rights.js'
import type { WantedResolution } from '../../server/contracts/enums.js'
import { overBooked, usesOfReservations } from '../../server/navigator/capacity.js'
import { decisionRoute, ownScoreOfDecision } from '../../server/navigator/capacity-efficiency.js'
import { publishBidPrices } from '../../server/navigator/bid-prices.js'
import { demoInventorySnapshots } from '../../server/sim/demo-network/requests.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { loadNetworkOrThrow, type Network } from '../../server/navigator/network.js'
import { NavigatorState } from '../../server/navigator/state.js'
import { mulberry32, pick } from '../../server/sim/random.js'
import { solveLp, type LpSolution } from '../../pipelines/highs-solver.js'
import type { LinearProgram } from '../../server/navigator/lp-model.js'
import { solveBidPrices } from '../../pipelines/price-capacity.js'
import { demoJobSolve } from './capacity-job.js'
import { contestedGroups, replayWithinRights, rightsScoreLowerBound, type RightsScoreBound } from './rights-bound.js'

const W = DEFAULT_WEIGHTS_VERSION
const START = new Date('2026-11-02T01:00:00Z')
const BATCH = 500
const BENCH_HOURS = [16, 24, 40, 64]
const CITIES = [[22.54, 114.06], [31.23, 121.47], [39.9, 116.4], [23.13, 113.26], [30.57, 104.07], [30.27, 120.15], [30.59, 114.3]]
const r4 = (x: number) => Math.round(x * 1e4) / 1e4
const rn = (x: number | null) => (x === null ? null : Math.round(x))
const rd = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100)

export function networkWithBench(hours: number): Network {
  const file = JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8'))
  for (const n of file.nodes) if (n.id === 'SZ-RP') n.repairBenchHoursPerDay = hours
  return loadNetworkOrThrow(file)
}

/** The scarce-stock navigator state every policy starts from. */
export function freshNavigator(net: Network): Navigator {
  let n = 0
  const nav = new Navigator(net, () => `cap-${++n}`, () => `tok-${n}`)
  for (const snap of demoInventorySnapshots(net, START)) {
    nav.applyEvent({ ...snap, items: snap.items.map((i: { sku: string; onHand: number }) => ({ ...i, onHand: Math.min(i.onHand, 2) })) }, START, W)
  }
  return nav
}

/** One day's batch from the seeded generator: the auditor's mix. */
export function capacityBatch(net: Network, seed: number, day = START): ReturnRequested[] {
  const rnd = mulberry32(seed)
  const catalog = net.file.catalog
  const repairTypes = new Set(net.nodes.flatMap((n) => n.repairProductTypes))
  const repairable = catalog.filter((c) => c.repairable && repairTypes.has(c.productType ?? ''))
  const sized = catalog.filter((c) => c.category === 'apparel' || c.category === 'footwear')
  const vendor = catalog.filter((c) => c.vendorId && !c.repairable)
  const vendorItems = vendor.length ? vendor : catalog.filter((c) => c.vendorId)
  const out: ReturnRequested[] = []
  for (let i = 0; i < BATCH; i++) {
    const u = rnd()
    const kind = u < 0.45 ? 'repair' : u < 0.8 ? 'exchange' : 'vendor'
    const item = pick(rnd, kind === 'repair' ? repairable : kind === 'exchange' ? sized : vendorItems)
    const [lat, lon] = pick(rnd, CITIES)
    const line = kind === 'repair'
      ? { reason: 'defective' as const, condition: 'defective' as const, wants: 'repair' as const }
      : kind === 'exchange'
        ? { reason: (rnd() < 0.5 ? 'size_too_small' : 'size_too_large') as 'size_too_small', condition: 'unopened' as const, wants: 'exchange' as const, exchangeSku: item.sku }
        : { reason: 'changed_mind' as const, condition: (rnd() < 0.5 ? 'used' : 'like_new') as 'used', wants: 'refund' as const }
    out.push({
      eventId: `cap-${seed}-${i}`, type: 'return.requested',
      occurredAt: new Date(day.getTime() + Math.floor((i * 16 * 3_600_000) / BATCH)).toISOString(),
      rmaId: `CAP-${seed}-${i}`, orderId: `CO-${seed}-${i}`,
      customer: { id: `CC-${seed}-${i}`, lat: lat + (rnd() - 0.5) * 0.3, lon: lon + (rnd() - 0.5) * 0.3, trusted: rnd() < 0.7 },
      channel: 'app',
      lines: [{ lineId: 'l1', sku: item.sku, qty: 1, unitPrice: item.price ?? 300, ...line }],
    })
  }
  return out
}

/** Called before each return is decided: the bid-price job's re-solves happen here. */
type BeforeEach = (nav: Navigator, atMs: number) => Promise<void>

export async function runPolicy(net: Network, batch: ReturnRequested[], prices?: Map<string, number>, beforeEach?: BeforeEach) {
  const nav = freshNavigator(net)
  if (prices) publishBidPrices(nav.state, prices)
  const decisions: Decision[] = []
  let overBookedSlots = 0
  for (const r of batch) {
    await beforeEach?.(nav, Date.parse(r.occurredAt))
    decisions.push(...nav.applyEvent(r, new Date(r.occurredAt), W))
    overBookedSlots = Math.max(overBookedSlots, overBooked(nav.state).length)
  }
  const score = decisions.reduce((a, d) => a + ownScoreOfDecision(d), 0)
  const resolutions: Record<string, number> = {}
  for (const d of decisions) resolutions[d.resolution] = (resolutions[d.resolution] ?? 0) + 1
  return {
    decisions, score, overBookedSlots, resolutions, unbooked: decisions.filter((d) => d.flags?.includes('capacity_unbooked')).length,
    wishesNotHonoured: decisions.filter((d) => d.flags?.includes('wish_unavailable')).length,
  }
}

/** Each line's plans as if nothing were booked, on the state every policy starts from (or `state`). */
export function classesOf(net: Network, batch: ReturnRequested[], state: NavigatorState = freshNavigator(net).state): LpClass[] {
  return batch.map((r) => {
    const atMs = Date.parse(r.occurredAt)
    return { options: lineOptions({ request: r, lineIndex: 0 }, state, net, W, atMs, 8), count: 1 }
  })
}

/**
 * The bid-prices job as it runs in production, every 15 minutes: the LP over what is
 * left of the forecast (its returns due from now on) and the capacity left in the live
 * state, its duals published before the next return is decided. Static prices from one
 * solve at the start of the day leave the policy indifferent at the margin, where the
 * LP's split between plans cannot be reproduced one return at a time; re-solving moves
 * the prices as capacity and demand are used up.
 */
export function resolvingEvery(net: Network, forecast: ReturnRequested[], everyMs: number, solveMs: number[], solveCpuMs: number[] = []): BeforeEach {
  let next = -Infinity
  return async (nav, atMs) => {
    if (atMs < next) return
    next = Math.floor(atMs / everyMs) * everyMs + everyMs
    const due = forecast.filter((f) => Date.parse(f.occurredAt) >= Math.floor(atMs / everyMs) * everyMs)
    const solved = await solveBidPrices(classesOf(net, due, nav.state), nav.state, 1, 10)
    solveMs.push(solved.solveMs)
    solveCpuMs.push(solved.solveCpuMs)
    // A failed solve keeps the prices in force, as the job does.
    if (solved.status === 'Optimal') publishBidPrices(nav.state, solved.prices)
  }
}

/**
 * The hindsight MIP within the rights, solved per group of lines linked by contested
 * capacity (a slot more lines could take than it holds): one line's choice cannot change
 * another group's room, so the groups' optima add up to the whole batch's.
 */
async function rightsHindsight(classes: LpClass[], state: NavigatorState, timeLimitS: number) {
  const { groups, pruned } = contestedGroups(classes, state)
  let score = 0
  let fallbacks = 0
  let lowerBound = 0
  let unsolved = 0
  let solveMs = 0
  const statuses: Record<string, number> = {}
  for (const members of groups) {
    const sub = members.map((i) => pruned[i]) // arrival order kept
    const m = buildCapacityLp(sub, state, { days: 1, integer: true, arrivalRights: true })
    const t = performance.now()
    const sol = await solveMip(m.lp, timeLimitS)
    solveMs += performance.now() - t
    statuses[sol.status] = (statuses[sol.status] ?? 0) + 1
    // No plan found in the time: only the lower bound below is known for the group.
    const found = sol.colValue.some((x) => x > 0.5)
    if (!found) unsolved++
    score += ownObjective(m, sub, sol.colValue)
    fallbacks += Math.round(fallbacksUsed(m, sub, sol.colValue))
    // The LP relaxation bounds the group's optimum from below, when the MIP stopped short of it.
    if (sol.status !== 'Optimal') {
      const lp = buildCapacityLp(sub, state, { days: 1, arrivalRights: true })
      const relaxed = await solveLp(lp.lp, timeLimitS)
      lowerBound += relaxed.status === 'Optimal' ? fallbacksUsed(lp, sub, relaxed.colValue) : 0
    } else lowerBound += Math.round(fallbacksUsed(m, sub, sol.colValue))
  }
  return { score: unsolved ? null : score, fallbacks: unsolved ? null : fallbacks, wishesLowerBound: Math.ceil(lowerBound - 1e-6), solveMs, groups: { count: groups.length, largest: Math.max(...groups.map((g) => g.length)), statuses } }
}

/**
 * The most each line's score could come out below what the model charges its plan. The
 * model scores a plan on the state every policy starts from, where the dock and the bench
 * queue are at their prior (half of a node's work ahead of the line); a policy's earlier
 * choices move that share (state.ts dockShareAhead, benchShareAhead) and the plan's wait
 * with it, either way. With nothing ahead a plan waits least: per line, the most any of
 * its plans gains from that (Infinity if one has no such twin), so a policy's own score
 * is at least its plans' model scores less the sum.
 */
function queueGainOf(net: Network, batch: ReturnRequested[], classes: LpClass[]): number[] {
  const s0 = freshNavigator(net).state
  s0.dockShareAhead = () => 0
  s0.benchShareAhead = () => 0
  return batch.map((r, i) => {
    const best = new Map(lineOptions({ request: r, lineIndex: 0 }, s0, net, W, Date.parse(r.occurredAt), Infinity).map((o) => [o.key, o.score]))
    return Math.max(0, ...classes[i].options.map((o) => (best.has(o.key) ? o.score - best.get(o.key)! : Infinity)))
  })
}

/**
 * A policy's decisions scored in the hindsight's model: each line held to the route it
 * took (resolution, mode, node, source, bench day), and a refurbishing route's twins
 * (capacity-lp.ts) chosen by the MIP, so the item is refurbished wherever the bench the
 * policy's own bookings leave has room for the expected hours. The navigator credits a
 * refurbishment when it decides if the bench has room then, and books it only once the
 * item is graded: its own scores keep refurbishments that the later repairs leave no
 * hours for. NaN when some route is not among the line's options.
 */
async function policyInModel(classes: LpClass[], decisions: Decision[], state: NavigatorState): Promise<{ score: number; unserved: number; lineScores: number[] }> {
  const held = classes.map((c, i) => ({ ...c, options: optionsOfRoute(c.options, decisionRoute(decisions[i])).map((o) => heldOption(o, decisions[i])) }))
  if (held.some((c) => !c.options.length)) return { score: Number.NaN, unserved: Number.NaN, lineScores: [] }
  const m = buildCapacityLp(held, state, { days: 1, integer: true })
  // The policy served the line: leaving it to a person must not pay, even to refurbish
  // others in its hours (the slack's usual cost is only its plan's score + 100).
  const colCost = m.lp.colCost.map((c, j) => (j < m.columns.length && m.columns[j][2] < 0 ? 1e7 : c))
  const sol = await solveMip({ ...m.lp, colCost }, 60)
  // A line whose route finds no room in the model (none should: the policies over-book nothing).
  let unserved = 0
  m.columns.forEach(([, , oi], j) => { if (oi < 0 && sol.colValue[j] > 0.5) unserved++ })
  const optimal = sol.status === 'Optimal'
  return { score: optimal ? ownObjective(m, held, sol.colValue) : Number.NaN, unserved, lineScores: optimal ? ownObjectiveByClass(m, held, sol.colValue) : [] }
}

/** Each line's route in a solution of the model ('' for a line left to a person). */
function chosenRoutes(m: LpModel, classes: readonly LpClass[], colValue: ArrayLike<number>): string[] {
  const out = new Array<string>(classes.length).fill('')
  m.columns.forEach(([ci, , oi], j) => { if (colValue[j] > 0.5 && oi >= 0) out[ci] = routeOf(classes[ci].options[oi].key) })
  return out
}

/** The first part of a route (optionKey: resolution|mode|node|source|swap|benchQueueDays) two routes differ in. */
const ROUTE_PARTS = ['resolution', 'inboundMode', 'receivingNode', 'replacementSource', 'swapAtDoor', 'benchDay'] as const
function firstDifference(a: string, b: string): string {
  const x = a.split('|')
  const y = b.split('|')
  // The resolution first: a policy that exchanges where hindsight refunds differs in all the rest too.
  const i = [0, 3, 1, 2, 4, 5].find((k) => x[k] !== y[k])
  // Same route, other score: the refurbishment twin (the bench hours its bookings left).
  return i === undefined ? 'refurbishment' : ROUTE_PARTS[i]
}

/**
 * Where a policy's score in the model differs from hindsight's, line by line: per first
 * part of the route they differ in, the lines and the ¥ (policy − hindsight; the parts add
 * up to the model gap). Tells a forecast's error (which warehouse's unit, which bench day)
 * from a wish the policy kept or lost.
 */
function gapByDifference(policyRoutes: string[], policyScores: number[], hindsightRoutes: string[], hindsightScores: number[], reference: number) {
  type Line = { line: number; policy: string; policyScore: number; reference: string; referenceScore: number }
  const out: Record<string, { lines: number; yuan: number; shareOfHindsight: number; largest: Line[] }> = {}
  policyRoutes.forEach((route, i) => {
    const d = policyScores[i] - hindsightScores[i]
    if (Math.abs(d) < 0.5 && route === hindsightRoutes[i]) return
    const part = firstDifference(route, hindsightRoutes[i])
    const row = (out[part] ??= { lines: 0, yuan: 0, shareOfHindsight: 0, largest: [] })
    row.lines++
    row.yuan += d
    row.largest.push({ line: i, policy: route, policyScore: Math.round(policyScores[i]), reference: hindsightRoutes[i], referenceScore: Math.round(hindsightScores[i]) })
  })
  for (const row of Object.values(out)) {
    row.shareOfHindsight = r4(row.yuan / Math.abs(reference))
    row.yuan = Math.round(row.yuan)
    // The three lines that cost the policy most against the reference: examples to look into.
    row.largest = row.largest.sort((a, b) => b.policyScore - b.referenceScore - (a.policyScore - a.referenceScore)).slice(0, 3)
  }
  return out
}

/**
 * A route's option with the slots the decision actually booked: its days follow the dock
 * and bench queues the policy met, which the model, scoring every plan on the starting
 * state, may put a day apart. A refurbishing twin keeps its expected bench hours and
 * parts, on its bench day counted from the decision's inspection day.
 */
function heldOption(o: PlanOption, d: Decision): PlanOption {
  const actual = usesOfReservations(d.reservations)
  if (!o.graded) return { ...o, uses: actual }
  const modelDay = o.uses.find((u) => u.kind === 'inspection')?.slot
  const day = d.reservations?.inspection?.day
  const shift = typeof modelDay === 'number' && day !== undefined ? day - modelDay : 0
  const graded = o.graded.map((u) => (u.kind === 'bench' ? { ...u, slot: Number(u.slot) + shift } : u))
  // A route that refurbishes books no parts or bench hours of its own (it is no repair).
  return { ...o, uses: [...actual, ...graded], graded }
}

/**
 * A MIP solve that reports a crash as a status: HiGHS's WebAssembly module can run out of
 * its 2 GB on the hindsight MIPs (16 h, seed 18, more than once) and aborts. The figure
 * is then missing (a hindsight MIP falls back to its LP bound, as on a time limit), not
 * the run; the next solve gets a fresh module (highs-solver.ts).
 */
async function solveMip(lp: LinearProgram, timeLimitS: number): Promise<LpSolution> {
  try {
    return await solveLp(lp, timeLimitS)
  } catch (e) {
    const n = lp.colCost.length
    return { status: `solver failed: ${(e as Error).message}`, objective: Number.NaN, colValue: new Float64Array(n), rowDual: new Float64Array(lp.rowLower.length) }
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : 0 }

/** Lowest and highest bench price (¥ per hour) over the priced days; 0 when none binds. */
function benchPriceRange(prices: Map<string, number>): { min: number; max: number; days: number } {
  const bench = [...prices].filter(([k]) => k.startsWith('bench|')).map(([, v]) => v)
  return bench.length ? { min: Math.round(Math.min(...bench)), max: Math.round(Math.max(...bench)), days: bench.length } : { min: 0, max: 0, days: 0 }
}

/**
 * `--hours=40,64` runs some settings only; `--seed=N` draws the day's batch with seed N
 * and the forecast with N − 1 (17 and 16 by default), to check a result is not one seed's;
 * `--every=M` re-solves every M minutes; `--rights=0` skips the hindsight within the rights;
 * `--score-bound=1` adds the lower bound on the score of any policy within the rights
 * (rights-bound.ts; minutes of MIP at 16 and 24 h, `--bound-limit=S` seconds per group, 120);
 * `--refurbish=0` scores every plan in the models as sold without the bench (a diagnosis);
 * `--job=1` also measures the bid-prices job's own solve on a demo store (capacity-job.ts;
 * it builds the store first, minutes).
 */
function argOf(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
}

export async function runCapacityBench() {
  const out: Record<string, unknown>[] = []
  const seed = Number(argOf('seed') ?? 17)
  const settings = argOf('hours')?.split(',').map(Number) ?? BENCH_HOURS
  // The job's 15 minutes unless `--every=M` (an experiment: how much re-solving more often is worth).
  const everyMin = Number(argOf('every') ?? 15)
  // `--rights=0` skips the hindsight within the rights (minutes of MIP at 16 and 24 h).
  const withRights = argOf('rights') !== '0'
  const withScoreBound = argOf('score-bound') === '1'
  const withRefurbishment = argOf('refurbish') !== '0'
  const boundLimitS = Number(argOf('bound-limit') ?? 120)
  const job = argOf('job') === '1' ? await demoJobSolve() : 'not run (--job=1)'
  for (const hours of settings) {
    const net = networkWithBench(hours)
    const batch = capacityBatch(net, seed)
    const history = capacityBatch(net, seed - 1, new Date(START.getTime()))

    const greedy = await runPolicy(net, batch)

    // Bid prices from the LP over the forecast (yesterday's batch arriving again today).
    const t0 = performance.now()
    const forecast = classesOf(net, history)
    const t1 = performance.now()
    const first = await solveBidPrices(forecast, freshNavigator(net).state, 1, 30)
    const { prices, model: lp, solveMs: lpSolveMs, solveCpuMs: lpSolveCpuMs } = first
    const lpSol = { status: first.status }
    const bidOnce = await runPolicy(net, batch, prices)
    const resolveMs: number[] = []
    const resolveCpuMs: number[] = []
    const bid = await runPolicy(net, batch, undefined, resolvingEvery(net, history, everyMin * 60_000, resolveMs, resolveCpuMs))
    // Diagnosis, not a policy: prices from the LP over the actual batch (a perfect
    // forecast), to tell the forecast's error from the price mechanism's.
    const ownPrices = (await solveBidPrices(classesOf(net, batch), freshNavigator(net).state, 1, 30)).prices
    const oracle = await runPolicy(net, batch, ownPrices)
    // The same, re-solved every 15 minutes as bid-price is: what the forecast's error costs it.
    const oracleResolved = await runPolicy(net, batch, undefined, resolvingEvery(net, batch, everyMin * 60_000, []))

    // Hindsight: the MIP over the actual batch's plans, with every policy's choices included.
    const policies = [greedy, bid, bidOnce, oracle, oracleResolved]
    const keysOf = (ds: Decision[]) => ds.map(decisionRoute)
    const classes = classesOf(net, batch).map((c, i) => {
      for (const k of policies.map((p) => keysOf(p.decisions)[i])) {
        if (!optionsOfRoute(c.options, k).length) {
          const all = lineOptions({ request: batch[i], lineIndex: 0 }, freshNavigator(net).state, net, W, Date.parse(batch[i].occurredAt), Infinity)
          c.options.push(...optionsOfRoute(all, k))
        }
      }
      // `--refurbish=0`: each route's twin that sells without the bench only (a diagnosis:
      // what refurbishment in the hours the repairs leave is worth to the reference).
      if (!withRefurbishment) c.options = c.options.filter((o) => !o.graded)
      return c
    })
    // Entitled to the wish (rights.ts), as the navigator judged it on deciding the line.
    greedy.decisions.forEach((d, i) => { classes[i].entitled = entitledToWish(d.entitlement ?? null, d.wish as WantedResolution) })
    const missing = batch.filter((_, i) => !policies.every((p) => optionsOfRoute(classes[i].options, decisionRoute(p.decisions[i])).length)).length
    const mip = buildCapacityLp(classes, freshNavigator(net).state, { days: 1, integer: true })
    const t2 = performance.now()
    const mipSol = await solveMip(mip.lp, 30)
    const mipSolveMs = performance.now() - t2
    const relax = buildCapacityLp(classes, freshNavigator(net).state, { days: 1 })
    const relaxSol = await solveLp(relax.lp, 60)
    let slackUsed = 0
    mip.columns.forEach(([, , oi], j) => { if (oi < 0 && mipSol.colValue[j] > 0.5) slackUsed++ })
    // A MIP stopped by its time limit is not the optimum: then the LP bound (≤ optimum)
    // is the reference, which overstates every gap rather than flattering it.
    const optimal = mipSol.status === 'Optimal'
    // Own scores only: the fall-back penalty orders the LP's choices, it is not a cost.
    const opt = ownObjective(optimal ? mip : relax, classes, (optimal ? mipSol : relaxSol).colValue)
    let hindsightFallbacks = 0
    mip.columns.forEach(([ci, , oi], j) => { if (oi >= 0 && mipSol.colValue[j] > 0.5 && classes[ci].options[oi].fallback) hindsightFallbacks++ })
    const gap = (x: number) => r4((x - opt) / Math.abs(opt))

    // Hindsight within the rights: the same MIP, but an entitled line falls back only when
    // every plan for its wish was out of room on its arrival (capacity-lp.ts arrivalRights).
    // Every policy here is a feasible solution of it, so it is the reference an honest
    // policy can be held to; the plain hindsight above is a bound it may not reach. Only
    // where the plain hindsight turns away fewer wishes than greedy (else the rights cannot
    // be what the policies miss), and solved per group of lines that share contested
    // capacity (exact: groups share nothing scarce), as the whole batch finds no solution
    // in minutes. A solve stopped by its time limit gives a plan within the rights, not the
    // optimum: the gap to it is then an upper bound on what an honest policy could gain.
    const rights = withRights && hindsightFallbacks < greedy.wishesNotHonoured ? await rightsHindsight(classes, freshNavigator(net).state, 300) : null
    // Each policy's routes in the hindsight's model, refurbishing wherever the bench its own
    // bookings leave allows (policyInModel): like with like with the reference.
    const inModel = new Map<Decision[], { score: number; unserved: number; lineScores: number[] }>()
    for (const p of [greedy, bid, oracleResolved]) inModel.set(p.decisions, await policyInModel(classes, p.decisions, freshNavigator(net).state))
    const modelScore = (ds: Decision[]) => inModel.get(ds)?.score ?? Number.NaN
    // Line by line against hindsight's plan, where it is the optimum (else the gap is to a bound).
    const hindsightRoutes = optimal ? chosenRoutes(mip, classes, mipSol.colValue) : []
    const hindsightScores = optimal ? ownObjectiveByClass(mip, classes, mipSol.colValue) : []
    const anatomy = (ds: Decision[]) => {
      const lines = inModel.get(ds)?.lineScores ?? []
      return optimal && lines.length ? gapByDifference(keysOf(ds), lines, hindsightRoutes, hindsightScores, opt) : 'hindsight not optimal or policy not scored in the model'
    }
    // Like with like on the wishes too: the best score of any plan that turns away no more
    // wishes than bid-price did (its routes that are fall-backs in the model), and the best
    // score of all, wishes aside (fall-backs at their own score, uncapped).
    const fallbacksOf = (ds: Decision[]) => ds.filter((d, i) => optionsOfRoute(classes[i].options, decisionRoute(d))[0]?.fallback).length
    const atMostFallbacks = async (cap: number) => {
      const m = buildCapacityLp(classes, freshNavigator(net).state, { days: 1, integer: true, fallbackCap: cap })
      const sol = await solveMip(m.lp, 30)
      const found = sol.colValue.some((x) => x > 0.5)
      return { score: found ? ownObjective(m, classes, sol.colValue) : Number.NaN, wishesNotHonoured: found ? Math.round(fallbacksUsed(m, classes, sol.colValue)) : null, status: sol.status }
    }
    const bidFallbacks = fallbacksOf(bid.decisions)
    const atBidWishes = await atMostFallbacks(bidFallbacks)
    const scoreOnly = await atMostFallbacks(batch.length)
    const bound = withScoreBound ? await rightsScoreLowerBound(classes, freshNavigator(net).state, boundLimitS) : null
    // The same for the policies that also keep every wish while a plan for it has room, the
    // navigator's own rule (decide.ts), which bid-price follows: every line as entitled.
    const wishClasses = withScoreBound ? classes.map((c) => ({ ...c, entitled: true })) : classes
    const wishBound = withScoreBound ? await rightsScoreLowerBound(wishClasses, freshNavigator(net).state, boundLimitS) : null
    const replayed = (cls: LpClass[], choice: number[]) => {
      const r = replayWithinRights(cls, freshNavigator(net).state, choice)
      return { score: Math.round(r.score), turnedAway: r.turnedAway, violations: r.violations.length, first: r.violations.slice(0, 3) }
    }
    // On the navigator's own scores: every queue at its most favourable, and a cent's rounding a line.
    const queueGain = bound ? queueGainOf(net, batch, classes).reduce((a, x) => a + x, 0) + 0.005 * batch.length : 0
    // The bound on any policy within the rights: it must lie below every policy's score
    // (each is a solution of the model), which the output checks.
    const boundOut = (b: RightsScoreBound, cls: LpClass[]) => ({
      score: Math.round(b.score), gapToHindsight: gap(b.score),
      // Above 2 %: no policy within the rights can come within 2 % of plain hindsight here.
      provesTwoPercentUnreachable: gap(b.score) > 0.02,
      belowGreedy: b.score <= greedy.score + 1e-6, belowBidPrice: b.score <= bid.score + 1e-6,
      bidPriceGapToBound: r4((bid.score - b.score) / Math.abs(b.score)),
      // The policies' plans at the model's scores, which the bound is on; the navigator's own
      // score of a plan also moves with its queues (queueGainOf), either way.
      inModel: { greedy: Math.round(modelScore(greedy.decisions)), bidPrice: Math.round(modelScore(bid.decisions)) },
      // The same bound on the policies' own scores, whatever their choices do to the queues.
      queueGainAtMost: Math.round(queueGain), robustScore: Math.round(b.score - queueGain), robustGapToHindsight: gap(b.score - queueGain),
      bestFoundWithinRights: b.bestFound === null ? null : Math.round(b.bestFound),
      // Lines that plan leaves to a person (no policy does): above 0 it is no usable plan, only the MIP's incumbent.
      bestFoundUnserved: b.bestChoice ? b.bestChoice.filter((oi) => oi < 0).length : null,
      // Every group's MIP solved (within HiGHS's 0.01 %): the plan found is the optimum within the rules.
      bestFoundIsOptimum: b.bestFound !== null && b.mipOptimalGroups === b.lpOnlyGroups + b.mipBoundGroups,
      bidPriceModelGapToBestFound: b.bestFound === null ? null : r4((modelScore(bid.decisions) - b.bestFound) / Math.abs(b.bestFound)),
      bidPriceOwnGapToBestFound: b.bestFound === null ? null : r4((bid.score - b.bestFound) / Math.abs(b.bestFound)),
      // Only for a plan that serves every line (an unserved line has no route to compare).
      bidPriceGapByDifferenceToBestFound: b.bestChoice && !b.bestChoice.includes(-1) && b.bestFound !== null && inModel.get(bid.decisions)?.lineScores.length
        ? gapByDifference(keysOf(bid.decisions), inModel.get(bid.decisions)!.lineScores, b.bestChoice.map((oi, i) => routeOf(cls[i].options[oi].key)), b.bestChoice.map((oi, i) => cls[i].options[oi].score), b.bestFound)
        : null,
      // That plan replayed line by line outside the solver: it must break no right and over-book nothing.
      bestFoundReplayed: b.bestChoice ? replayed(cls, b.bestChoice) : null,
      lpOnlyGroups: b.lpOnlyGroups, mipBoundGroups: b.mipBoundGroups, mipOptimalGroups: b.mipOptimalGroups,
      // Also a bound on the wishes turned away: at most what every policy turns away.
      turnedAwayAtLeast: b.turnedAwayAtLeast, turnedAwayBelowPolicies: b.turnedAwayAtLeast <= Math.min(greedy.wishesNotHonoured, bid.wishesNotHonoured),
      hardGroups: b.hardGroups.map((g) => ({ ...g, lp: Math.round(g.lp), countLp: rd(g.countLp), countMip: rd(g.countMip), lpWithCount: rn(g.lpWithCount), mipWithCount: rn(g.mipWithCount) })),
      solveMs: Math.round(b.solveMs), mipLimitSecondsPerGroup: boundLimitS,
    })
    const rOpt = rights ? rights.score ?? Number.NaN : opt
    const rFallbacks = rights ? rights.fallbacks ?? Number.NaN : hindsightFallbacks
    // Lexicographic: wishes turned away first, then the score.
    const vsRights = (p: { score: number; wishesNotHonoured: number }) => ({
      wishesNotHonouredBeyond: p.wishesNotHonoured - rFallbacks,
      scoreGap: r4((p.score - rOpt) / Math.abs(rOpt)),
    })
    out.push({
      benchHoursPerDay: hours,
      seed,
      resolveEveryMinutes: everyMin,
      returns: batch.length,
      greedy: { score: Math.round(greedy.score), gapToHindsight: gap(greedy.score), inModel: Math.round(modelScore(greedy.decisions)), modelGapToHindsight: gap(modelScore(greedy.decisions)), unservedInModel: inModel.get(greedy.decisions)!.unserved, overBookedSlots: greedy.overBookedSlots, resolutions: greedy.resolutions, unbooked: greedy.unbooked, wishesNotHonoured: greedy.wishesNotHonoured },
      bidPrice: { score: Math.round(bid.score), gapToHindsight: gap(bid.score), inModel: Math.round(modelScore(bid.decisions)), modelGapToHindsight: gap(modelScore(bid.decisions)), unservedInModel: inModel.get(bid.decisions)!.unserved, overBookedSlots: bid.overBookedSlots, resolutions: bid.resolutions, unbooked: bid.unbooked, wishesNotHonoured: bid.wishesNotHonoured, modelGapByDifference: anatomy(bid.decisions), pricedSlots: prices.size, topPrices: [...prices].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => [k, Math.round(v)]) },
      bidPriceSolvedOnce: { score: Math.round(bidOnce.score), gapToHindsight: gap(bidOnce.score), overBookedSlots: bidOnce.overBookedSlots, resolutions: bidOnce.resolutions },
      resolves: {
        count: resolveMs.length, medianSolveMs: Math.round(median(resolveMs)), maxSolveMs: Math.round(Math.max(...resolveMs)),
        medianSolveCpuMs: Math.round(median(resolveCpuMs)), maxSolveCpuMs: Math.round(Math.max(...resolveCpuMs)),
      },
      perfectForecastBidPrice: { score: Math.round(oracle.score), gapToHindsight: gap(oracle.score), overBookedSlots: oracle.overBookedSlots, resolutions: oracle.resolutions },
      perfectForecastResolved: {
        score: Math.round(oracleResolved.score), gapToHindsight: gap(oracleResolved.score), inModel: Math.round(modelScore(oracleResolved.decisions)), modelGapToHindsight: gap(modelScore(oracleResolved.decisions)),
        overBookedSlots: oracleResolved.overBookedSlots, wishesNotHonoured: oracleResolved.wishesNotHonoured, modelGapByDifference: anatomy(oracleResolved.decisions),
      },
      benchPrices: benchPriceRange(prices),
      hindsight: { score: Math.round(opt), reference: optimal ? 'mip optimum' : `lp bound (mip: ${mipSol.status})`, status: mipSol.status, lpGap: r4((mipSol.objective - relaxSol.objective) / Math.abs(mipSol.objective)), wishesNotHonoured: hindsightFallbacks, slackUsed, linesWithoutPolicyPlan: missing },
      hindsightAtBidPriceWishes: { score: Math.round(atBidWishes.score), wishesNotHonoured: atBidWishes.wishesNotHonoured, cap: bidFallbacks, status: atBidWishes.status, bidPriceModelGap: r4((modelScore(bid.decisions) - atBidWishes.score) / Math.abs(atBidWishes.score)) },
      hindsightScoreOnly: { score: Math.round(scoreOnly.score), wishesNotHonoured: scoreOnly.wishesNotHonoured, status: scoreOnly.status, bidPriceModelGap: r4((modelScore(bid.decisions) - scoreOnly.score) / Math.abs(scoreOnly.score)) },
      hindsightWithinRights: rights
        ? { score: Number.isNaN(rOpt) ? 'no plan found in the time limit' : Math.round(rOpt), wishesNotHonoured: Number.isNaN(rFallbacks) ? null : rFallbacks, wishesNotHonouredAtLeast: rights.wishesLowerBound, groups: rights.groups, solveMs: Math.round(rights.solveMs), greedy: vsRights(greedy), bidPrice: vsRights(bid) }
        : 'as hindsight: it turns away no fewer wishes than greedy',
      rightsScoreLowerBound: bound ? boundOut(bound, classes) : 'not run (--score-bound=1)',
      wishFirstScoreLowerBound: wishBound ? boundOut(wishBound, wishClasses) : 'not run (--score-bound=1)',
      recoveredShareOfAvoidableLoss: greedy.score - opt > 1e-6 ? r4((greedy.score - bid.score) / (greedy.score - opt)) : null,
      // The solve with the model's building, both stages; CPU time of the process (the first
      // solve of a process also pays V8's compiling of HiGHS's WebAssembly, on other threads).
      lp: { buildMs: Math.round(t1 - t0), solveMs: Math.round(lpSolveMs), solveCpuMs: Math.round(lpSolveCpuMs), firstOfProcess: hours === settings[0], columns: lp.columns.length, rows: lp.rowResource.size, status: lpSol.status },
      mip: { solveMs: Math.round(mipSolveMs), columns: mip.columns.length, rows: mip.rowResource.size },
    })
    console.error(JSON.stringify(out[out.length - 1]))
  }
  return { job, settings: out, note: 'machine shared with other engineers while measured' }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runCapacityBench()
  console.log(JSON.stringify(r, null, 2))
}
