// Enumerations of the public API (shared/API.md). One place, so the server, the
// navigator, the SQL migrations' LowCardinality columns and the client agree.
import { z } from 'zod'

export const RETURN_REASONS = [
  'size_too_small', 'size_too_large', 'defective', 'damaged_in_transit', 'wrong_item',
  'not_as_described', 'changed_mind', 'late_delivery', 'better_price', 'other',
] as const
export const ReturnReason = z.enum(RETURN_REASONS)
export type ReturnReason = z.infer<typeof ReturnReason>

/** Reasons that are the merchant's fault: return shipping is always free to the customer. */
export const MERCHANT_FAULT_REASONS: readonly ReturnReason[] = [
  'defective', 'damaged_in_transit', 'wrong_item', 'not_as_described',
]

export const CONDITIONS = ['unopened', 'like_new', 'used', 'damaged', 'defective'] as const
export const Condition = z.enum(CONDITIONS)
export type Condition = z.infer<typeof Condition>

export const WANTED_RESOLUTIONS = ['refund', 'exchange', 'repair', 'store_credit'] as const
export const WantedResolution = z.enum(WANTED_RESOLUTIONS)
export type WantedResolution = z.infer<typeof WantedResolution>

export const RESOLUTIONS = ['refund', 'exchange', 'repair', 'store_credit', 'keep_it', 'partial_refund'] as const
export const Resolution = z.enum(RESOLUTIONS)
export type Resolution = z.infer<typeof Resolution>

export const INBOUND_MODES = ['courier_pickup', 'drop_off', 'self_ship', 'none'] as const
export const InboundMode = z.enum(INBOUND_MODES)
export type InboundMode = z.infer<typeof InboundMode>

export const DISPOSITIONS = [
  'restock_new', 'open_box_refurbish', 'outlet_promotion', 'return_to_vendor', 'liquidate', 'recycle', 'none',
] as const
export const Disposition = z.enum(DISPOSITIONS)
export type Disposition = z.infer<typeof Disposition>

export const RETURN_STATUSES = [
  'requested', // implicit first status, set by return.requested
  'label_created', 'picked_up', 'dropped_off', 'in_transit', 'received', 'inspected',
  'repair_started', 'repaired', 'restocked', 'sent_to_channel', 'refunded',
  'exchange_shipped', 'closed', 'cancelled',
] as const
/** Statuses a producer may send in return.status ('requested' is implied by the request). */
export const ReturnStatus = z.enum(RETURN_STATUSES).exclude(['requested'])
export type ReturnStatus = z.infer<typeof ReturnStatus>

export const GRADES = ['A', 'B', 'C', 'D'] as const
export const Grade = z.enum(GRADES)
export type Grade = z.infer<typeof Grade>

export const LIFECYCLES = ['current', 'outdated', 'discontinued'] as const
export const Lifecycle = z.enum(LIFECYCLES)
export type Lifecycle = z.infer<typeof Lifecycle>

export const CHANNELS = ['app', 'web', 'cs', 'store'] as const
export const Channel = z.enum(CHANNELS)
export type Channel = z.infer<typeof Channel>

export const CATEGORIES = ['apparel', 'footwear', 'electronics', 'home', 'beauty'] as const

export const EVENT_TYPES = [
  'order.placed', 'return.requested', 'return.status', 'return.inspected',
  'inventory.snapshot', 'inventory.adjusted', 'catalog.upsert', 'return.offer_answered',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export const ROLES = ['ingest', 'viewer', 'operator', 'admin'] as const
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

export const TASK_ROLES = ['warehouse', 'repair', 'finance', 'customer_service', 'logistics'] as const
export const TaskRole = z.enum(TASK_ROLES)
export type TaskRole = z.infer<typeof TaskRole>
