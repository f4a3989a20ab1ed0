// What a candidate plan uses of each scarce resource (capacity.ts): what it books when
// chosen. The same uses drive the booking, the feasibility check, the price term in the
// score and the LP the bid prices come from, so they cannot disagree. Refurbishment after
// inspection is not among them: it is booked when the grade is known (decide.ts), and an
// LP row charged for hours nobody books at request time prices bench days that stay idle.
import type { DecisionReservations } from '../contracts/decision.js'
import type { Candidate } from './candidate.js'
import { freeOf, priceOf, usesOfReservations, type ResourceKind } from './capacity.js'
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
  const items: { partId: string; qty: number }[] = []
  visitRepairParts(ctx, network, nodeIdx, { visit: (_kind, _node, partId, qty) => { items.push({ partId: partId as string, qty }); return true } })
  return items
}

/**
 * Receives the slots a plan books, one at a time (walkPlanUses). `node` is a node index,
 * or -1 for the line's vendor (the RTV quota); `slot` a day, quota period, SKU or part id.
 * Returning false ends the walk.
 */
export interface PlanUseVisitor {
  visit(kind: ResourceKind, node: number, slot: number | string, amount: number): boolean
}

/**
 * Every slot the plan books when it is chosen, in the order usesOfReservations lists a
 * reservation's: the replacement, the bench day of a repair, the vendor quota, the
 * inspection slot, the outlet slot, the repair's parts (merged per part id). The vendor
 * quota or outlet slot is booked whenever the plan sends any grade there (the grade is not
 * known yet; booking only the likeliest channel let RTV quota be over-promised). The one
 * description of a plan's bookings: plannedReservations builds them from it, the
 * enumeration's capacity check (PlanFit) reads them without building anything.
 */
export function walkPlanUses(c: Candidate, ctx: LineContext, state: NavigatorState, network: Network, v: PlanUseVisitor): void {
  if (c.resolution === 'exchange' && c.exchangeSource >= 0) {
    if (!v.visit('stock', c.exchangeSource, ctx.exchangeSku, ctx.qty)) return
  }
  if (c.receivingNode < 0) return
  const n = c.receivingNode
  const day = inspectionDayOf(c, ctx, state)
  const repair = c.resolution === 'repair' ? c.repair : null
  if (repair && !v.visit('bench', n, day + repair.queueDays, repair.hours)) return
  if (ctx.vendorId && sendsTo(c, 'return_to_vendor') && !v.visit('rtv', -1, state.rtvPeriod(ctx.vendorId, ctx.nowMs), ctx.qty)) return
  if (!v.visit('inspection', n, day, ctx.qty)) return
  if (sendsTo(c, 'outlet_promotion') && !v.visit('outlet', n, day, ctx.qty)) return
  if (repair) visitRepairParts(ctx, network, n, v)
}

/** The parts a repair at the node takes, each id once with its units summed in order (as repairParts). */
function visitRepairParts(ctx: LineContext, network: Network, nodeIdx: number, v: PlanUseVisitor): void {
  const q = repairQuote(ctx, network, nodeIdx)
  if (typeof q === 'string') return
  const parts = q.parts
  for (let i = 0; i < parts.length; i++) {
    if (firstIndexOfPart(parts, parts[i].id) < i) continue
    let qty = 0
    for (let j = i; j < parts.length; j++) if (parts[j].id === parts[i].id) qty += ctx.qty
    if (!v.visit('parts', nodeIdx, parts[i].id, qty)) return
  }
}

function firstIndexOfPart(parts: readonly { id: string }[], id: string): number {
  for (let k = 0; k < parts.length; k++) if (parts[k].id === id) return k
  return -1
}

/** Everything the plan books when it is chosen (walkPlanUses), as a decision holds it. */
export function plannedReservations(
  c: Candidate, ctx: LineContext, state: NavigatorState, network: Network,
): DecisionReservations | undefined {
  return new ReservationsOfPlan(network, ctx).of(c, state)
}

/** Collects a walk into a DecisionReservations, its keys in the order stored decisions have them. */
class ReservationsOfPlan implements PlanUseVisitor {
  private stock: DecisionReservations['stock']
  private inspection: DecisionReservations['inspection']
  private bench: DecisionReservations['bench']
  private parts: DecisionReservations['parts']
  private rtv: DecisionReservations['rtv']
  private outlet: DecisionReservations['outlet']
  constructor(private readonly network: Network, private readonly ctx: LineContext) {}

