// One return line → one Decision: enumerate, score, pick the minimum, explain, plan the
// work, decide the baseline alongside. Also the re-decisions: after inspection (the
// disposition with the real grade) and after a capacity loss (stock or bench hours gone).
// Pure: time comes in as `now`, ids and tracking tokens from the injected IdSource.
import type { Alternative, Decision, DecisionReservations, Entitlement, Task } from '../contracts/decision.js'
import type { Grade, Resolution } from '../contracts/enums.js'
import type { ReturnRequested } from '../contracts/events.js'
import type { WeightsVersion } from '../contracts/weights.js'
import { baselineCandidate } from './baseline.js'
import {
  buildCandidate, CandidatePool, enumerateCandidates, isMismatch, knownGradeDisposal, type Candidate, type EnumerateOptions, type Enumeration,
} from './candidates.js'
import { alternativeOf, breakdownOf, flipPointsOf, pathFieldsOf, totalsOf } from './explain.js'
import { buildLineContext, type LineContext, type LineInput } from './line-context.js'
import type { Network } from './network.js'
import { evaluateChannel, repairQuote, rtvBlocker } from './recovery.js'
import { buildOffers } from './offers.js'
import { entitledToWish, entitlementOf, jurisdictionRules } from './rights.js'
import { scoreOf, selectTop, type Ranked } from './score.js'
import type { HeldDecision, NavigatorState } from './state.js'
import { priorityOf, stepsOf, tasksOf } from './tasks.js'
import { benchDayOffset } from './recovery.js'
import { firstMisfit, fitOrDrop, priceOf, usesOfReservations } from './capacity.js'
import { plannedReservations, repairParts } from './plan-uses.js'

const HOUR_MS = 3_600_000

/**
 * The objects decideLine builds its candidates in, refilled line after line (candidate.ts).
 * Safe because a decision is made in one synchronous call that copies out all it keeps,
 * and nothing it calls decides another line meanwhile.
 */
const linePool = new CandidatePool()
/** The pool for a full enumeration; none for best-only ones (they reuse their own two objects). */
const poolFor = (bestOnly: boolean): CandidatePool | undefined => (bestOnly ? undefined : linePool)

export interface IdSource {
  newId: () => string
  /** Customer tracking tokens: the server passes ≥128 random bits. */
  newToken: () => string
}

export interface DecideOptions {
  trigger?: 'requested' | 'inspected' | 'capacity_lost' | 'offer_accepted'
  /** The decision this one replaces: its tracking token carries over. */
  supersedes?: HeldDecision
  restrict?: EnumerateOptions['restrict']
  /** The customer accepted an offer: decide among plans of that resolution, the incentive paid on top. */
  consent?: { resolution: Resolution; incentive: number }
}

/** The set a line is decided from, the plans that may be offered instead, and the rights that applied. */
interface Choice {
  enumeration: Enumeration
  pool: Candidate[]
  flags: string[]
  entitlement: Entitlement | null
}

export function entitlementOfLine(ctx: LineContext, weights: WeightsVersion): Entitlement | null {
  return entitlementOf(jurisdictionRules(weights.policy), {
    reason: ctx.reason, condition: ctx.condition, category: ctx.category, days: ctx.daysSinceDelivery, priorRepairs: ctx.priorRepairs,
    withdrawable: ctx.returnable && !weights.policy.nonReturnableCategories.includes(ctx.category),
  })
}

/**
 * Rights and offers (DECISION-MODEL.md): a customer entitled to the wish gets it (plans
 * giving less are rejected, reason `entitlement`; when the wish cannot be met, what the
 * entitlement allows); otherwise the wish is still honoured where any plan can, and the
 * plans that differ from it become the pool offers are made from. Only with the
 * customer's consent does a line get something else than asked.
 */
