// Which webhook events a durable batch, a task change and an alert become.
import { describe, expect, it } from 'vitest'
import type { Decision } from '../../../server/contracts/decision.js'
import type { Event } from '../../../server/contracts/events.js'
import { anomalyRaised, decisionForReceivers, eventsOfBatch, plannedTask, taskUpdated } from '../../../server/webhooks/sources.js'

const decision = (over: Partial<Decision> = {}): Decision => ({
  decisionId: 'd-1', rmaId: 'R-1', lineIndex: 0, sku: 'S', decidedAt: '2026-12-01T00:00:00.000Z', trigger: 'requested',
  resolution: 'refund', inboundMode: 'courier_pickup', receivingNodeId: 'N1', exchangeSourceNodeId: null, disposition: 'restock_new',
  steps: [{ kind: 'transit', nodeId: 'N1', etaHours: 20, cost: 0 }], totals: { netCost: 1, recovery: 2, waitHours: 3, co2Kg: 4, score: 5 },
  breakdown: { logistics: 1 }, alternatives: [], rejections: { no_stock: 1 }, candidates: 9, weightsVersion: 1, priority: 0.5,
  tasks: [
    { role: 'logistics', action: 'book_pickup', dueAt: '2026-12-01T01:00:00.000Z', nodeId: 'N1', detail: { priority: 0.5 } },
    { role: 'finance', action: 'refund', dueAt: '2026-12-02T01:00:00.000Z', nodeId: null },
  ],
  trackingToken: 'tok', baseline: { resolution: 'refund', inboundMode: 'self_ship', receivingNodeId: 'N2', disposition: 'restock_new', totals: { netCost: 1, recovery: 2, waitHours: 3, co2Kg: 4, score: 5 } },
  ...over,
})

describe('webhook sources', () => {
  it('turns a batch into decision, task and status events, in order per return', () => {
    const status: Event = { eventId: 'e-1', type: 'return.status', occurredAt: '2026-12-01T02:00:00Z', rmaId: 'R-1', status: 'received' }
    const out = eventsOfBatch({
      events: [status],
      decisions: [{ decision: decision(), category: 'c', reason: 'r' }, { decision: decision({ decisionId: 'd-2', supersedes: 'd-1', trigger: 'inspected' }), category: 'c', reason: 'r' }],
    })
    expect(out.map((e) => [e.type, e.sourceId, e.orderKey])).toEqual([
      ['return.status', 'e-1', 'R-1'],
      ['decision.created', 'd-1', 'R-1'], ['task.created', 'd-1.0', 'R-1'], ['task.created', 'd-1.1', 'R-1'],
      ['decision.changed', 'd-2', 'R-1'], ['task.created', 'd-2.0', 'R-1'], ['task.created', 'd-2.1', 'R-1'],
    ])
    expect(out[2].data).toMatchObject({ taskId: 'd-1.0', status: 'open', role: 'logistics', nodeId: 'N1', priority: 0.5 })
    expect(out[3].data).toMatchObject({ nodeId: null, detail: {} })
  })

  it('sends receivers the path, steps, totals, tasks and tracking token, not the explanation', () => {
    const data = decisionForReceivers(decision())
    expect(Object.keys(data)).toEqual(expect.arrayContaining(['decisionId', 'resolution', 'steps', 'totals', 'tasks', 'trackingToken', 'disposition']))
    for (const k of ['alternatives', 'breakdown', 'rejections', 'baseline', 'reservations', 'candidates']) expect(data).not.toHaveProperty(k)
  })

  it('maps an answered offer (issue 15\'s return.offer_answered) to offer.answered', () => {
    const answered = { eventId: 'o-1', type: 'return.offer_answered', occurredAt: '2026-12-01T02:00:00Z', rmaId: 'R-9', lineIndex: 0, offerId: 'of-1', accepted: true } as unknown as Event
    expect(eventsOfBatch({ events: [answered], decisions: [] })).toEqual([
      { type: 'offer.answered', sourceId: 'o-1', orderKey: 'R-9', data: expect.objectContaining({ offerId: 'of-1', accepted: true }) },
    ])
  })

  it('keys a task update by task and status, and passes anomalies but not operational alerts', () => {
    const t = { ...plannedTask(decision(), 1), status: 'done' as const }
    expect(taskUpdated(t)).toMatchObject({ type: 'task.updated', sourceId: 'd-1.1:done', orderKey: 'R-1' })
    expect(anomalyRaised({ id: 'a-1', kind: 'spike', sku: 'S' })).toMatchObject({ type: 'anomaly.raised', sourceId: 'a-1', orderKey: '' })
    expect(anomalyRaised({ id: 'overdue:x', kind: 'task_overdue' })).toBeUndefined()
    expect(anomalyRaised({ id: 'w', kind: 'webhook_disabled' })).toBeUndefined()
    expect(anomalyRaised(null)).toBeUndefined()
  })
})
