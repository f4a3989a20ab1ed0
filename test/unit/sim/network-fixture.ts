// A small but complete network for simulator tests: five categories, a size ladder,
// one warehouse that ships exchanges, a returns centre, a repair centre, a drop-off.
// Few SKUs, so per-SKU rates are measurable over a month of orders.
import { RETURN_REASONS, type ReturnReason } from '../../../server/contracts/enums.js'
import type { CatalogItem } from '../../../server/contracts/events.js'
import { loadNetworkOrThrow, type Network, type NetworkFileInput, type NodeKind } from '../../../server/navigator/network.js'

const grades = (a: number, b: number, c: number, d: number) => ({ A: a, B: b, C: c, D: d })
const gradePriors = {
  unopened: grades(90, 8, 2, 0), like_new: grades(70, 25, 4, 1), used: grades(30, 50, 15, 5),
  damaged: grades(3, 17, 50, 30), defective: grades(20, 35, 30, 15),
}
const category = (returnRatePrior: number, defaultPrice: number) => ({
  defaultPrice, costShare: 0.5, weightKg: 0.5, returnRatePrior, decayPerWeek: 0.01, gradePriors,
})

function item(sku: string, category: string, productType: string, price: number, extra: Partial<CatalogItem> = {}): CatalogItem {
  return { sku, name: `${productType} ${sku}`, category, productType, price, weightKg: 0.5, repairable: false, lifecycle: 'current', ...extra }
}

export const FIXTURE_CATALOG: CatalogItem[] = [
  ...['S', 'M', 'L', 'XL'].map((s) => item(`TEE-BLK-${s}`, 'apparel', 'tshirt', 99)),
  item('DRESS-01', 'apparel', 'dress', 399),
  item('JACKET-01', 'apparel', 'jacket', 699, { lifecycle: 'outdated' }),
  ...['39', '40', '41', '42'].map((s) => item(`RUN-${s}-BLU`, 'footwear', 'sneaker', 599)),
  item('PHONE-X', 'electronics', 'smartphone', 2999, { repairable: true }),
  item('BUDS-2', 'electronics', 'headphones', 499, { repairable: true }),
  item('CABLE-1', 'electronics', 'accessory', 39),
  item('MUG-0041', 'home', 'mug', 49),
  item('MUG-0042', 'home', 'mug', 49),
  item('LAMP-1', 'home', 'lamp', 259),
  item('CREAM-1', 'beauty', 'skincare', 189),
  item('LIP-1', 'beauty', 'makeup', 129),
  item('OLD-1', 'home', 'lamp', 99, { lifecycle: 'discontinued' }),
]

const mode = (m: 'courier_pickup' | 'drop_off' | 'self_ship', base: number) => ({
  mode: m, base, perKg: 2, perKm: 0.005, handoverHours: 6, sortHours: 10, speedKmh: 45, maxWeightKg: 60,
  serviceRadiusKm: 4000, coverageKinds: ['warehouse', 'returns_centre', 'repair_centre', 'drop_off'] as NodeKind[],
  co2PerKgKm: 0.0001, co2PerStopKg: 0.3, riskFactor: 0.2, customerPaysNonFault: false,
})

