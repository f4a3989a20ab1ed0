// What happens to a return line after the navigator decided it: the status updates,
// the inspection and the stock movements, with plausible delays taken from the network
// (mode transit speeds, dock-to-inspect, pick-pack, repair turnaround, refund time).
// Pure: the caller supplies the line's own random stream and the start time.
import type { Condition, Grade, ReturnReason, ReturnStatus } from '../contracts/enums.js'
import type { InventoryAdjusted, ReturnInspected, ReturnStatusChanged } from '../contracts/events.js'
import { haversineKm } from '../navigator/geo.js'
import type { Network } from '../navigator/network.js'
import { DEFECT_GRADE_WEIGHTS, drawGrade, findingsFor, gradeWeights } from './behaviour.js'
import { uniform, type Rng } from './random.js'

const HOUR = 3_600_000

/** The path fields of a decision, as the ingest answer reports them. */
export interface DecisionSummary {
  resolution: string
  inboundMode: string
  receivingNodeId: string | null
  exchangeSourceNodeId: string | null
  disposition: string
  /** When a refund is paid (absent: after inspection, as before the timing was decided). */
  refundTiming?: 'first_scan' | 'receipt' | 'inspection'
  /** The replacement ships before the return arrives (true) or on its receipt (false); absent: after inspection. */
  advanceExchange?: boolean
}

type Unstamped<T> = T extends unknown ? Omit<T, 'eventId' | 'occurredAt'> : never
/** An event before the world gives it an id and a time. */
export type PendingEvent = Unstamped<ReturnStatusChanged | ReturnInspected | InventoryAdjusted>

export interface Step { atMs: number; event: PendingEvent }

export interface ReturnLineFacts {
  rmaId: string
  lineId: string
  sku: string
  exchangeSku?: string
  qty: number
  category: string
  productType: string
  reason: ReturnReason
  condition: Condition
  customer: { lat: number; lon: number }
  /** The SKU of the planted defect, inside its spike window. */
  plantedDefect: boolean
}