function chooseFrom(
  ctx: LineContext, state: NavigatorState, network: Network, weights: WeightsVersion, options: DecideOptions, bestOnly: boolean,
): Choice {
  const entitlement = entitlementOfLine(ctx, weights)
  const pin = options.restrict
  if (options.consent) {
    // Pinned to the parcel's way if it is moving; the accepted resolution either way.
    const r = options.consent.resolution
    const bestOnlyFor = bestOnly ? weights.weights : undefined
    const reuse = poolFor(bestOnly)
    let enumeration = enumerateCandidates(ctx, state, network, weights.policy, { restrict: (c) => c.resolution === r && (!pin || pin(c)), bestOnlyFor, relaxPolicy: true, reuse })
    const flags = ctx.unknownSku ? ['unknown_sku'] : []
    if (enumeration.candidates.length === 0 && pin) {
      flags.push('unpinned')
      enumeration = enumerateCandidates(ctx, state, network, weights.policy, { restrict: (c) => c.resolution === r, bestOnlyFor, relaxPolicy: true, reuse })
    }
    return { enumeration, pool: [], flags, entitlement }
  }
  if (entitledToWish(entitlement, ctx.wants)) {
    const offerPool = bestOnly ? undefined : entitledOfferResolutions(ctx, network, weights)
    const bound = enumerateWithFallbacks(ctx, state, network, weights, pin, bestOnly, { mode: 'wish', entitlement: entitlement! }, offerPool)
    if (bound.enumeration.candidates.length > 0) {
      const { pool = [], ...enumeration } = bound.enumeration
      return { ...bound, enumeration, pool, entitlement }
    }
    const allowed = enumerateWithFallbacks(ctx, state, network, weights, pin, bestOnly, { mode: 'allowed', entitlement: entitlement! })
    if (allowed.enumeration.candidates.length > 0 || entitlement!.allowed.includes('refund')) {
      return { ...allowed, flags: [...allowed.flags, 'wish_unavailable'], pool: [], entitlement }
    }
    // No remedy the law names can be given (no replacement in stock, nothing to repair):
    // the customer may then end the contract — a refund (CPL art. 24, 2019/771 art. 13(4),
    // CRA 2015 s. 24, 三包 art. 13).
    const escalated: Entitlement = { basis: `${entitlement!.basis}+remedy_impossible`, allowed: ['refund', ...entitlement!.allowed] }
    const refund = enumerateWithFallbacks(ctx, state, network, weights, pin, bestOnly, { mode: 'allowed', entitlement: escalated })
    return { ...refund, flags: [...refund.flags, 'wish_unavailable'], pool: [], entitlement: escalated }
  }
  const honours = (c: Candidate) => c.mismatch === 0
  if (bestOnly) {
    const first = enumerateCandidates(ctx, state, network, weights.policy, { restrict: (c) => honours(c) && (!pin || pin(c)), bestOnlyFor: weights.weights })
    if (first.candidates.length > 0) return { enumeration: first, pool: [], flags: ctx.unknownSku ? ['unknown_sku'] : [], entitlement }
    const any = enumerateWithFallbacks(ctx, state, network, weights, pin, true)
    return { ...any, flags: [...any.flags, 'wish_unavailable'], pool: [], entitlement }
  }
  const { enumeration, flags } = enumerateWithFallbacks(ctx, state, network, weights, pin)
  const choice = enumeration.candidates.filter(honours)
  if (choice.length === 0) {
    return { enumeration, pool: [], flags: enumeration.candidates.length ? [...flags, 'wish_unavailable'] : flags, entitlement }
  }
  return { enumeration: { ...enumeration, candidates: choice }, pool: enumeration.candidates.filter((c) => !honours(c)), flags, entitlement }
}

/**
 * What a customer entitled to the wish may be offered instead: the resolutions the
 * merchant offers for that wish (`rules.offerable`) that differ from it. The right stands
 * — the line is decided as asked, and only the customer's express acceptance changes it
 * (docs/rights.md "Offers"). Their plans are built in the enumeration that decides the
 * line (`offerPool`, candidates.ts) as 'allowed' over these resolutions: the statutory
 * period lifts the merchant's window as for the wish. Off with `policy.offersToEntitled: false`.
 */
function entitledOfferResolutions(ctx: LineContext, network: Network, weights: WeightsVersion): Resolution[] | undefined {
  if (weights.policy.offersToEntitled === false) return undefined
  const others = network.file.rules.offerable[ctx.wants].filter((r) => isMismatch(r, ctx.wants))
  return others.length ? others : undefined
}