  of(c: Candidate, state: NavigatorState): DecisionReservations | undefined {
    walkPlanUses(c, this.ctx, state, this.network, this)
    const r: DecisionReservations = {}
    if (this.stock) r.stock = this.stock
    if (this.inspection) r.inspection = this.inspection
    if (this.bench) r.bench = this.bench
    if (this.parts) r.parts = this.parts
    if (this.rtv) r.rtv = this.rtv
    if (this.outlet) r.outlet = this.outlet
    return Object.keys(r).length ? r : undefined
  }

  visit(kind: ResourceKind, node: number, slot: number | string, amount: number): boolean {
    const nodeId = node < 0 ? '' : this.network.nodes[node].id
    switch (kind) {
      case 'stock': this.stock = { nodeId, sku: slot as string, qty: amount }; break
      case 'bench': this.bench = { nodeId, day: slot as number, hours: amount }; break
      case 'rtv': this.rtv = { vendorId: this.ctx.vendorId!, period: slot as number, units: amount }; break
      case 'inspection': this.inspection = { nodeId, day: slot as number, units: amount }; break
      case 'outlet': this.outlet = { nodeId, day: slot as number, units: amount }; break
      case 'parts':
        if (this.parts) this.parts.items.push({ partId: slot as string, qty: amount })
        else this.parts = { nodeId, items: [{ partId: slot as string, qty: amount }] }
        break
    }
    return true
  }
}

const MISFIT_REASON: Record<ResourceKind, string> = {
  bench: 'repair_capacity', inspection: 'inspection_capacity', outlet: 'outlet_capacity', parts: 'parts_capacity', rtv: 'rtv_capacity', stock: 'stock_capacity',
}
const EPS = 1e-9
const KIND_INDEX: Record<ResourceKind, number> = { bench: 0, inspection: 1, outlet: 2, parts: 3, rtv: 4, stock: 5 }

/**
 * The capacity check of one line's plans (enumeration): the rejection reason of the first
 * slot a plan would over-book — `firstMisfit(state, plannedReservations(c, …))`: the same
 * walk, the same order — or null when it fits. Without building the reservation and its
 * keys for every plan: those were a sixth of what deciding a line allocated, and the
 * garbage collections they cause are the slowest decisions (docs/benchmarks.md). What a
 * slot has free is read once per line: the state does not change while a line is enumerated.
 */
export class PlanFit implements PlanUseVisitor {
  private readonly free = new Map<number, number>()
  private misfit: string | null = null
  constructor(private readonly ctx: LineContext, private readonly state: NavigatorState, private readonly network: Network) {}

  misfitOf(c: Candidate): string | null {
    this.misfit = null
    walkPlanUses(c, this.ctx, this.state, this.network, this)
    return this.misfit
  }

  visit(kind: ResourceKind, node: number, slot: number | string, amount: number): boolean {
    // The comparison firstMisfit makes.
    if (amount <= 0 || !(this.freeOf(kind, node, slot) + EPS < amount)) return true
    this.misfit = MISFIT_REASON[kind]
    return false
  }

  /**
   * freeOf(kind, scope, slot), read once per line for a slot of a day or period (a
   * replacement's: one per node, the SKU being the line's); parts are read each time.
   */
  private freeOf(kind: ResourceKind, node: number, slot: number | string): number {
    const scope = node < 0 ? this.ctx.vendorId! : this.network.nodes[node].id
    if (kind === 'parts') return freeOf(this.state, kind, scope, slot)
    const slotNo = typeof slot === 'number' ? slot : 0
    const key = ((slotNo * (this.network.nodes.length + 1) + node + 1) * 8) + KIND_INDEX[kind]
    let free = this.free.get(key)
    if (free === undefined) {
      free = freeOf(this.state, kind, scope, slot)
      this.free.set(key, free)
    }
    return free
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
  // The refurbishment the recourse counts on, at the bench's price (recovery.ts): booked
  // only once the item is graded, but the hours it takes then are hours repairs lack.
  let sum = c.recourseBenchCharge
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
