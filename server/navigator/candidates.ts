// Enumerates every candidate path of DECISION-MODEL.md for one line —
// resolution × inbound mode × receiving node × (expected) disposition × exchange source,
// including swap-at-the-door — computes each one's factors, and drops the infeasible
// ones with a reason (counted by reason). Selection is score.ts's job.
import type { Entitlement, RefundTiming } from '../contracts/decision.js'
import type { Disposition, Grade, InboundMode, Resolution, WantedResolution } from '../contracts/enums.js'
import { RESOLUTIONS } from '../contracts/enums.js'
import type { Policy, Weights } from '../contracts/weights.js'
import type { LineContext } from './line-context.js'
import {
  inboundArrivalHours, inboundCo2Kg, inboundLegCost, outboundCo2Kg, outboundLegCost, outboundTransitHours,
} from './logistics.js'
import { hasCapability, type ChannelDisposition, type Network } from './network.js'
import {
  benchDayOffset, benchDaysWithRoom, expectedRecourse, nodeChannelOptions, NodeOptionTables, recourseCeiling, recourseUpperBound, repairQuote, rtvBlocker,
  type NodeChannelOptions, type RecourseValue, type RepairQuote,
} from './recovery.js'
import { blankCandidate, type Candidate, type CandidatePool } from './candidate.js'
import { allowedUnder } from './rights.js'
import { hasBidPrices } from './capacity.js'
import { capacityPriceOf, PlanFit } from './plan-uses.js'
import { ranksBefore, scoreOf } from './score.js'
import type { NavigatorState } from './state.js'

// The candidate's shape lives in candidate.ts, which score.ts reads too.
export { blankCandidate, CandidatePool, type Candidate, type CostParts, type Timing } from './candidate.js'

const HOUR_MS = 3_600_000
/**
 * Where every enumeration writes its channel options (recovery.ts): they are read only
 * while it runs, and nothing an enumeration calls enumerates again, so each one's options
 * are written (per node, on first use) before they are read.
 */
const optionTables = new NodeOptionTables()
const REFUND_TIMINGS: readonly RefundTiming[] = ['first_scan', 'receipt', 'inspection']
/** Without the trust the merchant's rule asks for: not before the parcel is at the node. */
const REFUND_TIMINGS_CHECKED: readonly RefundTiming[] = ['receipt', 'inspection']

export interface Enumeration {
  candidates: Candidate[]
  rejections: Record<string, number>
  /** Feasible + rejected tuples. */
  total: number
  /** With `offerPool`: the feasible plans of those resolutions, in enumeration order. */
  pool?: Candidate[]
}

export interface EnumerateOptions {
  /** Second pass when nothing is feasible: return window and non-returnable rules lifted. */
  relaxPolicy?: boolean
  /** Enumerate as if nothing were booked (the LP and the hindsight optimum price capacity themselves). */
  ignoreCapacity?: boolean
  /** The recourse without refurbishment or any channel that needs the bench (capacity-lp.ts twin plans). */
  recourseWithoutBench?: boolean
  /** Keep only candidates this accepts (re-decisions pinned to a return in progress). */
  restrict?: (c: Candidate) => boolean
  /**
   * Keep only the best candidate under these weights (same ranking as score.ts), built in
   * two reused objects: the what-if path, where thousands of lines are re-decided.
   */
  bestOnlyFor?: Weights
  /**
   * Statutory rights (rights.ts): 'wish' rejects every resolution that gives less than the
   * wish the customer is entitled to; 'allowed' (the wish cannot be met) keeps only what
   * the entitlement allows. Either lifts the merchant's own return window.
   */
  rights?: { mode: 'wish' | 'allowed'; entitlement: Entitlement }
  /**
   * With rights 'wish': the resolutions the merchant would offer instead (decide.ts, offers
   * to a customer entitled to the wish). Their plans are built in the same pass, into
   * `pool`, exactly as an enumeration with rights 'allowed' over these resolutions would
   * build them; `candidates`, `rejections` and `total` stay what they are without this
   * option (those resolutions counted as rejected for `entitlement`). One pass instead of
   * two shares the expected recourse per (mode, node), the channel options and the stock
   * reads between the wish's plans and the offers' — the costliest parts of a plan.
   * Ignored in best-only mode.
   */
  offerPool?: readonly Resolution[]
  /**
   * Build the candidates in this pool's objects instead of new ones (decideLine's, whose
   * candidates never outlive the decision). Ignored in best-only mode.
   */
  reuse?: CandidatePool
}