/**
 * Enumerate with the fall-backs: pinned → unpinned, strict policy → relaxed (needs review).
 * An offer pool is built by the first enumeration only: it is pinned as the line is, whichever fall-back decides it.
 */
function enumerateWithFallbacks(
  ctx: LineContext, state: NavigatorState, network: Network, weights: WeightsVersion, restrict: EnumerateOptions['restrict'],
  bestOnly = false, rights?: EnumerateOptions['rights'], offerPool?: EnumerateOptions['offerPool'],
): { enumeration: Enumeration; flags: string[] } {
  const flags: string[] = []
  const bestOnlyFor = bestOnly ? weights.weights : undefined
  const reuse = poolFor(bestOnly)
  let enumeration = enumerateCandidates(ctx, state, network, weights.policy, { restrict, bestOnlyFor, rights, offerPool, reuse })
  const pool = enumeration.pool
  if (enumeration.candidates.length === 0 && restrict) {
    flags.push('unpinned')
    enumeration = enumerateCandidates(ctx, state, network, weights.policy, { bestOnlyFor, rights, reuse })
  }
  if (enumeration.candidates.length === 0) {
    // Outside the window or a non-returnable item: still decided, but a person must approve.
    const relaxed = enumerateCandidates(ctx, state, network, weights.policy, { relaxPolicy: true, bestOnlyFor, rights, reuse })
    if (relaxed.candidates.length > 0) {
      flags.push('needs_review')
      enumeration = { ...relaxed, rejections: enumeration.rejections, total: enumeration.total }
    }
  }
  if (ctx.unknownSku) flags.push('unknown_sku')
  return { enumeration: pool ? { ...enumeration, pool } : enumeration, flags }
}

/**
 * The lean path for bulk re-decisions (what-if): the winner only, no explanation. `ctx`
 * may be passed when the caller built it on a state that reads the same (the preview
 * decides each line on two forks that differ only in what they booked).
 */
export function chooseLine(
  input: LineInput, state: NavigatorState, network: Network, weights: WeightsVersion, nowMs: number,
  ctx: LineContext = buildLineContext(input, state, network, nowMs),
): { ctx: LineContext; chosen: Candidate } {
  const { enumeration } = chooseFrom(ctx, state, network, weights, {}, true)
  const best = enumeration.candidates[0]
  return { ctx, chosen: best ?? baselineCandidate(ctx, state, network, weights.policy) }
}

export function decideLine(
  input: LineInput, state: NavigatorState, network: Network, weights: WeightsVersion, now: Date,
  ids: IdSource, options: DecideOptions = {},
): Decision {
  const nowMs = now.getTime()
  // The previous line's candidates are gone with its decision: their objects are this line's.
  linePool.reclaim()
  const ctx = buildLineContext(input, state, network, nowMs)
  const { enumeration, flags, pool, entitlement } = chooseFrom(ctx, state, network, weights, options, false)
  const baseline = baselineCandidate(ctx, state, network, weights.policy)
  let top = selectTop(enumeration.candidates, weights.weights, 4, network)
  if (top.length === 0) {
    flags.push('no_feasible_candidate', 'needs_review')
    top = [{ candidate: baseline, score: 0 }]
  }
  if (options.consent && options.consent.incentive > 0) {
    // The incentive the customer accepted is paid with the resolution.
    const c = top[0].candidate
    const paid = { ...c, parts: { ...c.parts, refundOutflow: c.parts.refundOutflow + options.consent.incentive }, netCost: c.netCost + options.consent.incentive }
    top = [{ candidate: paid, score: scoreOf(paid, weights.weights) }, ...top.slice(1)]
    enumeration.candidates = enumeration.candidates.map((x) => (x === c ? paid : x))
  }
  return assembleDecision(ctx, state, network, weights, nowMs, ids, options, enumeration, top, baseline, flags,
    tasksOf(top[0].candidate, ctx, network, nowMs, priorityOf(ctx)), undefined, { entitlement, pool })
}

