// The event contracts of POST /api/v1/events (shared/API.md). Unknown fields are
// rejected (strictObject), every string, array and number has an explicit limit, and
// every string is well-formed text (str(), see text.ts).
import { z } from 'zod'
import { cleanText, str } from './text.js'
import {
  Channel, Condition, Grade, Lifecycle, ReturnReason, ReturnStatus, WantedResolution,
} from './enums.js'
import { RANGE_MESSAGE, timeInRange } from './time-range.js'

const id = (max = 64) => str().trim().min(1).max(max).regex(/^[\w.:\-\/#@]+$/, 'only letters, digits and _ . : - / # @')
/**
 * A merchant's own article codes: any printable text (spaces included, e.g. "BANK
 * CHARGES"), without control characters, trimmed, up to 64 characters.
 */
export const Sku = str().trim().min(1).max(64).regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, 'printable characters only (no control characters or line breaks)')
export const NodeId = id(64)
const text = (max: number) => str().max(max)
/** Money in the network's currency; up to 10 million per unit. */
const money = z.number().finite().min(0).max(10_000_000)
/** Wholesale lines run to tens of thousands of units; a million covers any real order line. */
const qty = z.number().int().min(1).max(1_000_000)
// The range check reads the wall clock (Date.now()): a contract has no clock to inject,
// and a day's drift of the upper bound, a year away, changes nothing that matters.
const isoTime = z.iso.datetime({ offset: true }).check(cleanText)
  .refine((v) => timeInRange(Date.parse(v), new Date()), RANGE_MESSAGE)

export const Customer = z.strictObject({
  id: id(128),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  region: text(64).optional(),
})
export const ReturnCustomer = Customer.extend({ trusted: z.boolean().optional() }).strict()

const base = {
  eventId: str().min(1).max(128),
  occurredAt: isoTime,
}

export const OrderPlaced = z.strictObject({
  ...base,
  type: z.literal('order.placed'),
  orderId: id(128),
  customer: Customer,
  lines: z.array(z.strictObject({ sku: Sku, qty, unitPrice: money })).min(1).max(200),
})

export const ReturnLine = z.strictObject({
  lineId: id(64).optional(),
  sku: Sku,
  qty,
  unitPrice: money,
  reason: ReturnReason,
  reasonText: text(1000).optional(),
  condition: Condition,
  wants: WantedResolution,
  exchangeSku: Sku.optional(),
  /** Repairs of this item that already failed (三包: after two, exchange or refund). */
  priorRepairs: z.number().int().min(0).max(100).optional(),
})
export type ReturnLine = z.infer<typeof ReturnLine>

export const ReturnRequested = z.strictObject({
  ...base,
  type: z.literal('return.requested'),
  rmaId: id(128),
  orderId: id(128),
  customer: ReturnCustomer,
  channel: Channel,
  lines: z.array(ReturnLine).min(1).max(100),
  /** When the order was placed / delivered: statutory periods run from these (optional; the order.placed seen is used otherwise). */
  orderedAt: isoTime.optional(),
  deliveredAt: isoTime.optional(),
})

export const ReturnStatusChanged = z.strictObject({
  ...base,
  type: z.literal('return.status'),
  rmaId: id(128),
  status: ReturnStatus,
  lineId: id(64).optional(),
  nodeId: NodeId.optional(),
  note: text(1000).optional(),
})

export const ReturnInspected = z.strictObject({
  ...base,
  type: z.literal('return.inspected'),
  rmaId: id(128),
  lineId: id(64).optional(),
  sku: Sku,
  grade: Grade,
  nodeId: NodeId,
  findings: text(2000).optional(),
})

/** The customer (or the shop for them) answers an offer a decision made. */
export const ReturnOfferAnswered = z.strictObject({
  ...base,
  type: z.literal('return.offer_answered'),
  rmaId: id(128),
  lineIndex: z.number().int().min(0).max(99),
  offerId: id(128),
  accepted: z.boolean(),
})

export const InventorySnapshot = z.strictObject({
  ...base,
  type: z.literal('inventory.snapshot'),
  nodeId: NodeId,
  /** With `partId` an item counts repair parts held at the node (sku: the part's own code). */
  items: z.array(z.strictObject({ sku: Sku, onHand: z.number().int().min(0).max(100_000_000), partId: Sku.optional() })).min(1).max(10_000),
})

export const InventoryAdjusted = z.strictObject({
  ...base,
  type: z.literal('inventory.adjusted'),
  nodeId: NodeId,
  sku: Sku,
  /** Present when the stock moved is a repair part (repairs book parts by this id). */
  partId: Sku.optional(),
  delta: z.number().int().min(-100_000_000).max(100_000_000).refine((d) => d !== 0, 'delta must not be 0'),
  reason: text(200).optional(),
})

export const CatalogItem = z.strictObject({
  sku: Sku,
  name: text(200).min(1),
  category: id(64),
  productType: id(64),
  price: money,
  cost: money.optional(),
  weightKg: z.number().finite().positive().max(2000),
  repairable: z.boolean(),
  vendorId: id(64).optional(),
  lifecycle: Lifecycle,
  returnable: z.boolean().optional(),
})
export type CatalogItem = z.infer<typeof CatalogItem>

export const CatalogUpsert = z.strictObject({
  ...base,
  type: z.literal('catalog.upsert'),
  items: z.array(CatalogItem).min(1).max(5_000),
})

export const Event = z.discriminatedUnion('type', [
  OrderPlaced, ReturnRequested, ReturnStatusChanged, ReturnInspected,
  InventorySnapshot, InventoryAdjusted, CatalogUpsert, ReturnOfferAnswered,
])
export type Event = z.infer<typeof Event>
export type OrderPlaced = z.infer<typeof OrderPlaced>
export type ReturnRequested = z.infer<typeof ReturnRequested>
export type ReturnStatusChanged = z.infer<typeof ReturnStatusChanged>
export type ReturnInspected = z.infer<typeof ReturnInspected>
export type InventorySnapshot = z.infer<typeof InventorySnapshot>
export type InventoryAdjusted = z.infer<typeof InventoryAdjusted>
export type CatalogUpsert = z.infer<typeof CatalogUpsert>
export type ReturnOfferAnswered = z.infer<typeof ReturnOfferAnswered>

/** Limits of one request body, part of the contract. */
export const MAX_EVENTS_PER_REQUEST = 10_000