/** Does this resolution differ from the wish, from the customer's point of view? */
export function isMismatch(r: Resolution, wants: WantedResolution): boolean {
  if (r === wants) return false
  // A returnless refund is a refund, sooner; a refund instead of store credit is more.
  if (r === 'keep_it' && wants === 'refund') return false
  if (r === 'refund' && wants === 'store_credit') return false
  return true
}

interface PathSpec {
  resolution: Resolution
  modeIdx: number
  node: number
  source: number
  swap: boolean
  disposal: RecourseValue | null
  repair: (RepairQuote & { queueDays: number }) | null
  /**
   * Refund: when the money goes out. Enumeration makes each allowed timing its own path;
   * absent (a decision stored before timing was a choice), the old rule: at the first
   * scan for trusted customers (for all when the policy allows), else after inspection.
   */
  refundTiming?: RefundTiming
  /** Exchange: the replacement ships before the return arrives. Absent: the old rule (trusted customers). */
  advance?: boolean
  /** Baseline: the dock and the repair bench work first come, first served (the standard times). */
  fifoDock?: boolean
}

/**
 * Factors of one fully specified path. Shared by enumeration, baseline and re-decisions.
 * With `out`, the candidate is written into that object (no allocation in the hot loop).
 */
export function buildCandidate(
  ctx: LineContext, network: Network, policy: Policy, spec: PathSpec, out: Candidate = blankCandidate(),
): Candidate {
  const rules = network.file.rules
  const { resolution: r } = spec
  const value = ctx.unitPrice * ctx.qty
  const parts = out.parts
  parts.inboundLogistics = 0; parts.outboundLogistics = 0; parts.handling = 0; parts.repair = 0
  parts.refundOutflow = 0; parts.recovery = 0; parts.retainedRevenue = 0
  const timing = out.timing
  timing.handoverH = 0; timing.arrivalH = 0; timing.inspectedH = 0
  timing.resolvedH = rules.refundProcessingHours; timing.exchangeDepartH = 0
  let co2 = 0
  let risk: number
  let inboundMode: InboundMode = 'none'
  let disposition: Disposition = 'none'
  let refundTiming: RefundTiming | null = null
  let advanceExchange = false

  if (r === 'keep_it' || r === 'partial_refund') {
    const refund = r === 'keep_it' ? value : value * rules.partialRefundShare
    parts.refundOutflow = refund
    risk = ctx.fraudRisk * refund
  } else {
    const mode = network.modes[spec.modeIdx]
    const node = network.nodes[spec.node]
    const kmN = ctx.nodeKm[spec.node]
    inboundMode = mode.mode
    if (spec.swap) {
      const swapDeliverH = node.pickPackHours + network.file.swapAtDoor.leadHours + kmN / mode.speedKmh
      timing.handoverH = swapDeliverH
      timing.arrivalH = swapDeliverH + kmN / mode.speedKmh
    } else {
      timing.handoverH = mode.handoverHours
      timing.arrivalH = inboundArrivalHours(mode, kmN)
    }
    timing.inspectedH = timing.arrivalH + (spec.fifoDock ? node.dockToInspectHours : ctx.dockHours[spec.node])
    parts.inboundLogistics = mode.customerPaysNonFault && !ctx.merchantFault ? 0 : inboundLegCost(mode, ctx.weightKg, kmN)
    co2 += inboundCo2Kg(mode, ctx.weightKg, kmN)
    parts.handling = (node.handling.receive + node.handling.inspect) * node.labourCostFactor * ctx.qty
    // Exposure: the share of a bad return (empty box, substitute, worn item) not yet caught
    // when money or goods leave. The first scan leaves the mode's share (a courier checks
    // at the door, a station scans, self-ship checks nothing); receipt at the dock catches
    // part of the rest (rules.receiptExposureShare); inspection catches it. Store credit
    // (issued at the first scan), swap at the door and repair keep the first-scan share.
    risk = ctx.fraudRisk * value * mode.riskFactor
    if (spec.disposal) {
      parts.recovery = spec.disposal.expectedRecovery
      parts.handling += spec.disposal.expectedChannelCost
      parts.repair = spec.disposal.expectedRepairCost
      disposition = spec.disposal.dominant
    }
    switch (r) {
      case 'refund': {
        const when = spec.refundTiming ?? (ctx.trusted || !policy.instantRefundTrustedOnly ? 'first_scan' : 'inspection')
        refundTiming = when
        parts.refundOutflow = value
        timing.resolvedH = (when === 'first_scan' ? timing.handoverH : when === 'receipt' ? timing.arrivalH : timing.inspectedH)
          + rules.refundProcessingHours
        risk *= when === 'first_scan' ? 1 : when === 'receipt' ? rules.receiptExposureShare : 0
        break
      }
      case 'store_credit':
        // Credit is issued on the first scan: it can be clawed back if inspection fails.
        parts.refundOutflow = value * (1 - policy.storeCreditBreakage)
        timing.resolvedH = timing.handoverH + rules.refundProcessingHours
        break
      case 'exchange': {
        parts.refundOutflow = ctx.exchangeUnitCost * ctx.qty
        parts.retainedRevenue = (ctx.exchangeUnitPrice - ctx.unitPrice) * ctx.qty
        if (spec.swap) {
          parts.outboundLogistics = network.file.swapAtDoor.surcharge
          timing.exchangeDepartH = timing.handoverH - ctx.nodeKm[spec.node] / mode.speedKmh
          timing.resolvedH = timing.handoverH
        } else {
          const src = network.nodes[spec.source]
          const kmS = ctx.nodeKm[spec.source]
          const advance = spec.advance ?? (ctx.trusted || !rules.advanceExchangeTrustedOnly)
          advanceExchange = advance
          timing.exchangeDepartH = (advance ? 0 : timing.arrivalH) + src.pickPackHours
          // Shipped before anything is checked, the whole value is exposed; on receipt, what the dock does not catch.
          risk = advance ? ctx.fraudRisk * value : risk * rules.receiptExposureShare
          timing.resolvedH = timing.exchangeDepartH + outboundTransitHours(network.file.outbound, kmS)
          parts.outboundLogistics = outboundLegCost(network.file.outbound, ctx.exchangeWeightKg, kmS)
          co2 += outboundCo2Kg(network.file.outbound, ctx.exchangeWeightKg, kmS)
        }
        break
      }
      case 'repair': {
        const q = spec.repair!
        parts.repair = q.cost
        // The bench works in priority order (as the dock): the wait for it is the standard
        // one scaled by the line's place in the node's repair mix; the baseline's is first come.
        const benchShift = spec.fifoDock ? 0 : q.benchQueueHours * (ctx.benchQueueFactor[spec.node] - 1)
        const doneH = timing.inspectedH + q.queueDays * 24 + q.turnaroundHours + benchShift
        timing.exchangeDepartH = doneH + node.pickPackHours
        timing.resolvedH = timing.exchangeDepartH + outboundTransitHours(network.file.outbound, kmN)
        parts.outboundLogistics = outboundLegCost(network.file.outbound, ctx.weightKg, kmN)
        co2 += outboundCo2Kg(network.file.outbound, ctx.weightKg, kmN)
        break
      }
    }
  }
  out.netCost = parts.inboundLogistics + parts.outboundLogistics + parts.handling + parts.repair
    + parts.refundOutflow - parts.recovery - parts.retainedRevenue
  out.resolution = r
  out.inboundMode = inboundMode
  out.receivingNode = r === 'keep_it' || r === 'partial_refund' ? -1 : spec.node
  out.exchangeSource = r === 'exchange' ? spec.source : -1
  out.disposition = disposition
  out.swapAtDoor = spec.swap
  out.refundTiming = refundTiming
  out.advanceExchange = advanceExchange
  out.waitHours = timing.resolvedH
  out.co2Kg = co2
  out.mismatch = isMismatch(r, ctx.wants) ? 1 : 0
  out.riskExposure = risk
  out.capacity = 0
  out.plan = spec.disposal?.plan ?? null
  out.recourseBenchHours = spec.disposal?.expectedBenchHours ?? 0
  out.recourseBenchCharge = spec.disposal?.expectedBenchCharge ?? 0
  out.repair = spec.repair
  return out
}

