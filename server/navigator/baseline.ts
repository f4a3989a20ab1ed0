// The baseline: a typical merchant's rules (DECISION-MODEL.md "The baseline to beat"),
// decided alongside every real decision on the same cost model, so that savings are
// measured against what a competent shop would do without the navigator:
// - a returnless refund when the item is worth no more than the policy's keep-it ceiling
//   and the customer asked for a refund;
// - otherwise a courier pickup to the nearest returns centre (a repair goes to the nearest
//   node that repairs the product);
// - the wish honoured: a refund (instant for trusted customers, else on receipt), store
//   credit as credit, an exchange from the nearest node with stock once the return is
//   received (a refund when no node has stock), a repair when the item is repairable
//   (else an exchange, else a refund);
// - grade A restocked, B/C open-box or outlet (whichever recovers more), D back to the
//   vendor where terms exist, else liquidated.
import type { Grade } from '../contracts/enums.js'
import type { Policy } from '../contracts/weights.js'
import { buildCandidate, type Candidate } from './candidates.js'
import { inboundArrivalHours } from './logistics.js'
import type { LineContext } from './line-context.js'
import { GRADES, type ChannelDisposition, type Network } from './network.js'
import { evaluateChannel, repairQuote, rtvBlocker, type ChannelOutcome, type RecourseValue } from './recovery.js'
import type { NavigatorState } from './state.js'

const PREFERENCE: Record<Grade, ChannelDisposition[]> = {
  A: ['restock_new', 'open_box_refurbish', 'outlet_promotion', 'liquidate', 'recycle'],
  B: ['open_box_refurbish', 'outlet_promotion', 'liquidate', 'recycle'],
  C: ['open_box_refurbish', 'outlet_promotion', 'liquidate', 'recycle'],
  D: ['return_to_vendor', 'liquidate', 'recycle'],
}
/** B and C: the better of the two resale channels; the rest in order. */
const BEST_OF_FIRST_TWO: Record<Grade, boolean> = { A: false, B: true, C: true, D: false }

function nearest(ctx: LineContext, candidates: readonly number[]): number {
  let best = -1
  for (const n of candidates) if (best < 0 || ctx.nodeKm[n] < ctx.nodeKm[best]) best = n
  return best
}

export function baselineCandidate(ctx: LineContext, state: NavigatorState, network: Network, policy: Policy): Candidate {
  const value = ctx.unitPrice * ctx.qty
  const none = { modeIdx: -1, node: -1, source: -1, swap: false, disposal: null, repair: null }
  if (ctx.wants === 'refund' && value <= policy.keepItMaxValue) {
    return buildCandidate(ctx, network, policy, { resolution: 'keep_it', ...none })
  }
  const modeIdx = pickMode(ctx, network)
  const centres = network.receivingNodes.filter((n) => network.nodes[n].kind === 'returns_centre')
  let node = nearest(ctx, centres.length ? centres : network.receivingNodes)
  if (node < 0) node = network.centralIndex

  let resolution: Candidate['resolution'] = ctx.wants
  let source = -1
  let repair: (NonNullable<Candidate['repair']>) | null = null
  if (ctx.wants === 'repair') {
    const repairers = network.receivingNodes.filter((n) => network.nodes[n].capabilities.includes('repair') && typeof repairQuote(ctx, network, n) !== 'string')
    const at = nearest(ctx, repairers)
    if (at >= 0) {
      node = at
      const q = repairQuote(ctx, network, at)
      if (typeof q !== 'string') repair = { ...q, queueDays: 0 }
    } else {
      resolution = 'exchange'
    }
  }
  if (resolution === 'exchange') {
    source = nearest(ctx, network.exchangeNodes.filter((n) => state.available(n, ctx.exchangeSku) >= ctx.qty))
    if (source < 0) resolution = 'refund'
  }

  const inspectedH = inboundArrivalHours(network.modes[modeIdx], ctx.nodeKm[node]) + network.nodes[node].dockToInspectHours
  return buildCandidate(ctx, network, policy, {
    resolution,
    modeIdx,
    node,
    source,
    swap: false,
    disposal: resolution === 'repair' ? null : disposalPlan(ctx, state, network, node, inspectedH),
    repair,
    refundTiming: ctx.trusted ? 'first_scan' : 'receipt',
    advance: false,
    fifoDock: true,
  })
}

/** Courier pickup where it can carry the item; else the first mode that can. */
function pickMode(ctx: LineContext, network: Network): number {
  const order = ['courier_pickup', 'drop_off', 'self_ship']
  for (const m of order) {
    const i = network.modes.findIndex((x) => x.mode === m)
    if (i >= 0 && ctx.weightKg <= network.modes[i].maxWeightKg) return i
  }
  return 0
}

/** The fixed per-grade rule at the receiving node, as an expected value over the grade distribution. */
function disposalPlan(ctx: LineContext, state: NavigatorState, network: Network, node: number, inspectedH: number): RecourseValue {
  const rtvBlock = rtvBlocker(ctx, state, network)
  const offered = new Set(network.channelsByNode[node])
  const channelIdx = (d: ChannelDisposition) => network.channels.findIndex((c) => c.disposition === d)
  let expectedRecovery = 0
  let expectedChannelCost = 0
  let expectedRepairCost = 0
  const plan: (ChannelDisposition | null)[] = [null, null, null, null]
  const mass = new Map<ChannelDisposition, number>()
  for (let gi = 0; gi < 4; gi++) {
    const p = ctx.gradeProbs[gi]
    if (p <= 0) continue
    const g = GRADES[gi]
    const outcomes: ChannelOutcome[] = []
    for (const d of PREFERENCE[g]) {
      const ci = channelIdx(d)
      // Return to the vendor ships on from the returns centre; the other channels must be there.
      if (ci < 0 || (d !== 'return_to_vendor' && !offered.has(ci))) continue
      const o = evaluateChannel(ctx, state, network, node, ci, g, inspectedH, rtvBlock)
      if (typeof o !== 'string') outcomes.push(o)
    }
    if (outcomes.length === 0) continue
    let o = outcomes[0]
    if (BEST_OF_FIRST_TWO[g] && outcomes.length > 1) {
      const [a, b] = outcomes
      const resale = (x: ChannelOutcome) => x.disposition === 'open_box_refurbish' || x.disposition === 'outlet_promotion'
      if (resale(a) && resale(b) && b.net > a.net) o = b
    }
    plan[gi] = o.disposition
    expectedRecovery += p * o.recovery
    expectedChannelCost += p * o.channelCost
    expectedRepairCost += p * o.repairCost
    mass.set(o.disposition, (mass.get(o.disposition) ?? 0) + p)
  }
  let dominant: ChannelDisposition = 'liquidate'
  let best = -1
  for (const [d, m] of mass) if (m > best) { dominant = d; best = m }
  return { expectedRecovery, expectedChannelCost, expectedRepairCost, dominant, plan }
}
