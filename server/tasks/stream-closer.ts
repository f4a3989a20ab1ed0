// Tasks moved by what the stream reports. A warehouse scanner, a WMS or the shop's refund
// system sends return.status ("refunded", "restocked", …) and return.inspected events
// without going through the task API; the task those events finish must not stay open
// and turn up overdue. Once a batch is durable, its status and inspection events are
// matched here to the open tasks of their return line, and each match is stored as a task
// event (actor "stream", the event named in the note) and announced like a change made in
// the task API (live work lists, webhooks). Events the task API itself sent are skipped:
// their tasks moved first.
//
// Off the producer's path: matching reads the store, so it runs after the acknowledgement,
// a batch at a time, in arrival order. It is not durable itself: a crash between an
// event's acknowledgement and its task event leaves that task open, as before this
// existed, until someone closes it.
import type { AppContext } from '../app-context.js'
import { TERMINAL_TASK_STATUSES, type TaskStatus, type TaskView } from '../contracts/tasks.js'
import type { Event, ReturnInspected, ReturnRequested, ReturnStatusChanged } from '../contracts/events.js'
import type { DurableBatch } from '../ingest/ingest.js'
import { findLineIndex } from '../navigator/state.js'
import { getReturnRequests } from '../store/returns-repo.js'
import { taskEventRow, tasksOfReturns } from '../store/tasks-repo.js'
import { OverloadedError } from '../store/writer.js'
import { INSPECTION_ACTION, isTaskEventId, taskMovesOnStatus } from './stream-events.js'

type Reported = ReturnStatusChanged | ReturnInspected

export interface StreamCloserOptions {
  /** Reported events waiting to be matched; beyond it the oldest are dropped (and logged). */
  maxQueued?: number
  /** Events matched per round (one read of tasks, one of requests). */
  batch?: number
  log?: { warn(msg: string): void; error(obj: unknown, msg: string): void }
}

export class StreamTaskCloser {
  private queue: Reported[] = []
  private running: Promise<void> | null = null
  private stopped = false
  /** Events dropped because the queue was full (their tasks stay as they were). */
  dropped = 0

  constructor(
    private readonly ctx: Pick<AppContext, 'store' | 'writer'>,
    private readonly announce: (task: TaskView) => void,
    private readonly opts: StreamCloserOptions = {},
  ) {}

  /** Takes the reported events of a durable batch; matching happens later, in order. */
  onDurable(batch: DurableBatch): void {
    if (this.stopped) return
    for (const event of batch.events) {
      if (mayMoveTasks(event)) this.queue.push(event)
    }
    const max = this.opts.maxQueued ?? 50_000
    if (this.queue.length > max) {
      const over = this.queue.length - max
      this.queue.splice(0, over)
      this.dropped += over
      this.opts.log?.warn(`stream task matching is behind: ${over} reported events dropped, their tasks stay open`)
    }
    if (this.queue.length && !this.running) this.running = this.run().finally(() => { this.running = null })
  }

