// What a candidate plan uses of each scarce resource (capacity.ts): what it books when
// chosen. The same uses drive the booking, the feasibility check, the price term in the
// score and the LP the bid prices come from, so they cannot disagree. Refurbishment after
// inspection is not among them: it is booked when the grade is known (decide.ts), and an
// LP row charged for hours nobody books at request time prices bench days that stay idle.
import type { DecisionReservations } from '../contracts/decision.js'
import type { Candidate } from './candidate.js'
import { freeOf, priceOf, usesOfReservations, type ResourceKind, type Use } from './capacity.js'
import type { LineContext } from './line-context.js'
import type { Network } from './network.js'
import { repairQuote } from './recovery.js'
import type { NavigatorState } from './state.js'

const HOUR_MS = 3_600_000

/** Local day on which the plan's item is inspected at its receiving node. */
export function inspectionDayOf(c: Candidate, ctx: LineContext, state: NavigatorState): number {
  return state.localDay(ctx.nowMs + c.timing.inspectedH * HOUR_MS)
}

/** Parts a repair at the node takes, merged per part id. */
export function repairParts(ctx: LineContext, network: Network, nodeIdx: number): { partId: string; qty: number }[] {
  const q = repairQuote(ctx, network, nodeIdx)
  if (typeof q === 'string') return []
  const byId = new Map<string, number>()
  for (const p of q.parts) byId.set(p.id, (byId.get(p.id) ?? 0) + ctx.qty)
  return [...byId].map(([partId, qty]) => ({ partId, qty }))
}

/**
 * Everything the plan books when it is chosen: the replacement, the bench day and parts
 * of a repair, the inspection slot, and the vendor quota or outlet slot whenever the plan
 * sends any grade there (the grade is not known yet; booking only the likeliest channel
 * let RTV quota be over-promised).
 */
export function plannedReservations(
  c: Candidate, ctx: LineContext, state: NavigatorState, network: Network,
): DecisionReservations | undefined {
  const r: DecisionReservations = {}
  if (c.resolution === 'exchange' && c.exchangeSource >= 0) {
    r.stock = { nodeId: network.nodes[c.exchangeSource].id, sku: ctx.exchangeSku, qty: ctx.qty }
  }
  if (c.receivingNode >= 0) {
    const nodeId = network.nodes[c.receivingNode].id
    const day = inspectionDayOf(c, ctx, state)
    r.inspection = { nodeId, day, units: ctx.qty }
    if (c.resolution === 'repair' && c.repair) {
      r.bench = { nodeId, day: day + c.repair.queueDays, hours: c.repair.hours }
      const items = repairParts(ctx, network, c.receivingNode)
      if (items.length) r.parts = { nodeId, items }
    }
    if (sendsTo(c, 'return_to_vendor') && ctx.vendorId) {
      r.rtv = { vendorId: ctx.vendorId, period: state.rtvPeriod(ctx.vendorId, ctx.nowMs), units: ctx.qty }
    }
    if (sendsTo(c, 'outlet_promotion')) r.outlet = { nodeId, day, units: ctx.qty }
  }
  return Object.keys(r).length ? r : undefined
}

const MISFIT_REASON: Record<ResourceKind, string> = {
  bench: 'repair_capacity', inspection: 'inspection_capacity', outlet: 'outlet_capacity', parts: 'parts_capacity', rtv: 'rtv_capacity', stock: 'stock_capacity',
}
const EPS = 1e-9
const KIND_INDEX: Record<ResourceKind, number> = { bench: 0, inspection: 1, outlet: 2, parts: 3, rtv: 4, stock: 5 }

/**
 * The capacity check of one line's plans (enumeration): the rejection reason of the first
 * slot a plan would over-book — `firstMisfit(state, plannedReservations(c, …))`, the same
 * uses in the same order — or null when it fits. Without building the reservation and
 * its keys for every plan: those were a sixth of what deciding a line allocated, and the
 * garbage collections they cause are the slowest decisions (docs/benchmarks.md). What a
 * slot has free is read once per line: the state does not change while a line is enumerated.
 */
export class PlanFit {
  private readonly free = new Map<number, number>()
  constructor(private readonly ctx: LineContext, private readonly state: NavigatorState, private readonly network: Network) {}