/** Capacity the chosen path takes (plan-uses.ts): stock, inspection, bench, parts, quota, outlet. */
export function reservationsOf(
  c: Candidate, ctx: LineContext, state: NavigatorState, network: Network,
): DecisionReservations | undefined {
  return plannedReservations(c, ctx, state, network)
}

function assembleDecision(
  ctx: LineContext, state: NavigatorState, network: Network, weights: WeightsVersion, nowMs: number,
  ids: IdSource, options: DecideOptions, enumeration: Enumeration, top: Ranked[], baseline: Candidate,
  flags: string[], tasks: Task[], reservations?: DecisionReservations,
  rights: { entitlement: Entitlement | null; pool: Candidate[] } = { entitlement: null, pool: [] },
): Decision {
  const w = weights.weights
  const winner = top[0].candidate
  const decisionId = ids.newId()
  const alternatives: Alternative[] = []
  for (let i = 1; i < top.length; i++) alternatives.push(alternativeOf(top[i].candidate, w, network))
  const decision: Decision = {
    decisionId,
    rmaId: ctx.rmaId,
    lineIndex: ctx.lineIndex,
    sku: ctx.sku,
    ...(options.supersedes ? { supersedes: options.supersedes.decisionId } : {}),
    trigger: options.trigger ?? 'requested',
    decidedAt: new Date(nowMs).toISOString(),
    ...pathFieldsOf(winner, network),
    steps: stepsOf(winner, ctx, network),
    totals: totalsOf(winner, w),
    breakdown: breakdownOf(winner, w),
    alternatives,
    flipPoints: enumeration.candidates.includes(winner) ? flipPointsOf(winner, enumeration.candidates, w, network) : [],
    rejections: enumeration.rejections,
    candidates: enumeration.total,
    weightsVersion: weights.version,
    priority: priorityOf(ctx),
    tasks,
    trackingToken: options.supersedes?.trackingToken ?? ids.newToken(),
    ...(flags.length ? { flags } : {}),
    baseline: {
      resolution: baseline.resolution,
      inboundMode: baseline.inboundMode,
      receivingNodeId: network.nodes[baseline.receivingNode]?.id ?? null,
      disposition: baseline.disposition,
      totals: totalsOf(baseline, w),
    },
    qty: ctx.qty,
    wish: ctx.wants,
    wishHonoured: !isMismatch(winner.resolution, ctx.wants),
    entitlement: rights.entitlement,
    offers: buildOffers(decisionId, winner, rights.pool, ctx, state, network, weights, nowMs),
  }
  // Only the needs-review fall-back can choose a plan that does not fit: it then books
  // what has room and is flagged, so no slot is ever over-booked.
  const { kept, dropped } = fitOrDrop(state, reservations ?? reservationsOf(winner, ctx, state, network))
  if (kept) decision.reservations = kept
  if (dropped.length) decision.flags = [...(decision.flags ?? []), 'capacity_unbooked', ...(decision.flags?.includes('needs_review') ? [] : ['needs_review'])]
  return decision
}

/**
 * Re-decide after a capacity loss (reserved stock gone, bench hours cut). The previous
 * decision's own reservation is given back on a fork first, so it competes fairly.
 * A return already on its way stays pinned to its inbound mode and receiving node.
 */
export function redecideForCapacity(
  prev: HeldDecision, request: ReturnRequested, inTransit: boolean, state: NavigatorState, network: Network,
  weights: WeightsVersion, now: Date, ids: IdSource,
): Decision {
  const scratch = state.fork()
  scratch.release(prev.decisionId)
  // A refund paid at the first scan is out once the parcel moves: it stays paid.
  const paid = inTransit && prev.resolution === 'refund' && prev.refundTiming === 'first_scan'
  const restrict = inTransit
    ? (c: Candidate) => c.inboundMode === prev.inboundMode && (c.receivingNode < 0 ? null : network.nodes[c.receivingNode].id) === prev.receivingNodeId
      && (!paid || (c.resolution === 'refund' && c.refundTiming === 'first_scan'))
    : undefined
  return decideLine({ request, lineIndex: prev.lineIndex }, scratch, network, weights, now, ids, {
    trigger: 'capacity_lost', supersedes: prev, restrict,
  })
}

