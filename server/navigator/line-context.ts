// Everything the candidate loop needs about one return line, resolved once: the item
// (catalog, catalog overrides, or category defaults for an unknown SKU), the grade
// distribution (prior pseudo-counts + observed inspections), fraud risk, order age and
// the road distance from the customer to every node.
import type { Condition, ReturnReason, WantedResolution } from '../contracts/enums.js'
import { MERCHANT_FAULT_REASONS } from '../contracts/enums.js'
import type { ReturnLine, ReturnRequested } from '../contracts/events.js'
import { roadKm } from './geo.js'
import { hasCapability, type CategoryDefaults, type Network } from './network.js'
import type { NavigatorState } from './state.js'

export interface LineInput {
  request: ReturnRequested
  lineIndex: number
}

export interface LineContext {
  readonly nowMs: number
  readonly rmaId: string
  readonly lineIndex: number
  readonly line: ReturnLine
  readonly sku: string
  readonly qty: number
  /** Price paid per unit (what a refund gives back). */
  readonly unitPrice: number
  /** Resale basis per unit: list price when known, else the price paid. */
  readonly resaleUnit: number
  readonly unitCost: number
  /** Total weight of the line. */
  readonly weightKg: number
  readonly category: string
  readonly categoryDefaults: CategoryDefaults
  readonly productType: string
  readonly repairable: boolean
  readonly vendorId: string | undefined
  readonly lifecycle: 'current' | 'outdated' | 'discontinued'
  readonly returnable: boolean
  readonly reason: ReturnReason
  readonly condition: Condition
  readonly wants: WantedResolution
  readonly merchantFault: boolean
  readonly trusted: boolean
  readonly lat: number
  readonly lon: number
  readonly exchangeSku: string
  readonly exchangeUnitCost: number
  readonly exchangeUnitPrice: number
  readonly exchangeWeightKg: number
  /** P(grade) for A, B, C, D. */
  readonly gradeProbs: readonly number[]
  /** Probability the claim is fraudulent or the parcel goes missing. */
  readonly fraudRisk: number
  /** Days since the order was placed, when the order is known. */
  readonly orderAgeDays: number | undefined
  /** Days since delivery (else since the order), when known: statutory periods run from it. */
  readonly daysSinceDelivery: number | undefined
  readonly priorRepairs: number
  readonly unknownSku: boolean
  /** ln(1 − decay per week) / 168: value multiplier after t hours is exp(t × this). */
  readonly decayLogPerHour: number
  /** Road km from the customer to every node, by node index. */
  readonly nodeKm: Float64Array
  /** Value lost per hour in the pipeline (tasks.ts priorityOf). */
  readonly priority: number
  /**
   * Dock-to-inspection hours at every node for this line: the node works its dock in
   * priority order, so a line waits 2 × the standard lead time × the share of the node's
   * returns ahead of it (the mean stays the standard lead time; DECISION-MODEL.md "Priority").
   */
  readonly dockHours: Float64Array
  /**
   * Per node, what the repair bench's queue takes for this line against its standard
   * (2 × the share of the node's repairs ahead of it; 1 where nothing is known or the
   * node does not repair): the bench works in priority order too (DECISION-MODEL.md "Priority").
   */
  readonly benchQueueFactor: Float64Array
}