export const FIXTURE_NETWORK_FILE: NetworkFileInput = {
  version: 'sim-fixture-1',
  currency: 'CNY',
  nodes: [
    { id: 'SH-WH', name: 'Shanghai warehouse', kind: 'warehouse', lat: 31.15, lon: 121.12, central: true,
      capabilities: ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange', 'outlet'],
      inspectionsPerDay: 2000, dockToInspectHours: 24, handling: { receive: 4, inspect: 12 } },
    { id: 'WH-RC', name: 'Wuhan returns centre', kind: 'returns_centre', lat: 30.59, lon: 114.3,
      capabilities: ['inspect', 'restock', 'refurbish', 'outlet', 'liquidate', 'recycle'],
      inspectionsPerDay: 1000, handling: { receive: 3, inspect: 10 } },
    { id: 'SZ-RP', name: 'Shenzhen repair centre', kind: 'repair_centre', lat: 22.54, lon: 114.06,
      capabilities: ['inspect', 'repair', 'refurbish', 'liquidate', 'recycle'], repairBenchHoursPerDay: 40,
      repairProductTypes: ['smartphone', 'headphones'], inspectionsPerDay: 300, handling: { receive: 4, inspect: 15 } },
    { id: 'DO-SH', name: 'Shanghai drop-off', kind: 'drop_off', lat: 31.23, lon: 121.47, capabilities: [], handling: { receive: 0, inspect: 0 } },
  ],
  inboundModes: [mode('courier_pickup', 12), mode('drop_off', 6), mode('self_ship', 8)],
  outbound: { base: 9, perKg: 2.5, perKm: 0.004, sortHours: 10, speedKmh: 45, co2PerKgKm: 0.0001, co2PerStopKg: 0.3 },
  swapAtDoor: { maxKm: 80, surcharge: 6, leadHours: 8 },
  channels: [
    { disposition: 'restock_new', requires: 'restock', acceptsGrades: ['A'], rateByGrade: grades(0.9, 0, 0, 0),
      lifecycleFactor: { current: 1, outdated: 0.4, discontinued: 0.4 }, costPerUnit: 8, daysToResale: 3 },
    { disposition: 'open_box_refurbish', requires: 'refurbish', acceptsGrades: ['A', 'B', 'C'], rateByGrade: grades(0.7, 0.55, 0.4, 0),
      lifecycleFactor: { current: 1, outdated: 0.6, discontinued: 0.5 }, costPerUnit: 20, daysToResale: 10 },
    { disposition: 'outlet_promotion', requires: 'outlet', acceptsGrades: ['A', 'B'], rateByGrade: grades(0.5, 0.45, 0, 0),
      lifecycleFactor: { current: 1, outdated: 1, discontinued: 1 }, costPerUnit: 6, daysToResale: 14 },
    { disposition: 'liquidate', requires: 'liquidate', acceptsGrades: ['A', 'B', 'C', 'D'], rateByGrade: grades(0.1, 0.1, 0.08, 0.05),
      lifecycleFactor: { current: 1, outdated: 1, discontinued: 1 }, costPerUnit: 2, daysToResale: 7 },
    { disposition: 'recycle', requires: 'recycle', acceptsGrades: ['A', 'B', 'C', 'D'], rateByGrade: grades(0.02, 0.02, 0.02, 0.02),
      lifecycleFactor: { current: 1, outdated: 1, discontinued: 1 }, costPerUnit: 1, daysToResale: 1 },
  ],
  repair: {
    labourRatePerHour: 60,
    productTypes: {
      smartphone: { parts: [{ id: 'P-SCREEN', name: 'display', cost: 220 }], labourHours: 1.5, turnaroundHours: 24 },
      headphones: { parts: [{ id: 'P-DRIVER', name: 'driver', cost: 40 }], labourHours: 0.75, turnaroundHours: 12 },
    },
  },
  vendors: [],
  policy: {
    returnWindowDays: 7, keepItMaxValue: 60, keepItMaxRisk: 0.05, storeCreditBreakage: 0.15,
    repairMaxShareOfValue: 0.5, instantRefundTrustedOnly: true, nonReturnableCategories: [],
  },
  rules: {
    roadFactor: 1.3, timezoneOffsetHours: 8, safetyStock: 1, refundProcessingHours: 2, partialRefundShare: 0.3,
    partialRefundReasons: ['damaged_in_transit', 'not_as_described'], partialRefundConditions: ['used', 'damaged'],
    repairReasons: ['defective', 'damaged_in_transit'], repairConditions: ['defective', 'damaged'],
    fraudRiskByReason: Object.fromEntries(RETURN_REASONS.map((r) => [r, r === 'changed_mind' ? 0.02 : 0.04])) as Record<ReturnReason, number>, trustedRiskFactor: 0.3, advanceExchangeTrustedOnly: true,
    offerable: {
      refund: ['refund', 'keep_it', 'partial_refund', 'repair'], exchange: ['exchange', 'refund'],
      repair: ['repair', 'exchange', 'refund'], store_credit: ['store_credit', 'refund', 'keep_it'],
    },
    reasonGradeLikelihood: { defective: grades(0.6, 0.9, 1.4, 1.3) },
    benchLookaheadDays: 3, unknownSkuCategory: 'apparel',
  },
  categories: {
    apparel: category(0.3, 199), footwear: category(0.22, 499), electronics: category(0.1, 1999),
    home: category(0.07, 199), beauty: category(0.05, 149),
  },
  catalog: FIXTURE_CATALOG,
}

export function fixtureNetwork(): Network {
  return loadNetworkOrThrow(FIXTURE_NETWORK_FILE)
}
