// A generated history whose analytics answers are known exactly, for the pipeline and
// analytics API tests. All times are whole days before "today" (UTC) at noon, so the
// rolling windows (which end on today) contain exactly the days the test expects.
import type { Decision } from '../../server/contracts/decision.js'
import type { Event } from '../../server/contracts/events.js'

export const DAY_MS = 86_400_000

export function dayAgo(today: Date, daysAgo: number, hour = 12): Date {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
  return new Date(midnight - daysAgo * DAY_MS + hour * 3_600_000)
}

/** Splits `total` into `parts` integers that differ by at most one and sum to `total`. */
export function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts))
}

export interface SkuPlan {
  sku: string
  category: string
  /** [firstDayAgo, lastDayAgo, units sold, units returned] blocks. */
  blocks: [number, number, number, number][]
  reasons: [string, number][]
}

// SKU-X: 1,000 sold and 37 returned in the last 30 days → 3.7 %.
// SKU-HIGH: 12 % all along against a category near 4 % → above_category.
// SKU-SPIKE: 2 % for a month, then 30 of 210 (14 %) in the last 6 days → spike only
//            (its 30-day rate stays below the category's).
// SKU-N1..N3: 4 %, the normal ones. SKU-TINY: 1 sold, 1 returned (minimum-volume rule).
export const PLANS: SkuPlan[] = [
  { sku: 'SKU-X', category: 'apparel', blocks: [[1, 25, 1000, 37]], reasons: [['size_too_small', 20], ['defective', 10], ['changed_mind', 7]] },
  { sku: 'SKU-HIGH', category: 'apparel', blocks: [[1, 36, 1200, 144]], reasons: [['defective', 100], ['not_as_described', 44]] },
  { sku: 'SKU-SPIKE', category: 'apparel', blocks: [[7, 36, 2000, 40], [1, 6, 210, 30]], reasons: [['damaged_in_transit', 50], ['other', 20]] },
  { sku: 'SKU-N1', category: 'apparel', blocks: [[1, 36, 1500, 60]], reasons: [['size_too_large', 60]] },
  { sku: 'SKU-N2', category: 'apparel', blocks: [[1, 36, 1500, 60]], reasons: [['size_too_small', 30], ['changed_mind', 30]] },
  { sku: 'SKU-N3', category: 'electronics', blocks: [[1, 36, 900, 27]], reasons: [['defective', 27]] },
  { sku: 'SKU-TINY', category: 'electronics', blocks: [[2, 2, 1, 1]], reasons: [['wrong_item', 1]] },
]

const customer = { id: 'c-1', lat: 52.52, lon: 13.4 }

export interface GeneratedReturn { rmaId: string; sku: string; requestedAt: Date; reason: string }

export function generateHistory(today: Date): { events: Event[]; returns: GeneratedReturn[] } {
  const events: Event[] = [{
    eventId: 'catalog-1', type: 'catalog.upsert', occurredAt: dayAgo(today, 60).toISOString(),
    items: PLANS.map((p) => ({ sku: p.sku, name: p.sku, category: p.category, productType: 'generic', price: 50, weightKg: 1, repairable: false, lifecycle: 'current' as const })),
  }]
  const returns: GeneratedReturn[] = []
  for (const plan of PLANS) {
    // Reasons are dealt out in order over the plan's returns, oldest first.
    const reasonQueue = plan.reasons.flatMap(([reason, n]) => Array<string>(n).fill(reason))
    for (const [first, last, sold, returned] of plan.blocks) {
      const days = last - first + 1
      const soldPerDay = spread(sold, days), returnedPerDay = spread(returned, days)
      for (let i = 0; i < days; i++) {
        const ago = last - i
        const at = dayAgo(today, ago)
        if (soldPerDay[i] > 0) {
          for (let chunk = 0; chunk * 200 < soldPerDay[i]; chunk++) {
            const n = Math.min(200, soldPerDay[i] - chunk * 200)
            events.push({
              eventId: `o-${plan.sku}-${ago}-${chunk}`, type: 'order.placed', occurredAt: at.toISOString(),
              orderId: `o-${plan.sku}-${ago}-${chunk}`, customer,
              lines: Array.from({ length: n }, () => ({ sku: plan.sku, qty: 1, unitPrice: 50 })),
            })
          }
        }
        for (let r = 0; r < returnedPerDay[i]; r++) {
          const rmaId = `rma-${plan.sku}-${ago}-${r}`
          const reason = reasonQueue.shift() ?? 'other'
          const requestedAt = new Date(at.getTime() + r * 60_000)
          returns.push({ rmaId, sku: plan.sku, requestedAt, reason })
          events.push({
            eventId: rmaId, type: 'return.requested', occurredAt: requestedAt.toISOString(), rmaId,
            orderId: `o-${plan.sku}-${ago}-0`, customer, channel: 'web',
            lines: [{ sku: plan.sku, qty: 1, unitPrice: 50, reason: reason as never, condition: 'used', wants: 'refund' }],
          })
        }
      }
    }
  }
  return { events, returns }
}

/** Hours of each stage of the i-th SKU-X return (distinct, deterministic). */
export function stageHours(i: number) {
  return { toReceived: 10 + i, toInspected: 5 + ((i * 7) % 13), toRefunded: 2 + ((i * 3) % 11) }
}

export function statusEvents(r: GeneratedReturn, i: number, node: string): Event[] {
  const h = stageHours(i)
  const at = (hours: number) => new Date(r.requestedAt.getTime() + hours * 3_600_000).toISOString()
  const received = h.toReceived, inspected = received + h.toInspected, refunded = inspected + h.toRefunded
  return [
    { eventId: `${r.rmaId}-received`, type: 'return.status', occurredAt: at(received), rmaId: r.rmaId, status: 'received', nodeId: node },
    { eventId: `${r.rmaId}-inspected`, type: 'return.status', occurredAt: at(inspected), rmaId: r.rmaId, status: 'inspected', nodeId: node },
    { eventId: `${r.rmaId}-refunded`, type: 'return.status', occurredAt: at(refunded), rmaId: r.rmaId, status: 'refunded' },
  ]
}

/** A hand-built decision with the money terms the cost tests add up. */
export function decisionFor(r: GeneratedReturn, opts: { id: string; supersedes?: string; decidedAt: Date; netCost: number; baselineNetCost: number; recovery: number; resolution?: Decision['resolution']; disposition?: Decision['disposition']; node?: string }): Decision {
  return {
    decisionId: opts.id, ...(opts.supersedes ? { supersedes: opts.supersedes } : {}), rmaId: r.rmaId, lineIndex: 0, sku: r.sku, decidedAt: opts.decidedAt.toISOString(),
    resolution: opts.resolution ?? 'refund', inboundMode: 'drop_off', receivingNodeId: opts.node ?? 'WH-A', exchangeSourceNodeId: null,
    disposition: opts.disposition ?? 'restock_new', steps: [],
    totals: { netCost: opts.netCost, recovery: opts.recovery, waitHours: 48, co2Kg: 1, score: opts.netCost },
    breakdown: { inbound_logistics: 3, outbound_logistics: 2, handling: 4, refund_outflow: 50, expected_recovery: -opts.recovery },
    alternatives: [], rejections: {}, candidates: 10, weightsVersion: 1, priority: 0, tasks: [], trackingToken: `t-${opts.id}`,
    baseline: { resolution: 'refund', inboundMode: 'self_ship', receivingNodeId: 'WH-CENTRAL', disposition: 'restock_new', totals: { netCost: opts.baselineNetCost, recovery: opts.recovery, waitHours: 120, co2Kg: 2, score: opts.baselineNetCost } },
  }
}