export function buildLineContext(
  input: LineInput, state: NavigatorState, network: Network, nowMs: number,
): LineContext {
  const { request, lineIndex } = input
  const line = request.lines[lineIndex]
  if (!line) throw new RangeError(`line ${lineIndex} not in request ${request.rmaId}`)
  const rules = network.file.rules
  const item = state.catalogItem(line.sku)
  const category = item?.category ?? categoryFromSku(line.sku, network)
  const cat = network.categories.get(category) ?? network.categories.get(rules.unknownSkuCategory)!
  const resaleUnit = item?.price ?? line.unitPrice
  const unitCost = item?.cost ?? resaleUnit * cat.costShare
  const exchangeSku = line.exchangeSku ?? line.sku
  const exchangeItem = exchangeSku === line.sku ? item : state.catalogItem(exchangeSku)
  const exchangeCat = exchangeItem ? network.categories.get(exchangeItem.category) ?? cat : cat
  const exchangeUnitPrice = exchangeItem?.price ?? (exchangeSku === line.sku ? line.unitPrice : resaleUnit)
  const exchangeUnitCost = exchangeItem?.cost ?? exchangeUnitPrice * exchangeCat.costShare

  const orderedAt = request.orderedAt !== undefined ? Date.parse(request.orderedAt) : undefined
  const placedAt = orderedAt ?? state.orderPlacedAtMs(request.orderId)
  const deliveredAt = request.deliveredAt !== undefined ? Date.parse(request.deliveredAt) : placedAt
  const nodeKm = new Float64Array(network.nodes.length)
  const lat = request.customer.lat
  const lon = request.customer.lon
  for (let i = 0; i < network.nodes.length; i++) {
    const n = network.nodes[i]
    nodeKm[i] = roadKm(lat, lon, n.lat, n.lon, rules.roadFactor)
  }
  const priority = Math.round(resaleUnit * line.qty * cat.decayPerWeek / 168 * 10_000) / 10_000
  const dockHours = new Float64Array(network.nodes.length)
  for (let i = 0; i < network.nodes.length; i++) dockHours[i] = network.nodes[i].dockToInspectHours * 2 * state.dockShareAhead(i, priority)
  const benchQueueFactor = new Float64Array(network.nodes.length).fill(1)
  for (let i = 0; i < network.nodes.length; i++) if (hasCapability(network, i, 'repair')) benchQueueFactor[i] = 2 * state.benchShareAhead(i, priority)
  const trusted = request.customer.trusted === true
  const baseRisk = rules.fraudRiskByReason[line.reason]
  return {
    nowMs,
    rmaId: request.rmaId,
    lineIndex,
    line,
    sku: line.sku,
    qty: line.qty,
    unitPrice: line.unitPrice,
    resaleUnit,
    unitCost,
    weightKg: (item?.weightKg ?? cat.weightKg) * line.qty,
    category,
    categoryDefaults: cat,
    productType: item?.productType ?? category,
    repairable: item?.repairable ?? false,
    vendorId: item?.vendorId,
    lifecycle: item?.lifecycle ?? 'current',
    returnable: item?.returnable ?? true,
    reason: line.reason,
    condition: line.condition,
    wants: line.wants,
    merchantFault: MERCHANT_FAULT_REASONS.includes(line.reason),
    trusted,
    lat,
    lon,
    exchangeSku,
    exchangeUnitCost,
    exchangeUnitPrice,
    exchangeWeightKg: (exchangeItem?.weightKg ?? cat.weightKg) * line.qty,
    gradeProbs: gradeDistribution(state, network, category, cat, line.reason, line.condition),
    fraudRisk: baseRisk * (trusted ? rules.trustedRiskFactor : 1),
    orderAgeDays: placedAt === undefined ? undefined : Math.max(0, (nowMs - placedAt) / 86_400_000),
    daysSinceDelivery: deliveredAt === undefined ? undefined : Math.max(0, (nowMs - deliveredAt) / 86_400_000),
    priorRepairs: line.priorRepairs ?? 0,
    unknownSku: item === undefined,
    decayLogPerHour: Math.log(1 - cat.decayPerWeek) / 168,
    nodeKm,
    priority,
    dockHours,
    benchQueueFactor,
  }
}

/** Category of an unknown SKU from its prefix (e.g. "EL-…" → electronics), else the default. */
export function categoryFromSku(sku: string, network: Network): string {
  const prefixes = network.file.rules.skuPrefixCategories
  for (const prefix of Object.keys(prefixes).sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    if (sku.startsWith(prefix) && network.categories.has(prefixes[prefix])) return prefixes[prefix]
  }
  return network.file.rules.unknownSkuCategory
}

/**
 * Bayesian grade distribution: prior pseudo-counts (condition prior × reason likelihood,
 * normalised, times the category's prior strength) plus the grades observed at
 * inspection for the same category × reason × condition.
 */
export function gradeDistribution(
  state: NavigatorState, network: Network, category: string, cat: CategoryDefaults,
  reason: ReturnReason, condition: Condition,
): number[] {
  const prior = cat.gradePriors[condition]
  const lik = network.file.rules.reasonGradeLikelihood[reason]
  const raw = [
    prior.A * (lik?.A ?? 1), prior.B * (lik?.B ?? 1), prior.C * (lik?.C ?? 1), prior.D * (lik?.D ?? 1),
  ]
  const rawSum = raw[0] + raw[1] + raw[2] + raw[3]
  const obs = state.gradeObservationsOf(category, reason, condition)
  const counts = [0, 0, 0, 0]
  for (let g = 0; g < 4; g++) {
    counts[g] = (rawSum > 0 ? (raw[g] / rawSum) * cat.priorStrength : cat.priorStrength / 4) + (obs?.[g] ?? 0)
  }
  const total = counts[0] + counts[1] + counts[2] + counts[3]
  return counts.map((c) => c / total)
}
