// What finishing (or starting) a task means for the return, as events of the stream:
// they go through the Ingestor like any producer's, so they are validated, deduplicated,
// routed to the navigator and durable, and the timeline, tracking page and turnaround
// figures follow. Event ids derive from the task and the status, so a retried action
// (or a start followed by a done that implies the same status) is stored once.
import type { Event } from '../contracts/events.js'
import type { TaskAction, TaskActionBody, TaskView } from '../contracts/tasks.js'
import type { ReturnStatus } from '../contracts/enums.js'

/** Return status a task's action reports, per task action (absent: nothing to report). */
const STATUS_ON: Record<string, Partial<Record<TaskAction, ReturnStatus>>> = {
  receive_and_inspect: { start: 'received', done: 'received' },
  refund: { done: 'refunded' },
  refund_returnless: { done: 'refunded' },
  partial_refund: { done: 'refunded' },
  issue_store_credit: { done: 'refunded' },
  ship_exchange: { done: 'exchange_shipped' },
  prepare_swap_at_door: { done: 'exchange_shipped' },
  repair: { start: 'repair_started', done: 'repaired' },
  send_return_label: { done: 'label_created' },
  book_pickup: { done: 'label_created' },
  restock: { done: 'restocked' },
  repack_open_box: { done: 'restocked' },
  send_to_outlet: { done: 'sent_to_channel' },
  ship_to_vendor: { done: 'sent_to_channel' },
  send_to_liquidation: { done: 'sent_to_channel' },
  send_to_recycling: { done: 'sent_to_channel' },
}

export const INSPECTION_ACTION = 'receive_and_inspect'

/**
 * The other way round: what a status reported by the stream (a scanner, the shop's
 * refund system) means for the tasks of that return line. A status that both starts and
 * finishes an action starts it ("received" starts an inspection, which only a
 * return.inspected, with its grade, finishes).
 */
export function taskMovesOnStatus(status: string): { action: string; move: 'start' | 'done' }[] {
  const moves: { action: string; move: 'start' | 'done' }[] = []
  for (const [action, on] of Object.entries(STATUS_ON)) {
    if (on.start === status) moves.push({ action, move: 'start' })
    else if (on.done === status && action !== INSPECTION_ACTION) moves.push({ action, move: 'done' })
  }
  return moves
}

/** Events the task API sends for a task's action (streamEventsOf): their tasks are moved already. */
export function isTaskEventId(eventId: string): boolean {
  return eventId.startsWith('task:')
}

export class TaskInputError extends Error {
  constructor(readonly path: string, message: string) { super(message) }
}

/**
 * The stream events of `action` on `task`. `lineId` is the request line's own id when it
 * has one (the navigator finds the line by it, else by SKU).
 */
export function streamEventsOf(task: TaskView, action: TaskAction, body: TaskActionBody, at: Date, line: { lineId?: string; sku: string }): Event[] {
  const events: Event[] = []
  const occurredAt = at.toISOString()
  const lineRef = line.lineId ? { lineId: line.lineId } : {}
  const status = STATUS_ON[task.action]?.[action]
  if (status) {
    events.push({
      eventId: `task:${task.taskId}:${status}`, type: 'return.status', occurredAt, rmaId: task.rmaId, status,
      ...lineRef, ...(task.nodeId ? { nodeId: task.nodeId } : {}), ...(body.note ? { note: body.note } : {}),
    })
  }
  if (task.action === INSPECTION_ACTION && action === 'done') {
    if (!body.grade) throw new TaskInputError('grade', 'an inspection is done with the grade found (A, B, C or D)')
    if (!task.nodeId) throw new TaskInputError('taskId', 'this inspection task names no node')
    events.push({
      eventId: `task:${task.taskId}:inspected`, type: 'return.inspected', occurredAt, rmaId: task.rmaId, ...lineRef,
      sku: line.sku, grade: body.grade, nodeId: task.nodeId, ...(body.findings ? { findings: body.findings } : {}),
    })
  } else if (body.grade || body.findings) {
    throw new TaskInputError(body.grade ? 'grade' : 'findings', 'only an inspection task\'s done takes a grade and findings')
  }
  return events
}
