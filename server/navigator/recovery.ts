// What a returned item is worth after inspection, per channel and grade, and the
// expected value with recourse at request time:
//   E[recovery] = Σ_grade P(grade) × max over the node's channels of (value after decay − channel cost)
// (DECISION-MODEL.md "Candidates"). After inspection the grade is known and the same
// per-channel values rank the dispositions.
import type { Grade } from '../contracts/enums.js'
import type { ChannelDisposition, Network } from './network.js'
import { GRADES } from './network.js'
import type { LineContext } from './line-context.js'
import type { NavigatorState } from './state.js'

const HOUR_MS = 3_600_000

export interface ChannelOutcome {
  disposition: ChannelDisposition
  /** Gross value realised (sale price after decay, or vendor credit). */
  recovery: number
  /** The channel's own handling (repack, restock, outlet listing, RTV admin…). */
  channelCost: number
  /** Parts + labour when the grade needs a repair before the channel takes it. */
  repairCost: number
  benchHours: number
  /** recovery − channelCost − repairCost */
  net: number
}

export interface RepairQuote {
  parts: { id: string; name: string; cost: number }[]
  /** Bench hours for the whole line. */
  hours: number
  /** Parts + labour for the whole line. */
  cost: number
  turnaroundHours: number
}

/** Parts and labour to repair the line at a node, or a rejection reason. */
export function repairQuote(ctx: LineContext, network: Network, nodeIdx: number): RepairQuote | string {
  if (!ctx.repairable) return 'not_repairable'
  const spec = network.file.repair.productTypes[ctx.productType]
  if (!spec) return 'no_repair_spec'
  const node = network.nodes[nodeIdx]
  if (!node.repairProductTypes.includes(ctx.productType)) return 'no_parts_at_node'
  let partsCost = 0
  for (const p of spec.parts) partsCost += p.cost
  const labour = spec.labourHours * network.file.repair.labourRatePerHour * node.labourCostFactor
  return {
    parts: spec.parts,
    hours: spec.labourHours * ctx.qty,
    cost: (partsCost + labour) * ctx.qty,
    turnaroundHours: spec.turnaroundHours + spec.labourHours,
  }
}

/**
 * First day (offset from the arrival day, up to the rules' look-ahead) with `hours` of
 * free bench time at the node; -1 when none.
 */
export function benchDayOffset(
  state: NavigatorState, network: Network, nodeIdx: number, atMs: number, hours: number,
): number {
  const capacity = state.benchHoursPerDay(nodeIdx)
  if (capacity < hours) return -1
  const day0 = state.localDay(atMs)
  const lookahead = network.file.rules.benchLookaheadDays
  for (let k = 0; k <= lookahead; k++) if (state.benchFree(nodeIdx, day0 + k) >= hours) return k
  return -1
}

/** Can the vendor take this line back at all (terms, window, quota)? A reason when not. */
export function rtvBlocker(ctx: LineContext, state: NavigatorState, network: Network): string | null {
  if (!ctx.vendorId) return 'no_vendor_terms'
  const vendor = network.vendors.get(ctx.vendorId)
  if (!vendor) return 'no_vendor_terms'
  if (ctx.orderAgeDays !== undefined && ctx.orderAgeDays > vendor.rtvWindowDays) return 'rtv_window_expired'
  const period = state.rtvPeriod(vendor.id, ctx.nowMs)
  if (state.rtvUsed(vendor.id, period) + ctx.qty > vendor.quotaUnitsPerPeriod) return 'rtv_quota_used'
  return null
}

/**
 * Value of sending the line through channel `ci` at node `nodeIdx` with grade `g`,
 * inspected `inspectedAtHours` after the decision. A string is the rejection reason.
 * `rtvBlock` is rtvBlocker's answer for this line, computed once by the caller.
 */