  /** Resolves once every event taken so far was matched (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.running) await this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.drain()
  }

  private async run(): Promise<void> {
    while (this.queue.length) {
      const events = this.queue.splice(0, this.opts.batch ?? 500)
      try {
        await this.match(events)
      } catch (error) {
        if (error instanceof OverloadedError && !this.stopped) {
          // The writer is full: try these again shortly, before anything newer.
          this.queue.unshift(...events)
          await new Promise((r) => setTimeout(r, error.retryAfterSeconds * 1000))
          continue
        }
        this.opts.log?.error({ err: error }, 'stream task matching failed; those tasks stay as they were')
      }
    }
  }

  private async match(events: Reported[]): Promise<void> {
    const client = this.ctx.store.client
    const now = new Date()
    const rmaIds = [...new Set(events.map((e) => e.rmaId))]
    const tasks = await tasksOfReturns(client, rmaIds, now)
    if (tasks.length === 0) return
    const byReturn = new Map<string, TaskView[]>()
    for (const t of tasks) {
      const list = byReturn.get(t.rmaId)
      if (list) list.push(t)
      else byReturn.set(t.rmaId, [t])
    }
    // A line named by id (or an inspection's SKU) is found in the request.
    const namingLine = events.filter((e) => e.lineId !== undefined || e.type === 'return.inspected').map((e) => e.rmaId)
    const requests = await getReturnRequests(client, [...new Set(namingLine)].filter((id) => byReturn.has(id)))

    const rows: ReturnType<typeof taskEventRow>[] = []
    const changed: TaskView[] = []
    const status = new Map<string, TaskStatus>(tasks.map((t) => [t.taskId, t.status]))
    for (const event of events) {
      const line = lineOf(event, requests.get(event.rmaId))
      const ofLine = (byReturn.get(event.rmaId) ?? []).filter((t) => line === null || t.lineIndex === line)
      for (const task of event.type === 'return.inspected' ? latestInspection(ofLine, status) : ofLine) {
        const target = targetOf(event, task)
        const current = status.get(task.taskId)!
        if (!target || current === target) continue
        if (TERMINAL_TASK_STATUSES.includes(current) && !(event.type === 'return.inspected' && supersededOnly(task, current))) continue
        const at = new Date(event.occurredAt)
        const extra = {
          note: `reported by event ${event.eventId}`,
          ...(event.type === 'return.inspected' ? { grade: event.grade, ...(event.findings ? { findings: event.findings } : {}) } : {}),
        }
        rows.push(taskEventRow(task, target, 'stream', at, extra))
        status.set(task.taskId, target)
        changed.push({
          ...task, status: target, changedAt: at.toISOString(), changedBy: 'stream', overdue: false, note: extra.note,
          ...('grade' in extra ? { grade: extra.grade } : {}), ...('findings' in extra && extra.findings ? { findings: extra.findings } : {}),
        })
      }
    }
    if (rows.length === 0) return
    await this.ctx.writer.write('task_events', rows)
    for (const task of changed) this.announce(task)
  }
}

/**
 * Whether matching `event` could move a task: a status no task action reports (an
 * imported history's "closed", a "cancelled") moves none, and matching it would only read
 * its return's tasks from the store for nothing: a history import with --decide closes
 * every return it stores, and those reads were a share of the import's CPU per line.
 */
export function mayMoveTasks(event: Event): event is Reported {
  if (isTaskEventId(event.eventId)) return false
  if (event.type === 'return.inspected') return true
  return event.type === 'return.status' && taskMovesOnStatus(event.status).length > 0
}

/**
 * The request line an event is about: null for the whole return (no line named, or the
 * request not found), -1 for a line the request does not have (no task matches).
 */
function lineOf(event: Reported, request: ReturnRequested | undefined): number | null {
  const sku = event.type === 'return.inspected' ? event.sku : undefined
  if (event.lineId === undefined && sku === undefined) return null
  if (!request) return null
  return findLineIndex(request, event.lineId, sku)
}

/**
 * The inspection task an inspection finishes: the line's latest one not finished by a
 * person. An inspection re-decides its return, so by the time it is matched here the task's
 * own decision has been superseded and the task reads as cancelled by the navigator; a
 * task event of its own makes it read as done (sql/queries/tasks-current.sql), as the
 * task API's inspection does. Older inspection tasks were cancelled by earlier
 * re-decisions and stay so.
 */
function latestInspection(tasks: TaskView[], status: Map<string, TaskStatus>): TaskView[] {
  const open = tasks.filter((t) => t.action === INSPECTION_ACTION && supersededOnly(t, status.get(t.taskId)!))
  if (open.length === 0) return []
  return [open.reduce((a, b) => (b.createdAt > a.createdAt ? b : a))]
}

/** Not finished, failed or cancelled by anyone: open, started, or cancelled only by a re-decision. */
function supersededOnly(task: TaskView, current: TaskStatus): boolean {
  return current === 'open' || current === 'in_progress' || (current === 'cancelled' && task.changedBy === 'navigator')
}

function targetOf(event: Reported, task: TaskView): TaskStatus | null {
  if (event.type === 'return.inspected') return task.action === INSPECTION_ACTION ? 'done' : null
  const move = taskMovesOnStatus(event.status).find((m) => m.action === task.action)?.move
  return move === 'start' ? 'in_progress' : move === 'done' ? 'done' : null
}