  misfitOf(c: Candidate): string | null {
    const { ctx, network } = this
    const qty = ctx.qty
    if (c.resolution === 'exchange' && c.exchangeSource >= 0) {
      // The SKU is the line's: one slot per node.
      if (!this.fits('stock', c.exchangeSource, 0, ctx.exchangeSku, qty)) return MISFIT_REASON.stock
    }
    if (c.receivingNode < 0) return null
    const n = c.receivingNode
    const day = inspectionDayOf(c, ctx, this.state)
    const repair = c.resolution === 'repair' ? c.repair : null
    if (repair && !this.fits('bench', n, day + repair.queueDays, day + repair.queueDays, repair.hours)) return MISFIT_REASON.bench
    if (ctx.vendorId && sendsTo(c, 'return_to_vendor')) {
      const period = this.state.rtvPeriod(ctx.vendorId, ctx.nowMs)
      if (!this.fits('rtv', -1, period, period, qty)) return MISFIT_REASON.rtv
    }
    if (!this.fits('inspection', n, day, day, qty)) return MISFIT_REASON.inspection
    if (sendsTo(c, 'outlet_promotion') && !this.fits('outlet', n, day, day, qty)) return MISFIT_REASON.outlet
    if (repair) {
      const nodeId = network.nodes[n].id
      for (const item of repairParts(ctx, network, n)) {
        if (item.qty > 0 && freeOf(this.state, 'parts', nodeId, item.partId) + EPS < item.qty) return MISFIT_REASON.parts
      }
    }
    return null
  }

  /** freeOf(kind, scope, slot) + ε ≥ amount; the slot's free capacity read once (node -1: the line's vendor). */
  private fits(kind: ResourceKind, node: number, slotNo: number, slot: string | number, amount: number): boolean {
    if (amount <= 0) return true
    const key = ((slotNo * (this.network.nodes.length + 1) + node + 1) * 8) + KIND_INDEX[kind]
    let free = this.free.get(key)
    if (free === undefined) {
      const scope = node < 0 ? this.ctx.vendorId! : this.network.nodes[node].id
      free = freeOf(this.state, kind, scope, slot)
      this.free.set(key, free)
    }
    return !(free + EPS < amount)
  }
}

// A module function, not a closure per call: this runs for every candidate of every line,
// and under tsx every closure created also pays a name-keeping defineProperty.
function sendsTo(c: Candidate, d: string): boolean {
  return c.disposition === d || (c.plan !== null && c.plan.includes(d as never))
}

/**
 * Σ bid price × use: what the plan's use of scarce capacity is worth to later returns.
 * Best fit on priced bench days: a repair that leaves a day fewer hours than the node's
 * shortest repair leaves them to no one, so it also pays for them at the day's price; of
 * two days with room it then takes the one it fits, and the short gaps the navigator
 * books itself into shrink (docs/benchmarks.md, "Shared capacity").
 */
export function capacityPriceOf(c: Candidate, ctx: LineContext, state: NavigatorState, network: Network): number {
  let sum = 0
  for (const u of usesOfReservations(plannedReservations(c, ctx, state, network))) {
    const price = priceOf(state, u.kind, u.scope, u.slot)
    sum += price * u.amount
    if (u.kind === 'bench' && price > 0) {
      const left = freeOf(state, 'bench', u.scope, u.slot) - u.amount
      if (left > 1e-9 && left < shortestRepairHours(network, u.scope) - 1e-9) sum += price * left
    }
  }
  return sum
}

const shortestRepairs = new WeakMap<Network, Map<string, number>>()

/** The fewest bench hours any repair at the node takes (one unit); Infinity when it repairs nothing. */
function shortestRepairHours(network: Network, nodeId: string): number {
  let byNode = shortestRepairs.get(network)
  if (!byNode) shortestRepairs.set(network, (byNode = new Map()))
  let hours = byNode.get(nodeId)
  if (hours === undefined) {
    const types = network.nodes.find((n) => n.id === nodeId)?.repairProductTypes ?? []
    hours = Math.min(Infinity, ...types.map((t) => network.file.repair.productTypes[t]?.labourHours ?? Infinity))
    byNode.set(nodeId, hours)
  }
  return hours
}
