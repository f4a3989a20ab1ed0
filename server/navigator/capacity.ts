// The shared-capacity model (issue 17): every scarce resource the navigator books, by
// slot, and what a plan uses of each.
//
//   bench       per node and local day          hours          (repairs, refurbishment)
//   inspection  per node and local day          units          (receiving + inspection)
//   outlet      per node and local day          units          (outlet / promotion channel)
//   parts       per node and part id            units          (stock of repair parts)
//   rtv         per vendor and quota period     units          (return-to-vendor quota)
//   stock       per node and SKU                units          (replacements for exchanges)
//
// A resource key is `kind|scope|slot` (scope: node or vendor id; slot: day, period, part
// id or SKU). Limits come from the network file unless an operator or an inventory event
// set one (state.capacityLimit); a limit that was never configured is not scarce
// (Infinity), so network files written before a resource was enforced keep working.
// Pure: reads and books through NavigatorState, no I/O.
import type { DecisionReservations } from '../contracts/decision.js'
import type { Network } from './network.js'
import { DAILY_KINDS, limitKey, parseResourceKey, partKey, RESOURCE_KINDS, resourceKey, slotKey, type ResourceKind } from './resource-keys.js'
import type { NavigatorState } from './state.js'

export { DAILY_KINDS, limitKey, parseResourceKey, partKey, RESOURCE_KINDS, resourceKey, slotKey, type ResourceKind }

export interface Use {
  kind: ResourceKind
  scope: string
  slot: string | number
  amount: number
}

export interface SlotView {
  kind: ResourceKind
  scope: string
  slot: string | number
  capacity: number
  booked: number
  bidPrice: number
}

const EPS = 1e-9

/** Capacity of one slot; Infinity when the resource is not limited there. */
export function limitOf(state: NavigatorState, kind: ResourceKind, scope: string, slot: string | number): number {
  const network = state.network
  switch (kind) {
    case 'bench': {
      const idx = network.nodeIndex.get(scope)
      return idx === undefined ? 0 : state.benchHoursPerDay(idx)
    }
    case 'inspection': {
      const set = state.capacityLimit.get(limitKey('inspection', scope))
      if (set !== undefined) return set
      const idx = network.nodeIndex.get(scope)
      const perDay = idx === undefined ? 0 : network.nodes[idx].inspectionsPerDay
      return perDay > 0 ? perDay : Infinity
    }
    case 'outlet': {
      const set = state.capacityLimit.get(limitKey('outlet', scope))
      if (set !== undefined) return set
      const idx = network.nodeIndex.get(scope)
      return (idx === undefined ? undefined : network.nodes[idx].outletUnitsPerDay) ?? Infinity
    }
    case 'parts':
      return state.capacityLimit.get(partKey(scope, String(slot))) ?? Infinity
    case 'rtv':
      return state.capacityLimit.get(limitKey('rtv', scope)) ?? network.vendors.get(scope)?.quotaUnitsPerPeriod ?? 0
    case 'stock': {
      const idx = network.nodeIndex.get(scope)
      return idx === undefined ? 0 : state.onHand(idx, String(slot))
    }
  }
}

export function usedOf(state: NavigatorState, kind: ResourceKind, scope: string, slot: string | number): number {
  switch (kind) {
    case 'bench': {
      const idx = state.network.nodeIndex.get(scope)
      return idx === undefined ? 0 : state.benchUsed(idx, Number(slot))
    }
    case 'rtv':
      return state.rtvUsed(scope, Number(slot))
    case 'stock': {
      const idx = state.network.nodeIndex.get(scope)
      return idx === undefined ? 0 : state.reserved(idx, String(slot))
    }
    default:
      return state.capacityUse.get(resourceKey(kind, scope, slot)) ?? 0
  }
}

/** What is left of a slot for a new booking (stock keeps its safety stock back). */
export function freeOf(state: NavigatorState, kind: ResourceKind, scope: string, slot: string | number): number {
  const safety = kind === 'stock' ? state.network.file.rules.safetyStock : 0
  return limitOf(state, kind, scope, slot) - safety - usedOf(state, kind, scope, slot)
}

/** True once the bid-prices job has published any price into the state. */
export function hasBidPrices(state: NavigatorState): boolean {
  return !state.bidPrices.entries().next().done
}

export function priceOf(state: NavigatorState, kind: ResourceKind, scope: string, slot: string | number): number {
  return state.bidPrices.get(resourceKey(kind, scope, slot)) ?? 0
}