export function planLifecycle(
  network: Network, line: ReturnLineFacts, decision: DecisionSummary, rng: Rng, startMs: number, speedup: number,
): Step[] {
  const steps: Step[] = []
  let t = startMs
  const after = (hours: number) => (t += (hours * HOUR) / speedup)
  const status = (s: ReturnStatus, nodeId?: string | null, note?: string): PendingEvent => ({
    type: 'return.status', rmaId: line.rmaId, lineId: line.lineId, status: s,
    ...(nodeId ? { nodeId } : {}), ...(note ? { note } : {}),
  })
  const refundHours = () => network.file.rules.refundProcessingHours * uniform(rng, 0.4, 1.6) + 0.5

  if (decision.resolution === 'keep_it' || decision.resolution === 'partial_refund' || decision.inboundMode === 'none') {
    steps.push({ atMs: after(refundHours()), event: status('refunded', null, decision.resolution) })
    steps.push({ atMs: after(uniform(rng, 1, 6)), event: status('closed') })
    return steps
  }

  const receiving = decision.receivingNodeId ? network.nodes[network.nodeIndex.get(decision.receivingNodeId) ?? -1] : undefined
  steps.push({ atMs: after(uniform(rng, 0.2, 3)), event: status('label_created') })
  const mode = network.modes.find((m) => m.mode === decision.inboundMode)
  // The carrier's first scan: a refund decided for the first scan is paid from it.
  let firstScanAt: number
  if (decision.inboundMode === 'courier_pickup') {
    steps.push({ atMs: (firstScanAt = after(uniform(rng, 4, 30))), event: status('picked_up') })
    steps.push({ atMs: after(uniform(rng, 1, 5)), event: status('in_transit') })
  } else if (decision.inboundMode === 'drop_off') {
    steps.push({ atMs: (firstScanAt = after(uniform(rng, 4, 48))), event: status('dropped_off', nearestDropOff(network, line.customer)) })
    steps.push({ atMs: after(uniform(rng, 2, 10)), event: status('in_transit') })
  } else {
    // Self-ship: the first thing the system hears is the carrier's scan.
    steps.push({ atMs: (firstScanAt = after(uniform(rng, 12, 72))), event: status('in_transit') })
  }
  const km = receiving
    ? haversineKm(line.customer.lat, line.customer.lon, receiving.lat, receiving.lon) * network.file.rules.roadFactor
    : 500
  const transitHours = (mode?.sortHours ?? 12) + km / (mode?.speedKmh ?? 40)
  const receivedAt = after(transitHours * uniform(rng, 0.8, 1.3))
  steps.push({ atMs: receivedAt, event: status('received', decision.receivingNodeId) })

  const category = network.categories.get(line.category)
  const grade: Grade = drawGrade(rng, line.plantedDefect
    ? DEFECT_GRADE_WEIGHTS
    : gradeWeights(category, network.file.rules, line.reason, line.condition))
  steps.push({
    atMs: after((receiving?.dockToInspectHours ?? 12) * uniform(rng, 0.5, 1.5)),
    event: {
      type: 'return.inspected', rmaId: line.rmaId, lineId: line.lineId, sku: line.sku, grade,
      nodeId: decision.receivingNodeId ?? network.nodes[network.centralIndex].id,
      findings: findingsFor(rng, grade, line.plantedDefect),
    },
  })
  const inspectedAt = t

  // Customer side: money back, a replacement, or the repaired item.
  let customerDone = inspectedAt
  if (decision.resolution === 'refund' || decision.resolution === 'store_credit') {
    const paidFrom = decision.resolution !== 'refund' ? inspectedAt
      : decision.refundTiming === 'first_scan' ? firstScanAt : decision.refundTiming === 'receipt' ? receivedAt : inspectedAt
    customerDone = paidFrom + (refundHours() * HOUR) / speedup
    steps.push({ atMs: customerDone, event: status('refunded', null, decision.resolution) })
  } else if (decision.resolution === 'exchange') {
    const source = decision.exchangeSourceNodeId ?? decision.receivingNodeId
    const sourceNode = source ? network.nodes[network.nodeIndex.get(source) ?? -1] : undefined
    // Shipped ahead, it leaves when the plan is made; decided for receipt, when the return
    // is received; a plan that does not say (stored before), after inspection.
    const shipFrom = decision.advanceExchange === true ? startMs : decision.advanceExchange === false ? receivedAt : inspectedAt
    customerDone = shipFrom + ((sourceNode?.pickPackHours ?? 4) * uniform(rng, 0.5, 2) * HOUR) / speedup
    steps.push({ atMs: customerDone, event: status('exchange_shipped', source) })
    if (source) {
      // The WMS reports the replacement leaving the shelf; the navigator's stock follows it.
      steps.push({
        atMs: customerDone,
        event: { type: 'inventory.adjusted', nodeId: source, sku: line.exchangeSku ?? line.sku, delta: -line.qty, reason: `exchange ${line.rmaId}` },
      })
    }
  } else if (decision.resolution === 'repair') {
    const spec = network.file.repair.productTypes[line.productType]
    const started = inspectedAt + (uniform(rng, 2, 24) * HOUR) / speedup
    const repaired = started + (((spec?.turnaroundHours ?? 36) + (spec?.labourHours ?? 2)) * uniform(rng, 0.7, 1.4) * HOUR) / speedup
    customerDone = repaired + ((receiving?.pickPackHours ?? 4) * uniform(rng, 0.5, 2) * HOUR) / speedup
    steps.push({ atMs: started, event: status('repair_started', decision.receivingNodeId) })
    steps.push({ atMs: repaired, event: status('repaired', decision.receivingNodeId) })
    steps.push({ atMs: customerDone, event: status('exchange_shipped', decision.receivingNodeId, 'repaired item returned to customer') })
  }

  // Item side: where the returned unit goes. The navigator re-decides the disposition
  // with the grade; the answer only reports the request-time one, so a restock plan for
  // a C/D unit goes to a channel instead, as the re-decision would.
  let itemDone = inspectedAt
  const disposition = decision.disposition === 'restock_new' && (grade === 'C' || grade === 'D') ? 'outlet_promotion' : decision.disposition
  if (disposition !== 'none' && decision.resolution !== 'repair') {
    itemDone = inspectedAt + (uniform(rng, 6, 48) * HOUR) / speedup
    if (disposition === 'restock_new') {
      steps.push({ atMs: itemDone, event: status('restocked', decision.receivingNodeId) })
      const idx = decision.receivingNodeId ? network.nodeIndex.get(decision.receivingNodeId) : undefined
      if (idx !== undefined && network.exchangeNodes.includes(idx)) {
        steps.push({ atMs: itemDone, event: { type: 'inventory.adjusted', nodeId: decision.receivingNodeId!, sku: line.sku, delta: line.qty, reason: `restocked ${line.rmaId}` } })
      }
    } else {
      steps.push({ atMs: itemDone, event: status('sent_to_channel', decision.receivingNodeId, disposition) })
    }
  }
  const closeAt = Math.max(customerDone, itemDone) + (uniform(rng, 1, 12) * HOUR) / speedup
  steps.push({ atMs: closeAt, event: status('closed') })
  return steps.sort((a, b) => a.atMs - b.atMs)
}

function nearestDropOff(network: Network, at: { lat: number; lon: number }): string | undefined {
  let best: string | undefined
  let bestKm = 60 // beyond this a drop-off point is not "the one round the corner"
  for (const node of network.nodes) {
    if (node.kind !== 'drop_off') continue
    const km = haversineKm(at.lat, at.lon, node.lat, node.lon)
    if (km < bestKm) { bestKm = km; best = node.id }
  }
  return best
}