export function enumerateCandidates(
  ctx: LineContext, state: NavigatorState, network: Network, policy: Policy, opts: EnumerateOptions = {},
): Enumeration {
  const rules = network.file.rules
  const rejections: Record<string, number> = {}
  let total = 0
  const out: Candidate[] = []
  const bestOnly = opts.bestOnlyFor
  // The offer pool's plans are built where the wish's are; what it rejects is not counted.
  const poolUnder: Entitlement | null = opts.offerPool && opts.rights?.mode === 'wish' && !bestOnly
    ? { basis: opts.rights.entitlement.basis, allowed: [...opts.offerPool] }
    : null
  const pool: Candidate[] = []
  let inPool = false
  const reject = (reason: string, n = 1) => {
    if (inPool) return
    rejections[reason] = (rejections[reason] ?? 0) + n
    total += n
  }
  let scratch = blankCandidate()
  let best: Candidate | null = null
  let bestScore = Infinity
  const priced = !opts.ignoreCapacity && hasBidPrices(state)
  // The fit and price of the previous candidate's bookings: a refund's timings and an
  // exchange shipped ahead or on receipt book the same slots, so they are checked once
  // (when first needed: in best-only mode the first of them may be skipped unchecked).
  let usesChecked = false
  let lastMisfit: string | null = null
  let lastCapacity = 0
  let fit: PlanFit | undefined
  const accept = (c: Candidate, sameUsesAsPrevious = false) => {
    if (!sameUsesAsPrevious) usesChecked = false
    if (opts.restrict && !opts.restrict(c)) return reject('pinned_by_progress')
    if (bestOnly && best !== null) {
      // Bid prices are ≥ 0 (capacity-lp.ts pricesFromDuals), so the score without the
      // capacity term is a lower bound: a plan that cannot beat the best even at no price
      // loses whatever its bookings, and its capacity check is skipped. The winner is the
      // same; only the rejection counts (unused on this path) may come out lower.
      c.capacity = 0
      if (!ranksBefore(c, scoreOf(c, bestOnly), best, bestScore, network)) { total++; return }
    }
    if (!opts.ignoreCapacity) {
      if (!usesChecked) {
        // Every slot the plan would book must have room (inspection, parts, outlet, quota…).
        lastMisfit = (fit ??= new PlanFit(ctx, state, network)).misfitOf(c)
        lastCapacity = !lastMisfit && priced ? capacityPriceOf(c, ctx, state, network) : 0
        usesChecked = true
      }
      if (lastMisfit) return reject(lastMisfit)
      if (priced) c.capacity = lastCapacity
    }
    if (inPool) { pool.push(c); return }
    total++
    if (!bestOnly) { out.push(c); return }
    const sc = scoreOf(c, bestOnly)
    if (best === null || ranksBefore(c, sc, best, bestScore, network)) {
      // c is `scratch`: keep it, recycle the previous best as the next scratch.
      const previous = best
      best = c
      bestScore = sc
      scratch = previous ?? blankCandidate()
    }
  }
  /** Where the next candidate is built: a fresh or pooled object, or the reused scratch in best-only mode. */
  const reuse = opts.reuse
  const slot = (): Candidate => (bestOnly ? scratch : reuse ? reuse.take() : blankCandidate())

  // One spec object, refilled per candidate (buildCandidate copies what it keeps).
  const spec: PathSpec = { resolution: 'refund', modeIdx: -1, node: -1, source: -1, swap: false, disposal: null, repair: null }
  const setSpec = (
    r: Resolution, mi: number, n: number, src: number, swap: boolean, disposal: RecourseValue | null,
    repair: (RepairQuote & { queueDays: number }) | null,
  ): PathSpec => {
    spec.resolution = r; spec.modeIdx = mi; spec.node = n; spec.source = src; spec.swap = swap
    spec.disposal = disposal; spec.repair = repair
    spec.refundTiming = undefined; spec.advance = undefined
    return spec
  }
  // Refund timing and advance exchange are choices per line (DECISION-MODEL.md "Refund
  // timing"); the trust rules, where the merchant sets them, limit the early ones.
  const refundTimings: readonly RefundTiming[] = ctx.trusted || !policy.instantRefundTrustedOnly
    ? REFUND_TIMINGS : REFUND_TIMINGS_CHECKED
  const advanceChoices: readonly boolean[] = ctx.trusted || !rules.advanceExchangeTrustedOnly ? [false, true] : [false]

  const nModes = network.modes.length
  // Best-only: nearest nodes first, so the best so far is a good one early and the bound
  // skips more (the winner does not depend on the order: ranksBefore is a total order).
  const receiving = bestOnly ? [...network.receivingNodes].sort((a, b) => ctx.nodeKm[a] - ctx.nodeKm[b] || a - b) : network.receivingNodes
  const sources = network.exchangeNodes
  const value = ctx.unitPrice * ctx.qty

  // Mode-level limits: weight and service area.
  const modeBlock: (string | null)[] = network.modes.map((m) => {
    if (ctx.weightKg > m.maxWeightKg) return 'weight_limit'
    for (let i = 0; i < network.nodes.length; i++) {
      if (m.coverageKinds.includes(network.nodes[i].kind) && ctx.nodeKm[i] <= m.serviceRadiusKm) return null
    }
    return 'out_of_service_area'
  })
  const policyBlock = opts.relaxPolicy || ctx.merchantFault || opts.rights
    ? null
    : ctx.orderAgeDays !== undefined && ctx.orderAgeDays > policy.returnWindowDays
      ? 'return_window'
      : !ctx.returnable || policy.nonReturnableCategories.includes(ctx.category)
        ? 'non_returnable'
        : null
  const rtvBlock = opts.ignoreCapacity ? rtvBlocker(ctx, state, network, true) : rtvBlocker(ctx, state, network)
  const offer = rules.offerable[ctx.wants]

  // Expected disposition value per (mode, node), computed on first use.
  // The channel options of a node do not depend on the mode; only decay and bench days do.
  const recourseCache: (RecourseValue | string | undefined)[] = new Array(nModes * network.nodes.length)
  // Per enumeration. (Kept per line in a WeakMap, to share it between the preview's two
  // sides, it cost the garbage collector more than it saved, in the preview too.)
  const optionsCache = new Array<NodeChannelOptions | undefined>(network.nodes.length)
  const recourseAt = (mi: number, n: number): RecourseValue | string => {
    const k = mi * network.nodes.length + n
    let v = recourseCache[k]
    if (v === undefined) {
      const node = network.nodes[n]
      const arrival = inboundArrivalHours(network.modes[mi], ctx.nodeKm[n])
      const options = optionsCache[n] ?? (optionsCache[n] = nodeChannelOptions(ctx, network, n, rtvBlock, optionTables.at(n)))
      v = expectedRecourse(ctx, state, network, n, arrival + ctx.dockHours[n], rtvBlock, options, opts.ignoreCapacity, opts.recourseWithoutBench)
      recourseCache[k] = v
    }
    return v
  }
  // Stock of the replacement per source node, read once, when an exchange is enumerated
  // at all (most lines are not offered one).
  const stockRead: (boolean | undefined)[] = new Array(sources.length)
  const stockOk = (si: number): boolean =>
    stockRead[si] ?? (stockRead[si] = opts.ignoreCapacity === true || state.available(sources[si], ctx.exchangeSku) >= ctx.qty)
  const swapCapable = (n: number) => hasCapability(network, n, 'ship_exchange') && ctx.nodeKm[n] <= network.file.swapAtDoor.maxKm

  // Best-only: a (mode, node) none of whose plans can beat the best so far, even with the
  // disposal at its upper bound (recourseUpperBound) and no capacity price, is skipped
  // before its expected recourse (the costliest part of a candidate) is computed. The
  // bound is a lower bound on each plan's score; near-ties are never skipped.
  const upperCache: (RecourseValue | null | undefined)[] = new Array(network.nodes.length)
  const upperAt = (n: number): RecourseValue | null => {
    let v = upperCache[n]
    if (v === undefined) {
      const options = optionsCache[n] ?? (optionsCache[n] = nodeChannelOptions(ctx, network, n, rtvBlock, optionTables.at(n)))
      const net = recourseUpperBound(ctx, options)
      v = upperCache[n] = net === null
        ? null
        : { expectedRecovery: net, expectedChannelCost: 0, expectedRepairCost: 0, dominant: 'liquidate', plan: [null, null, null, null] }
    }
    return v
  }
  let probe: Candidate | undefined
  const mayBeat = (): boolean => {
    const lb = scoreOf(buildCandidate(ctx, network, policy, spec, (probe ??= blankCandidate())), bestOnly!)
    return lb <= bestScore + 1e-6 * Math.max(1, Math.abs(bestScore))
  }
  // Looser and cheaper, the same for every node: each grade at the best value any channel
  // recovers for it, with no cost at all (costs are ≥ 0). Tried first; the node's own
  // bound needs its channel options, which cost as much as a few candidates.
  let lineUpper: RecourseValue | undefined
  const mayWinAt = (r: Resolution, mi: number, n: number): boolean => {
    lineUpper ??= { expectedRecovery: recourseCeiling(ctx, network), expectedChannelCost: 0, expectedRepairCost: 0, dominant: 'liquidate', plan: [null, null, null, null] }
    if (!subtreeMayBeat(r, mi, n, lineUpper)) return false
    const upper = upperAt(n)
    return upper === null || subtreeMayBeat(r, mi, n, upper)
  }
  const subtreeMayBeat = (r: Resolution, mi: number, n: number, upper: RecourseValue): boolean => {
    if (r === 'refund') {
      for (let ti = 0; ti < refundTimings.length; ti++) {
        setSpec(r, mi, n, -1, false, upper, null).refundTiming = refundTimings[ti]
        if (mayBeat()) return true
      }
      return false
    }
    if (r !== 'exchange') { setSpec(r, mi, n, -1, false, upper, null); return mayBeat() }
    for (let si = 0; si < sources.length; si++) {
      for (let ai = 0; ai < advanceChoices.length; ai++) {
        setSpec(r, mi, n, sources[si], false, upper, null).advance = advanceChoices[ai]
        if (mayBeat()) return true
      }
    }
    if (network.modes[mi].mode !== 'courier_pickup') return false
    setSpec(r, mi, n, n, true, upper, null)
    return mayBeat()
  }

  for (const r of RESOLUTIONS) {
    const subtree = r === 'keep_it' || r === 'partial_refund'
      ? 1
      : nModes * receiving.length * (r === 'exchange' ? sources.length * advanceChoices.length + 1 : r === 'refund' ? refundTimings.length : 1)
    const rights = opts.rights
    inPool = false
    if (rights) {
      const gives = rights.mode === 'wish' ? !isMismatch(r, ctx.wants) : allowedUnder(rights.entitlement, r)
      if (!gives) {
        reject('entitlement', subtree)
        if (!poolUnder || !allowedUnder(poolUnder, r)) continue
        // Not for the decision: built for the offer pool, as rights 'allowed' over it would.
        inPool = true
      }
    }
    if (!offer.includes(r) && !rights) { reject('not_offered_for_wish', subtree); continue }
    if (policyBlock) { reject(policyBlock, subtree); continue }

    if (r === 'keep_it' || r === 'partial_refund') {
      if (r === 'keep_it') {
        if (value > policy.keepItMaxValue) { reject('keep_it_value_ceiling'); continue }
        if (ctx.fraudRisk > policy.keepItMaxRisk) { reject('keep_it_risk_ceiling'); continue }
      } else if (!rules.partialRefundReasons.includes(ctx.reason) || !rules.partialRefundConditions.includes(ctx.condition)) {
        reject('not_cosmetic'); continue
      }
      accept(buildCandidate(ctx, network, policy, setSpec(r, -1, -1, -1, false, null, null), slot()))
      continue
    }

    if (r === 'repair') {
      const eligible = ctx.wants === 'repair' || rules.repairReasons.includes(ctx.reason) || rules.repairConditions.includes(ctx.condition)
      if (!eligible) { reject('no_defect_to_repair', subtree); continue }
      if (!ctx.repairable) { reject('not_repairable', subtree); continue }
    }
    if (r === 'exchange' && ctx.wants !== 'exchange' && ctx.wants !== 'repair') {
      // Exchange needs a replacement SKU the customer chose (or the same SKU for a repair wish).
      reject('no_exchange_sku', subtree); continue
    }

    for (let mi = 0; mi < nModes; mi++) {
      const perNode = r === 'exchange' ? sources.length * advanceChoices.length + 1 : r === 'refund' ? refundTimings.length : 1
      if (modeBlock[mi]) { reject(modeBlock[mi]!, receiving.length * perNode); continue }
      const mode = network.modes[mi]
      for (const n of receiving) {
        const node = network.nodes[n]
        if (node.kind === 'vendor' && (r === 'repair' || node.vendorId !== ctx.vendorId)) { reject('other_vendor', perNode); continue }
        if (r === 'repair') {
          if (!hasCapability(network, n, 'repair')) { reject('no_capability', perNode); continue }
          const q = repairQuote(ctx, network, n)
          if (typeof q === 'string') { reject(q, perNode); continue }
          if (q.cost > policy.repairMaxShareOfValue * ctx.resaleUnit * ctx.qty) { reject('repair_not_economic', perNode); continue }
          const inspectedH = inboundArrivalHours(mode, ctx.nodeKm[n]) + ctx.dockHours[n]
          if (opts.ignoreCapacity) {
            // Every bench day in the look-ahead is its own candidate: the LP prices the days.
            for (let k = 0; k <= rules.benchLookaheadDays; k++) {
              accept(buildCandidate(ctx, network, policy, setSpec(r, mi, n, -1, false, null, { ...q, queueDays: k }), slot()))
            }
            continue
          }
          if (priced) {
            // With bid prices each bench day with room is its own candidate, as in the LP:
            // the first free day may be the one later repairs are worth most on.
            const days = benchDaysWithRoom(state, network, n, ctx.nowMs + inspectedH * HOUR_MS, q.hours)
            if (!days.length) { reject('repair_capacity', perNode); continue }
            for (const k of days) accept(buildCandidate(ctx, network, policy, setSpec(r, mi, n, -1, false, null, { ...q, queueDays: k }), slot()))
            continue
          }
          const k = benchDayOffset(state, network, n, ctx.nowMs + inspectedH * HOUR_MS, q.hours)
          if (k < 0) { reject('repair_capacity', perNode); continue }
          accept(buildCandidate(ctx, network, policy, setSpec(r, mi, n, -1, false, null, { ...q, queueDays: k }), slot()))
          continue
        }
        if (bestOnly && best !== null && !mayWinAt(r, mi, n)) { total += perNode; continue }
        const disposal = recourseAt(mi, n)
        if (typeof disposal === 'string') { reject(disposal, perNode); continue }
        if (r === 'refund') {
          for (let ti = 0; ti < refundTimings.length; ti++) {
            setSpec(r, mi, n, -1, false, disposal, null).refundTiming = refundTimings[ti]
            accept(buildCandidate(ctx, network, policy, spec, slot()), ti > 0)
          }
          continue
        }
        if (r !== 'exchange') {
          accept(buildCandidate(ctx, network, policy, setSpec(r, mi, n, -1, false, disposal, null), slot()))
          continue
        }
        for (let si = 0; si < sources.length; si++) {
          if (!stockOk(si)) { reject('no_stock', advanceChoices.length); continue }
          for (let ai = 0; ai < advanceChoices.length; ai++) {
            setSpec(r, mi, n, sources[si], false, disposal, null).advance = advanceChoices[ai]
            accept(buildCandidate(ctx, network, policy, spec, slot()), ai > 0)
          }
        }
        // Swap at the door: the courier brings the replacement from the receiving node and takes the return back.
        if (mode.mode !== 'courier_pickup') { reject('swap_needs_courier'); continue }
        if (!swapCapable(n)) { reject('swap_out_of_range'); continue }
        const si = sources.indexOf(n)
        if (si < 0 || !stockOk(si)) { reject('no_stock'); continue }
        accept(buildCandidate(ctx, network, policy, setSpec(r, mi, n, n, true, disposal, null), slot()))
      }
    }
  }
  return { candidates: bestOnly ? (best ? [best] : []) : out, rejections, total, ...(poolUnder ? { pool } : {}) }
}

/** Expected-value disposal of a known grade: one channel, probability 1. */
export function knownGradeDisposal(
  disposition: ChannelDisposition, recovery: number, channelCost: number, repairCost: number, grade: Grade,
): RecourseValue {
  const plan: (ChannelDisposition | null)[] = [null, null, null, null]
  plan['ABCD'.indexOf(grade)] = disposition
  return { expectedRecovery: recovery, expectedChannelCost: channelCost, expectedRepairCost: repairCost, dominant: disposition, plan }
}

export type { PathSpec }
