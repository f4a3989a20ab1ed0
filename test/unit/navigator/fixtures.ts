// Small hand-made networks whose numbers can be checked by hand: the customer sits at
// (0°, 0°), nodes sit north of it on the same meridian, the road factor is 1, so a node
// at latitude φ is exactly φ × KM_PER_DEGREE km away.
import type { ReturnLine, ReturnRequested } from '../../../server/contracts/events.js'
import type { Policy, Weights, WeightsVersion } from '../../../server/contracts/weights.js'
import { loadNetworkOrThrow, type Network, type NetworkFileInput } from '../../../server/navigator/network.js'

export const KM_PER_DEGREE = (Math.PI / 180) * 6371.0088

const flat = (A: number, B: number, C: number, D: number) => ({ A, B, C, D })
const allGradesA = { unopened: flat(1, 0, 0, 0), like_new: flat(1, 0, 0, 0), used: flat(1, 0, 0, 0), damaged: flat(0, 0, 0, 1), defective: flat(0, 0, 1, 0) }

export const TEST_POLICY: Policy = {
  returnWindowDays: 30,
  keepItMaxValue: 60,
  keepItMaxRisk: 0.05,
  storeCreditBreakage: 0.15,
  repairMaxShareOfValue: 0.5,
  instantRefundTrustedOnly: true,
  nonReturnableCategories: [],
}

export const TEST_WEIGHTS: Weights = { cost: 1, wait: 1, co2: 1.35, cx: 80, risk: 1 }

export function weightsVersion(w: Partial<Weights> = {}, p: Partial<Policy> = {}, version = 1): WeightsVersion {
  return { version, author: 'test', createdAt: '2026-01-01T00:00:00Z', weights: { ...TEST_WEIGHTS, ...w }, policy: { ...TEST_POLICY, ...p } }
}

type Node = NetworkFileInput['nodes'][number]

export function node(id: string, lat: number, capabilities: Node['capabilities'], extra: Partial<Node> = {}): Node {
  return {
    id, name: id, kind: 'warehouse', lat, lon: 0, capabilities,
    dockToInspectHours: 10, pickPackHours: 2, handling: { receive: 5, inspect: 10 }, ...extra,
  }
}

