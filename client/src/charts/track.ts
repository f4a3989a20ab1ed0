// The customer's journey: statuses already reached (from the timeline) followed by the
// ones still ahead for this kind of resolution. Pure, so the wording logic is testable.
export interface TrackStep { status: string; at?: string; state: 'done' | 'current' | 'next' }

const JOURNEYS: Record<string, string[]> = {
  keep_it: ['requested', 'refunded', 'closed'],
  partial_refund: ['requested', 'refunded', 'closed'],
  exchange: ['requested', 'in_transit', 'received', 'exchange_shipped', 'closed'],
  repair: ['requested', 'in_transit', 'received', 'repair_started', 'repaired', 'closed'],
  refund: ['requested', 'in_transit', 'received', 'inspected', 'refunded', 'closed'],
  store_credit: ['requested', 'in_transit', 'received', 'inspected', 'refunded', 'closed'],
}
// Statuses a customer cares about; warehouse-internal ones (restocked…) read as "checked".
const INTERNAL = new Set(['restocked', 'sent_to_channel'])

export function trackSteps(timeline: { status: string; at?: string }[], current: string | undefined, resolution: string | undefined): TrackStep[] {
  const seen = [...timeline].filter((e) => !INTERNAL.has(e.status)).sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? -1 : 1))
  const done: TrackStep[] = []
  for (const e of seen) if (!done.some((d) => d.status === e.status)) done.push({ status: e.status, at: e.at, state: 'done' })
  if (!done.length || done[0].status !== 'requested') done.unshift({ status: 'requested', state: 'done' })
  const last = current ?? done[done.length - 1].status
  if (last === 'cancelled' || last === 'closed') {
    if (!done.some((d) => d.status === last)) done.push({ status: last, state: 'done' })
    return done
  }
  done[done.length - 1] = { ...done[done.length - 1], state: 'current' }
  const journey = JOURNEYS[resolution ?? 'refund'] ?? JOURNEYS.refund
  // Transport statuses all count as "on its way" for placing ourselves in the journey.
  const normalised = (s: string) => (['label_created', 'picked_up', 'dropped_off'].includes(s) ? 'requested' : s)
  const reached = Math.max(...done.map((d) => journey.indexOf(normalised(d.status))))
  const ahead = journey.slice(reached + 1).filter((s) => !done.some((d) => d.status === s))
  return [...done, ...ahead.map((status) => ({ status, state: 'next' as const }))]
}