export function evaluateChannel(
  ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number, ci: number,
  g: Grade, inspectedAtHours: number, rtvBlock: string | null,
): ChannelOutcome | string {
  const ch = network.channels[ci]
  const node = network.nodes[nodeIdx]
  if (!ch.acceptsGrades.includes(g)) return 'grade_not_accepted'
  let repairCost = 0
  let benchHours = 0
  if (ch.needsRepairForGrades.includes(g)) {
    const quote = repairQuote(ctx, network, nodeIdx)
    if (typeof quote === 'string') return quote
    if (benchDayOffset(state, network, nodeIdx, ctx.nowMs + inspectedAtHours * HOUR_MS, quote.hours) < 0) return 'repair_capacity'
    repairCost = quote.cost
    benchHours = quote.hours
  }
  const channelCost = (ch.costPerUnit + ch.costShareOfPrice * ctx.resaleUnit) * ctx.qty * node.labourCostFactor
  let recovery: number
  if (ch.disposition === 'return_to_vendor') {
    if (rtvBlock) return rtvBlock
    const vendor = network.vendors.get(ctx.vendorId!)!
    if (!vendor.acceptsGrades.includes(g)) return 'grade_not_accepted'
    // A vendor node only takes its own vendor's goods.
    if (node.kind === 'vendor' && node.vendorId !== vendor.id) return 'other_vendor'
    recovery = vendor.creditShareOfCost * ctx.unitCost * ctx.qty
    const net = recovery - channelCost - vendor.adminCostPerUnit * ctx.qty - repairCost
    return { disposition: ch.disposition, recovery, channelCost: channelCost + vendor.adminCostPerUnit * ctx.qty, repairCost, benchHours, net }
  }
  const rate = ch.rateByGrade[g] * ch.lifecycleFactor[ctx.lifecycle] * (ch.categoryFactor[ctx.category] ?? 1)
  const resaleHours = inspectedAtHours + ch.daysToResale * 24
  recovery = ctx.resaleUnit * ctx.qty * rate * Math.exp(ctx.decayLogPerHour * resaleHours)
  return { disposition: ch.disposition, recovery, channelCost, repairCost, benchHours, net: recovery - channelCost - repairCost }
}

/** Best channel for a known grade at a node (ties: the earlier channel in the fixed order). */
export function bestChannel(
  ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number, g: Grade,
  inspectedAtHours: number, rtvBlock: string | null,
): ChannelOutcome | null {
  let best: ChannelOutcome | null = null
  for (const ci of network.channelsByNode[nodeIdx]) {
    const o = evaluateChannel(ctx, state, network, nodeIdx, ci, g, inspectedAtHours, rtvBlock)
    if (typeof o !== 'string' && (best === null || o.net > best.net)) best = o
  }
  return best
}

export interface RecourseValue {
  expectedRecovery: number
  expectedChannelCost: number
  expectedRepairCost: number
  /** The channel that takes the largest probability mass. */
  dominant: ChannelDisposition
  /** Chosen channel per grade (null when the grade has probability 0). */
  plan: (ChannelDisposition | null)[]
}

/** Expected value with recourse at a node, or the reason the node cannot dispose of some grade. */
export function expectedRecourse(
  ctx: LineContext, state: NavigatorState, network: Network, nodeIdx: number,
  inspectedAtHours: number, rtvBlock: string | null,
): RecourseValue | string {
  let expectedRecovery = 0
  let expectedChannelCost = 0
  let expectedRepairCost = 0
  const plan: (ChannelDisposition | null)[] = [null, null, null, null]
  const mass = new Map<ChannelDisposition, number>()
  for (let gi = 0; gi < 4; gi++) {
    const p = ctx.gradeProbs[gi]
    if (p <= 0) continue
    const best = bestChannel(ctx, state, network, nodeIdx, GRADES[gi], inspectedAtHours, rtvBlock)
    if (!best) return 'no_channel_for_grade'
    plan[gi] = best.disposition
    expectedRecovery += p * best.recovery
    expectedChannelCost += p * best.channelCost
    expectedRepairCost += p * best.repairCost
    mass.set(best.disposition, (mass.get(best.disposition) ?? 0) + p)
  }
  let dominant: ChannelDisposition | null = null
  let dominantMass = -1
  // Map iteration follows grade order A→D, so ties go to the better grade's channel.
  for (const [d, m] of mass) if (m > dominantMass) { dominant = d; dominantMass = m }
  return { expectedRecovery, expectedChannelCost, expectedRepairCost, dominant: dominant!, plan }
}