const DISPOSE_ACTION: Record<string, string> = {
  restock_new: 'restock', open_box_refurbish: 'repack_open_box', outlet_promotion: 'send_to_outlet',
  return_to_vendor: 'ship_to_vendor', liquidate: 'send_to_liquidation', recycle: 'send_to_recycling',
}

/**
 * The grade is known: re-decide the disposition at the node that inspected the item.
 * The path so far (resolution, mode, node, exchange source) stands, except that a repair
 * whose item is beyond repair (grade D) becomes a refund. The path is evaluated from the
 * original decision's time so totals compare with it; tasks are due from `now`.
 */
export function redecideAfterInspection(
  prev: HeldDecision, request: ReturnRequested, grade: Grade, inspectedAtNodeId: string,
  state: NavigatorState, network: Network, weights: WeightsVersion, now: Date, ids: IdSource,
): Decision {
  const scratch = state.fork()
  scratch.release(prev.decisionId)
  const held = state.reservationOf(prev.decisionId)
  const baseMs = Date.parse(prev.decidedAt)
  const ctx = buildLineContext({ request, lineIndex: prev.lineIndex }, scratch, network, baseMs)
  const nodeIdx = network.nodeIndex.get(inspectedAtNodeId)
    ?? (prev.receivingNodeId ? network.nodeIndex.get(prev.receivingNodeId) : undefined) ?? network.centralIndex
  const modeIdx = network.modes.findIndex((m) => m.mode === prev.inboundMode)
  const source = prev.exchangeSourceNodeId ? network.nodeIndex.get(prev.exchangeSourceNodeId) ?? -1 : -1
  const resolution = prev.resolution === 'repair' && grade === 'D' ? 'refund' : prev.resolution
  const policy = weights.policy
  const rejections: Record<string, number> = {}
  const candidates: Candidate[] = []
  const flags: string[] = ctx.unknownSku ? ['unknown_sku'] : []
  const swap = prev.swapAtDoor === true
  const extras = new Map<Candidate, DecisionReservations>()
  // The refund's timing and an advance exchange stand as decided (the money or the
  // replacement may already be out); decisions stored before they were choices take the old rule.
  const spec = {
    resolution, modeIdx: Math.max(0, modeIdx), node: nodeIdx, source, swap, repair: null, disposal: null,
    refundTiming: resolution === 'refund' ? prev.refundTiming : undefined, advance: prev.advanceExchange,
  }

  if (resolution === 'keep_it' || resolution === 'partial_refund' || modeIdx < 0) {
    candidates.push(buildCandidate(ctx, network, policy, { ...spec, resolution: resolution === 'repair' ? 'refund' : resolution, modeIdx: -1, node: -1 }))
  } else if (resolution === 'repair') {
    const q = repairQuote(ctx, network, nodeIdx)
    if (typeof q === 'string') rejections[q] = 1
    else candidates.push(buildCandidate(ctx, network, policy, { ...spec, repair: { ...q, queueDays: 0 } }))
  } else {
    const inspectedH = buildCandidate(ctx, network, policy, spec).timing.inspectedH
    const rtvBlock = rtvBlocker(ctx, scratch, network)
    const nodeId = network.nodes[nodeIdx].id
    const today = scratch.localDay(now.getTime())
    for (const ci of network.channelsByNode[nodeIdx]) {
      const o = evaluateChannel(ctx, scratch, network, nodeIdx, ci, grade, inspectedH, rtvBlock)
      if (typeof o === 'string') { rejections[o] = (rejections[o] ?? 0) + 1; continue }
      // What the disposition books from today: a bench day with room and parts for a
      // refurbishment, the outlet's day slot, the vendor's quota.
      const extra: DecisionReservations = {}
      if (o.benchHours > 0) {
        const k = benchDayOffset(scratch, network, nodeIdx, now.getTime(), o.benchHours)
        if (k < 0) { rejections.repair_capacity = (rejections.repair_capacity ?? 0) + 1; continue }
        extra.bench = { nodeId, day: today + k, hours: o.benchHours }
        const items = repairParts(ctx, network, nodeIdx)
        if (items.length) extra.parts = { nodeId, items }
      }
      if (o.disposition === 'outlet_promotion') extra.outlet = { nodeId, day: today, units: ctx.qty }
      if (o.disposition === 'return_to_vendor' && ctx.vendorId) {
        extra.rtv = { vendorId: ctx.vendorId, period: scratch.rtvPeriod(ctx.vendorId, ctx.nowMs), units: ctx.qty }
      }
      const misfit = firstMisfit(scratch, extra)
      if (misfit) { const why = `${misfit.kind}_capacity`; rejections[why] = (rejections[why] ?? 0) + 1; continue }
      const c = buildCandidate(ctx, network, policy, {
        ...spec, disposal: knownGradeDisposal(o.disposition, o.recovery, o.channelCost, o.repairCost, grade),
        repair: o.benchHours > 0 ? { parts: [], hours: o.benchHours, cost: o.repairCost, turnaroundHours: 0, benchQueueHours: 0, queueDays: 0 } : null,
      })
      for (const u of usesOfReservations(extra)) c.capacity += priceOf(scratch, u.kind, u.scope, u.slot) * u.amount
      candidates.push(c)
      extras.set(c, extra)
    }
  }
  const baseline = baselineCandidate(ctx, scratch, network, policy)
  let top = selectTop(candidates, weights.weights, 4, network)
  if (top.length === 0) {
    flags.push('no_feasible_candidate', 'needs_review')
    top = [{ candidate: baseline, score: 0 }]
  }
  const winner = top[0].candidate
  const nowMs = now.getTime()
  const tasks: Task[] = []
  const nodeId = network.nodes[nodeIdx].id
  if (winner.disposition !== 'none') {
    const refurbish = winner.parts.repair > 0
    const quote = refurbish ? repairQuote(ctx, network, nodeIdx) : null
    tasks.push({
      role: refurbish ? 'repair' : 'warehouse',
      action: refurbish ? 'refurbish' : DISPOSE_ACTION[winner.disposition],
      dueAt: new Date(nowMs + 24 * HOUR_MS).toISOString(),
      nodeId,
      detail: {
        grade, sku: ctx.sku, qty: ctx.qty, priority: priorityOf(ctx),
        ...(quote && typeof quote !== 'string' ? { parts: quote.parts.map((p) => ({ id: p.id, name: p.name, qty: ctx.qty })), labourHours: quote.hours } : {}),
        ...(winner.disposition === 'return_to_vendor' ? { vendorId: ctx.vendorId } : {}),
      },
    })
  }
  // What is still to do for the customer, from the path's own plan, due from now on.
  for (const t of tasksOf(winner, ctx, network, baseMs, priorityOf(ctx))) {
    if (t.action === 'book_pickup' || t.action === 'receive_and_inspect' || t.action === 'send_drop_off_code'
      || t.action === 'send_return_label' || t.action === 'book_swap_at_door' || t.action === 'tell_customer_to_keep_item') continue
    const due = Date.parse(t.dueAt)
    tasks.push({ ...t, dueAt: new Date(Math.max(due, nowMs)).toISOString() })
  }
  const reservations: DecisionReservations = {}
  if (held?.stock && resolution === 'exchange') reservations.stock = held.stock
  if (held?.inspection) reservations.inspection = held.inspection
  if (resolution === 'repair' && held?.bench) reservations.bench = held.bench
  if (resolution === 'repair' && held?.parts) reservations.parts = held.parts
  Object.assign(reservations, extras.get(winner) ?? {})
  const enumeration: Enumeration = {
    candidates, rejections, total: candidates.length + Object.values(rejections).reduce((a, b) => a + b, 0),
  }
  return assembleDecision(ctx, scratch, network, weights, nowMs, ids, { trigger: 'inspected', supersedes: prev },
    enumeration, top, baseline, flags, tasks,
    Object.keys(reservations).length ? reservations : ({} as DecisionReservations),
    { entitlement: entitlementOfLine(ctx, weights), pool: [] })
}