/** A base file; tests override what their behaviour needs. Decay is 0 unless a test sets it. */
export function baseFile(over: Partial<NetworkFileInput> = {}): NetworkFileInput {
  return {
    version: 'test',
    currency: 'CNY',
    nodes: [node('W1', 1, ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange'], { central: true })],
    inboundModes: [
      {
        mode: 'courier_pickup', base: 10, perKg: 0, perKm: 0, handoverHours: 4, sortHours: 0, speedKmh: 50,
        maxWeightKg: 100, serviceRadiusKm: 10_000, coverageKinds: ['warehouse', 'returns_centre', 'repair_centre', 'drop_off', 'vendor'],
        co2PerKgKm: 0, co2PerStopKg: 0, riskFactor: 0.2,
      },
    ],
    outbound: { base: 8, perKg: 0, perKm: 0, sortHours: 0, speedKmh: 50, co2PerKgKm: 0, co2PerStopKg: 0 },
    swapAtDoor: { maxKm: 0, surcharge: 5, leadHours: 2 },
    channels: [
      { disposition: 'restock_new', requires: 'restock', acceptsGrades: ['A'], rateByGrade: flat(0.9, 0, 0, 0), lifecycleFactor: { current: 1, outdated: 0.4, discontinued: 0.45 }, costPerUnit: 8, daysToResale: 3 },
      { disposition: 'outlet_promotion', requires: 'outlet', acceptsGrades: ['A', 'B', 'C'], rateByGrade: flat(0.45, 0.4, 0.15, 0), lifecycleFactor: { current: 1, outdated: 1, discontinued: 1 }, costPerUnit: 6, daysToResale: 21 },
      { disposition: 'return_to_vendor', requires: 'rtv', acceptsGrades: ['A', 'B', 'C', 'D'], rateByGrade: flat(0, 0, 0, 0), lifecycleFactor: { current: 1, outdated: 1, discontinued: 1 }, costPerUnit: 5, daysToResale: 30 },
      { disposition: 'liquidate', requires: 'liquidate', acceptsGrades: ['A', 'B', 'C', 'D'], rateByGrade: flat(0.1, 0.1, 0.1, 0.1), lifecycleFactor: { current: 1, outdated: 1, discontinued: 1 }, costPerUnit: 2, daysToResale: 7 },
      { disposition: 'recycle', requires: 'recycle', acceptsGrades: ['A', 'B', 'C', 'D'], rateByGrade: flat(0.02, 0.02, 0.02, 0.02), lifecycleFactor: { current: 1, outdated: 1, discontinued: 1 }, costPerUnit: 3, daysToResale: 0 },
    ],
    repair: {
      labourRatePerHour: 50,
      productTypes: { phone: { parts: [{ id: 'P-SCREEN', name: 'screen', cost: 200 }], labourHours: 1, turnaroundHours: 10 } },
    },
    vendors: [],
    policy: TEST_POLICY,
    rules: {
      roadFactor: 1,
      timezoneOffsetHours: 0,
      safetyStock: 0,
      refundProcessingHours: 2,
      partialRefundShare: 0.3,
      partialRefundReasons: ['damaged_in_transit'],
      partialRefundConditions: ['damaged'],
      repairReasons: ['defective'],
      repairConditions: ['defective'],
      fraudRiskByReason: {
        size_too_small: 0.02, size_too_large: 0.02, defective: 0.02, damaged_in_transit: 0.02, wrong_item: 0.02,
        not_as_described: 0.02, changed_mind: 0.02, late_delivery: 0.02, better_price: 0.02, other: 0.02,
      },
      trustedRiskFactor: 0.5,
      advanceExchangeTrustedOnly: false,
      offerable: {
        refund: ['refund', 'keep_it', 'partial_refund', 'repair'],
        exchange: ['exchange', 'refund'],
        repair: ['repair', 'exchange', 'refund'],
        store_credit: ['store_credit', 'refund', 'keep_it'],
      },
      reasonGradeLikelihood: {},
      benchLookaheadDays: 0,
      unknownSkuCategory: 'general',
      skuPrefixCategories: {},
    },
    categories: {
      general: { defaultPrice: 100, costShare: 0.5, weightKg: 1, returnRatePrior: 0.1, decayPerWeek: 0, gradePriors: allGradesA },
      apparel: { defaultPrice: 200, costShare: 0.4, weightKg: 0.5, returnRatePrior: 0.3, decayPerWeek: 0, gradePriors: allGradesA },
      electronics: { defaultPrice: 2000, costShare: 0.6, weightKg: 0.5, returnRatePrior: 0.1, decayPerWeek: 0, gradePriors: allGradesA },
    },
    catalog: [],
    ...over,
  }
}

export function network(over: Partial<NetworkFileInput> = {}): Network {
  return loadNetworkOrThrow(baseFile(over))
}

export const T0 = new Date('2026-03-02T00:00:00Z')

let rmaCounter = 0
export function request(lines: Partial<ReturnLine>[], customer: Partial<ReturnRequested['customer']> = {}, at = T0): ReturnRequested {
  rmaCounter++
  return {
    eventId: `e-${rmaCounter}`,
    type: 'return.requested',
    occurredAt: at.toISOString(),
    rmaId: `RMA-${rmaCounter}`,
    orderId: `O-${rmaCounter}`,
    customer: { id: `C-${rmaCounter}`, lat: 0, lon: 0, ...customer },
    channel: 'app',
    lines: lines.map((l, i) => ({
      lineId: `L${i + 1}`, sku: 'SKU-1', qty: 1, unitPrice: 100, reason: 'changed_mind', condition: 'unopened', wants: 'refund', ...l,
    })),
  }
}

export function sequentialIds(prefix = 'd') {
  let n = 0
  return { newId: () => `${prefix}${++n}`, newToken: () => `tok-${prefix}${n}-${'x'.repeat(22)}` }
}