/** Every slot a reservation books. */
export function usesOfReservations(r: DecisionReservations | undefined): Use[] {
  if (!r) return []
  const out: Use[] = []
  if (r.stock) out.push({ kind: 'stock', scope: r.stock.nodeId, slot: r.stock.sku, amount: r.stock.qty })
  if (r.bench) out.push({ kind: 'bench', scope: r.bench.nodeId, slot: r.bench.day, amount: r.bench.hours })
  if (r.rtv) out.push({ kind: 'rtv', scope: r.rtv.vendorId, slot: r.rtv.period, amount: r.rtv.units })
  if (r.inspection) out.push({ kind: 'inspection', scope: r.inspection.nodeId, slot: r.inspection.day, amount: r.inspection.units })
  if (r.outlet) out.push({ kind: 'outlet', scope: r.outlet.nodeId, slot: r.outlet.day, amount: r.outlet.units })
  if (r.parts) for (const p of r.parts.items) out.push({ kind: 'parts', scope: r.parts.nodeId, slot: p.partId, amount: p.qty })
  return out
}

/** The first slot the reservation would over-book, or null when every use fits. */
export function firstMisfit(state: NavigatorState, r: DecisionReservations | undefined): Use | null {
  for (const u of usesOfReservations(r)) {
    if (u.amount <= 0) continue
    if (freeOf(state, u.kind, u.scope, u.slot) + EPS < u.amount) return u
  }
  return null
}

/**
 * The part of a reservation that fits, and the kinds that did not. Used only where a
 * decision has to be made even though no feasible plan exists (the needs-review
 * fall-back): the decision then holds what it can and is flagged, never over-books.
 */
export function fitOrDrop(
  state: NavigatorState, r: DecisionReservations | undefined,
): { kept: DecisionReservations | undefined; dropped: ResourceKind[] } {
  if (!r) return { kept: undefined, dropped: [] }
  const kept: DecisionReservations = { ...r }
  const dropped: ResourceKind[] = []
  const drop = (kind: ResourceKind) => {
    dropped.push(kind)
    if (kind === 'parts') delete kept.parts
    else delete (kept as Record<string, unknown>)[kind]
  }
  for (const u of usesOfReservations(r)) {
    if (u.amount > 0 && freeOf(state, u.kind, u.scope, u.slot) + EPS < u.amount && !dropped.includes(u.kind)) drop(u.kind)
  }
  return { kept: Object.keys(kept).length ? kept : undefined, dropped }
}

/** Every slot with a booking, with its capacity and price. */
export function bookedSlots(state: NavigatorState): SlotView[] {
  const network = state.network
  const out: SlotView[] = []
  const push = (kind: ResourceKind, scope: string, slot: string | number, booked: number) => {
    if (booked <= 0) return
    out.push({ kind, scope, slot, booked, capacity: limitOf(state, kind, scope, slot), bidPrice: priceOf(state, kind, scope, slot) })
  }
  const split = (key: string) => {
    const i = key.indexOf('|')
    return [key.slice(0, i), key.slice(i + 1)] as const
  }
  for (const [key, used] of state.benchEntries()) {
    const [idx, day] = split(key)
    push('bench', network.nodes[Number(idx)].id, Number(day), used)
  }
  for (const [key, used] of state.reservedEntries()) {
    const [idx, sku] = split(key)
    push('stock', network.nodes[Number(idx)].id, sku, used)
  }
  for (const [key, used] of state.rtvEntries()) {
    const [vendor, period] = split(key)
    push('rtv', vendor, Number(period), used)
  }
  for (const [key, used] of state.capacityUse.entries()) {
    const k = parseResourceKey(key)
    push(k.kind, k.scope, k.kind === 'parts' ? k.slot : Number(k.slot), used)
  }
  return out
}

/** Slots booked beyond their capacity: must always be empty. */
export function overBooked(state: NavigatorState): SlotView[] {
  return bookedSlots(state).filter((s) => s.booked > s.capacity + EPS)
}

/** Decisions holding a slot, in reservation order (the newest last). */
export function holdersOf(state: NavigatorState, kind: ResourceKind, scope: string, slot: string | number): string[] {
  const out: string[] = []
  for (const [id, r] of state.reservationEntries()) {
    for (const u of usesOfReservations(r)) {
      if (u.kind === kind && u.scope === scope && String(u.slot) === String(slot)) { out.push(id); break }
    }
  }
  return out
}

