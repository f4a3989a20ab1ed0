// The version 2 payload encoder as it was before version 3 (commit e2665c6), kept to
// write rows as the store still holds them: version 2 rows must keep decoding.
import type { Decision } from '../../server/contracts/decision.js'

const STANDARD_FACTORS = ['logistics', 'handling', 'repair', 'refund', 'recovery', 'retained', 'wait', 'co2', 'cx', 'risk']
const WITH_CAPACITY = [...STANDARD_FACTORS, 'capacity']
const sameKeys = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i])

function pack(record: Record<string, number>, keys: string[]) {
  if (!sameKeys(Object.keys(record), keys)) return record
  return keys.map((k) => record[k])
}

function packTiming(p: { refundTiming?: Decision['refundTiming']; advanceExchange?: boolean }) {
  return p.refundTiming ?? (p.advanceExchange === undefined ? undefined : p.advanceExchange ? 'advance' : 'receipt')
}

const withTiming = (packed: unknown[], p: Parameters<typeof packTiming>[0]) => {
  const t = packTiming(p)
  return t === undefined ? packed : [...packed, t]
}

export function v2Payload(d: Decision): Record<string, unknown> {
  const keys = Object.keys(d.breakdown)
  const payload: Record<string, unknown> = {
    v: 2,
    s: d.steps.map((s) => [s.kind, s.nodeId, s.etaHours, s.cost]),
    ...(sameKeys(keys, STANDARD_FACTORS) ? {} : sameKeys(keys, WITH_CAPACITY) ? { bc: 1 } : { bk: keys }),
    b: keys.map((k) => d.breakdown[k]),
    a: d.alternatives.map((a) => withTiming([
      a.resolution, a.inboundMode, a.receivingNodeId, a.exchangeSourceNodeId, a.disposition, a.swapAtDoor ? 1 : 0,
      a.totals.netCost, a.totals.recovery, a.totals.waitHours, a.totals.co2Kg, a.totals.score, pack(a.breakdown, keys),
    ], a)),
    r: d.rejections,
    t: d.tasks.map((t) => [t.role, t.action, t.dueAt, t.nodeId, t.detail]),
    bl: [d.baseline.inboundMode, d.baseline.receivingNodeId, d.baseline.totals.recovery, d.baseline.totals.score],
  }
  if (d.flipPoints) {
    payload.f = d.flipPoints.map((f) => f.to
      ? [f.weight, f.current, f.flipsAt, f.direction, withTiming([f.to.resolution, f.to.inboundMode, f.to.receivingNodeId, f.to.exchangeSourceNodeId, f.to.disposition, f.to.swapAtDoor ? 1 : 0], f.to)]
      : [f.weight, f.current, f.flipsAt, f.direction])
  }
  if (d.swapAtDoor) payload.sw = 1
  const tm = packTiming(d)
  if (tm) payload.tm = tm
  if (d.flags) payload.fl = d.flags
  if (d.qty !== undefined) payload.q = d.qty
  if (d.reservations) payload.rs = d.reservations
  if (d.wish !== undefined) payload.wi = [d.wish, d.wishHonoured ? 1 : 0]
  if (d.entitlement !== undefined) payload.en = d.entitlement
  if (d.offers !== undefined) payload.of = d.offers
  return payload
}
