// What happened, as webhook events: a durable batch's decisions (created or changed),
// the tasks of their plans, the return status events; a task someone moved; an alert.
// Pure: the service decides who gets each one.
import type { Decision } from '../contracts/decision.js'
import type { TaskView } from '../contracts/tasks.js'
import type { WebhookEventType } from '../contracts/webhooks.js'
import type { DurableBatch } from '../ingest/ingest.js'

export interface WebhookEvent {
  type: WebhookEventType
  /** Identifies what the event is about, for a stable message id (same thing, same id). */
  sourceId: string
  /** Messages with the same key are delivered in order: the return's id. '' = no order. */
  orderKey: string
  data: Record<string, unknown>
}

/** The task view of a decision's plan line as the navigator made it (status open). */
export function plannedTask(d: Decision, index: number): TaskView {
  const t = d.tasks[index]
  return {
    taskId: `${d.decisionId}.${index}`, decisionId: d.decisionId, rmaId: d.rmaId, lineIndex: d.lineIndex,
    role: t.role, action: t.action, nodeId: t.nodeId ?? null, dueAt: t.dueAt, priority: d.priority, detail: t.detail ?? {},
    status: 'open', createdAt: d.decidedAt, changedAt: d.decidedAt, changedBy: 'navigator', overdue: false,
  }
}

/**
 * What a receiver acts on: the chosen path, its steps, totals and tasks, the tracking
 * token to hand to the customer. The explanation (alternatives, breakdowns, rejections,
 * flip points, baseline, reservations) stays at GET /api/v1/returns/:rmaId: it is most of
 * a decision's size, and every byte of a message is written to the outbox.
 */
export function decisionForReceivers(d: Decision): Record<string, unknown> {
  const { alternatives: _a, breakdown: _b, rejections: _r, flipPoints: _f, baseline: _bl, reservations: _rs, candidates: _c, ...kept } = d
  return kept
}

export function eventsOfBatch(batch: DurableBatch): WebhookEvent[] {
  const out: WebhookEvent[] = []
  for (const event of batch.events) {
    if (event.type === 'return.status') {
      out.push({ type: 'return.status', sourceId: event.eventId, orderKey: event.rmaId, data: { ...event } })
    }
    // Offers (issue 15) are answered by an event `return.offer_answered`
    // { rmaId, lineIndex, offerId, accepted } (shared/API.md v2). The event type is not in
    // this branch's contracts yet; once it is, this compare type-checks as it stands.
    const type: string = event.type
    if (type === 'return.offer_answered') {
      const answered = event as unknown as { eventId: string; rmaId: string } & Record<string, unknown>
      out.push({ type: 'offer.answered', sourceId: answered.eventId, orderKey: answered.rmaId, data: { ...answered } })
    }
  }
  for (const { decision: d } of batch.decisions) {
    out.push({ type: d.supersedes ? 'decision.changed' : 'decision.created', sourceId: d.decisionId, orderKey: d.rmaId, data: decisionForReceivers(d) })
    d.tasks.forEach((_, i) => {
      const task = plannedTask(d, i)
      out.push({ type: 'task.created', sourceId: task.taskId, orderKey: d.rmaId, data: { ...task } })
    })
  }
  return out
}

export function taskUpdated(task: TaskView): WebhookEvent {
  return { type: 'task.updated', sourceId: `${task.taskId}:${task.status}`, orderKey: task.rmaId, data: { ...task } }
}

/** Anomalies from the alerts room; the room's other alerts (tasks, webhooks) have kinds of their own. */
export function anomalyRaised(item: unknown): WebhookEvent | undefined {
  const a = item as { id?: unknown; kind?: unknown } | null
  if (!a || typeof a.id !== 'string' || a.kind === 'task_overdue' || a.kind === 'webhook_disabled') return undefined
  return { type: 'anomaly.raised', sourceId: a.id, orderKey: '', data: { ...(a as Record<string, unknown>) } }
}
