// Task actions (start, done, fail, cancel): checks the move is allowed, stores who did
// it when (task_events, durable before the answer), then feeds the stream events the
// action means to the Ingestor. The task event is stored first: an inspection's event
// re-decides the return and supersedes the very decision the task belongs to, and the
// task must read as done, not as cancelled by its own result. A retried action finds the
// task already in the target status and only re-sends its stream events, which the
// deduper drops if they were stored, so an action is safe to retry after any failure.
import type { AppContext } from '../app-context.js'
import { TERMINAL_TASK_STATUSES, type TaskAction, type TaskActionBody, type TaskStatus, type TaskView } from '../contracts/tasks.js'
import type { IngestOutcome } from '../ingest/ingest.js'
import { getReturnRequest } from '../store/returns-repo.js'
import { getTask, taskEventRow } from '../store/tasks-repo.js'
import { streamEventsOf } from './stream-events.js'

const TARGET: Record<TaskAction, TaskStatus> = { start: 'in_progress', done: 'done', fail: 'failed', cancel: 'cancelled' }

export class TaskNotFoundError extends Error {}
export class TaskConflictError extends Error {
  constructor(readonly current: TaskStatus, action: TaskAction) {
    super(`the task is ${current}; it cannot ${action}`)
  }
}

export interface TaskChange { task: TaskView; ingest?: IngestOutcome }

export class TaskService {
  /** Called with each changed task once its change is durable (live room, webhooks). */
  readonly listeners: ((task: TaskView) => void)[] = []

  constructor(private readonly ctx: AppContext, private readonly now: () => Date = () => new Date()) {}

  async act(taskId: string, action: TaskAction, body: TaskActionBody, actor: string): Promise<TaskChange> {
    const client = this.ctx.store.client
    const at = this.now()
    const task = await getTask(client, taskId, at)
    if (!task) throw new TaskNotFoundError(`no task ${taskId}`)
    const target = TARGET[action]
    const retry = task.status === target
    if (!retry && (TERMINAL_TASK_STATUSES.includes(task.status) || (action === 'start' && task.status !== 'open'))) {
      throw new TaskConflictError(task.status, action)
    }
    const request = await getReturnRequest(client, task.rmaId)
    const requestLine = request?.lines[task.lineIndex]
    const sku = requestLine?.sku ?? String(task.detail.sku ?? '')
    const events = streamEventsOf(task, action, body, at, { lineId: requestLine?.lineId, sku })
    if (!retry) {
      await this.ctx.writer.write('task_events', [taskEventRow(task, target, actor, at, body)])
    }
    const ingest = events.length ? await this.ctx.ingestor.ingest(events.map((value) => ({ ok: true as const, value }))) : undefined
    const changed: TaskView = retry ? task : {
      ...task, status: target, changedAt: at.toISOString(), changedBy: actor, overdue: false,
      ...(body.note ? { note: body.note } : {}), ...(body.grade ? { grade: body.grade } : {}), ...(body.findings ? { findings: body.findings } : {}),
    }
    if (!retry) for (const listener of this.listeners) listener(changed)
    return { task: changed, ...(ingest ? { ingest } : {}) }
  }
}