/** The node-level resources an operator can set (PUT /network/nodes/:id/capacity). */
export interface NodeCapacityChange {
  repairBenchHoursPerDay?: number
  inspectionsPerDay?: number
  outletUnitsPerDay?: number
  /** The vendor quota of the vendor this node belongs to. */
  rtvUnitsPerPeriod?: number
}

/** Apply an operator's limits to the state; the slots that now over-book, to re-plan. */
export function applyNodeCapacity(state: NavigatorState, network: Network, nodeId: string, change: NodeCapacityChange): SlotView[] {
  const idx = network.nodeIndex.get(nodeId)
  if (idx === undefined) return []
  const node = network.nodes[idx]
  const vendorId = node.vendorId ?? [...network.vendors.values()].find((v) => v.nodeId === nodeId)?.id
  if (change.repairBenchHoursPerDay !== undefined) state.setBenchHoursPerDay(idx, change.repairBenchHoursPerDay)
  if (change.inspectionsPerDay !== undefined) state.capacityLimit.set(limitKey('inspection', nodeId), change.inspectionsPerDay)
  if (change.outletUnitsPerDay !== undefined) state.capacityLimit.set(limitKey('outlet', nodeId), change.outletUnitsPerDay)
  if (change.rtvUnitsPerPeriod !== undefined && vendorId) state.capacityLimit.set(limitKey('rtv', vendorId), change.rtvUnitsPerPeriod)
  return overBooked(state).filter((s) => s.scope === nodeId || (s.kind === 'rtv' && s.scope === vendorId))
}

/** One node's daily resource on one local day, as GET /api/v1/capacity shows it. */
export interface CapacityDay {
  nodeId: string
  resource: 'bench' | 'inspection' | 'outlet'
  /** Local calendar day (network time zone), YYYY-MM-DD. */
  day: string
  /** Null where the resource is not limited (never configured). */
  capacity: number | null
  booked: number
  bidPrice: number
  /**
   * Booked to its limit. Such a slot has no price of its own: no plan can book it, so
   * the LP has no row for it (a price there would be the value of a unit more).
   */
  full: boolean
}

const DAY_MS = 86_400_000
/** The local day number (state.localDay) of a YYYY-MM-DD date, and back. */
export const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
export const dayDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

/**
 * Every node's daily resources from `fromDay` to `toDay` (local day numbers): the ones
 * limited there, plus any slot with a booking or a price even where unlimited.
 */
export function capacityByDay(state: NavigatorState, fromDay: number, toDay: number): CapacityDay[] {
  const out: CapacityDay[] = []
  for (const node of state.network.nodes) {
    for (const resource of DAILY_KINDS as readonly ('bench' | 'inspection' | 'outlet')[]) {
      for (let d = fromDay; d <= toDay; d++) {
        const capacity = limitOf(state, resource, node.id, d)
        const booked = usedOf(state, resource, node.id, d)
        const bidPrice = priceOf(state, resource, node.id, d)
        const limited = Number.isFinite(capacity) && (resource !== 'bench' || capacity > 0)
        if (!limited && booked <= 0 && bidPrice <= 0) continue
        out.push({ nodeId: node.id, resource, day: dayDate(d), capacity: Number.isFinite(capacity) ? capacity : null, booked, bidPrice, full: limited && booked >= capacity - EPS })
      }
    }
  }
  return out
}

/** The slots that bind: a bid price on them, or booked to their capacity (highest price first). */
export function bindingSlots(state: NavigatorState): SlotView[] {
  const byKey = new Map<string, SlotView>()
  for (const s of bookedSlots(state)) if (s.booked >= s.capacity - EPS) byKey.set(resourceKey(s.kind, s.scope, s.slot), s)
  for (const [key, price] of state.bidPrices.entries()) {
    if (byKey.has(key)) continue
    const k = parseResourceKey(key)
    const slot = DAILY_KINDS.includes(k.kind) || k.kind === 'rtv' ? Number(k.slot) : k.slot
    byKey.set(key, { kind: k.kind, scope: k.scope, slot, capacity: limitOf(state, k.kind, k.scope, slot), booked: usedOf(state, k.kind, k.scope, slot), bidPrice: price })
  }
  return [...byKey.values()].sort((a, b) => b.bidPrice - a.bidPrice || a.scope.localeCompare(b.scope) || String(a.slot).localeCompare(String(b.slot)))
}
