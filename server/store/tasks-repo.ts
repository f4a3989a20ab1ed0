// Reads and writes of tasks: the plan lines the decisions' view fills (0041), their
// current status (sql/queries/tasks-current.sql) and the append-only task events.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import type { ReturnWaiting, TaskStatus, TaskView } from '../contracts/tasks.js'
import { chTimeToIso, namedQuery, query, toChTime } from './query.js'

const TaskRow = z.looseObject({
  task_id: z.string(), decision_id: z.string(), rma_id: z.string(), line_index: z.coerce.number(), role: z.string(), action: z.string(),
  node_id: z.string(), due_at: z.string(), priority: z.coerce.number(), detail: z.string(), created_at: z.string(),
  status: z.string(), changed_at: z.string(), changed_by: z.string(), note: z.string(), grade: z.string(), findings: z.string(),
})
type TaskRow = z.infer<typeof TaskRow>
const WaitingRow = z.looseObject({
  rma_id: z.string(), waiting_since: z.string(), open_tasks: z.coerce.number(), overdue_tasks: z.coerce.number(), next_due_at: z.string(), priority: z.coerce.number(),
})

export interface TaskFilter {
  role?: string
  status?: TaskStatus
  nodeId?: string
  rmaId?: string
  taskId?: string
  decisionIds?: string[]
  /** Due time bounds [from, to). */
  from: Date
  to: Date
  limit: number
  offset: number
}

/** Due-time bounds wide enough for "any": DateTime64(3) covers 1900–2299. */
export const ANY_TIME = { from: new Date(Date.UTC(1970, 0, 1)), to: new Date(Date.UTC(2200, 0, 1)) }

export function taskFromRow(r: TaskRow, now: Date): TaskView {
  const dueAt = chTimeToIso(r.due_at)
  const status = r.status as TaskStatus
  return {
    taskId: r.task_id, decisionId: r.decision_id, rmaId: r.rma_id, lineIndex: Number(r.line_index),
    role: r.role as TaskView['role'], action: r.action, nodeId: r.node_id || null,
    dueAt: new Date(dueAt).toISOString(), priority: Number(r.priority),
    detail: r.detail && r.detail !== 'null' ? JSON.parse(r.detail) as Record<string, unknown> : {},
    status, createdAt: new Date(chTimeToIso(r.created_at)).toISOString(),
    changedAt: new Date(chTimeToIso(r.changed_at)).toISOString(), changedBy: r.changed_by,
    ...(r.note ? { note: r.note } : {}),
    ...(r.grade ? { grade: r.grade as TaskView['grade'] } : {}),
    ...(r.findings ? { findings: r.findings } : {}),
    overdue: (status === 'open' || status === 'in_progress') && Date.parse(dueAt) < now.getTime(),
  }
}

function filterParams(f: TaskFilter) {
  return {
    role: f.role ?? '', status: f.status ?? '', nodeId: f.nodeId ?? '', rmaId: f.rmaId ?? '', taskId: f.taskId ?? '', decisionIds: f.decisionIds ?? [],
    from: toChTime(f.from), to: toChTime(f.to), limit: f.limit, offset: f.offset,
  }
}

export async function listTasks(client: ClickHouseClient, filter: TaskFilter, now: Date): Promise<TaskView[]> {
  const rows = await query(client, { query: namedQuery('tasks-current'), params: filterParams(filter), tag: 'tasks.list', schema: TaskRow })
  return rows.map((r) => taskFromRow(r, now))
}

export async function getTask(client: ClickHouseClient, taskId: string, now: Date): Promise<TaskView | undefined> {
  const [task] = await listTasks(client, { taskId, ...ANY_TIME, limit: 1, offset: 0 }, now)
  return task
}

export async function tasksOfDecisions(client: ClickHouseClient, decisionIds: string[], now: Date): Promise<TaskView[]> {
  if (decisionIds.length === 0) return []
  return listTasks(client, { decisionIds, ...ANY_TIME, limit: 100_000, offset: 0 }, now)
}

/** Every task of these returns (any status), for matching what the stream reports. */
export async function tasksOfReturns(client: ClickHouseClient, rmaIds: string[], now: Date): Promise<TaskView[]> {
  if (rmaIds.length === 0) return []
  const rows = await query(client, {
    query: namedQuery('tasks-of-returns'), params: { rmaIds, status: '', limit: 1_000_000, offset: 0 }, tag: 'tasks.of_returns', schema: TaskRow,
  })
  return rows.map((r) => taskFromRow(r, now))
}

/** Open or started tasks due before `asOf` (within a week) that no alert announced yet. */
export async function unannouncedOverdueTasks(client: ClickHouseClient, asOf: Date): Promise<TaskView[]> {
  const rows = await query(client, {
    schema: TaskRow,
    query: namedQuery('tasks-overdue'),
    params: filterParams({ from: new Date(asOf.getTime() - 7 * 86_400_000), to: asOf, limit: 10_000, offset: 0 }),
    tag: 'tasks.overdue',
  })
  return rows.map((r) => taskFromRow(r, asOf))
}

export async function markOverdueAnnounced(client: ClickHouseClient, taskIds: string[], at: Date): Promise<void> {
  if (taskIds.length === 0) return
  await client.insert({ table: 'task_overdue_alerts', format: 'JSONEachRow', values: taskIds.map((task_id) => ({ task_id, alerted_at: toChTime(at) })) })
}

export interface TaskEventRow {
  task_id: string; rma_id: string; status: TaskStatus; actor: string; note: string; grade: string; findings: string; at: string
}

export function taskEventRow(task: Pick<TaskView, 'taskId' | 'rmaId'>, status: TaskStatus, actor: string, at: Date,
  extra: { note?: string; grade?: string; findings?: string } = {}): TaskEventRow {
  return {
    task_id: task.taskId, rma_id: task.rmaId, status, actor, at: toChTime(at),
    note: extra.note ?? '', grade: extra.grade ?? '', findings: extra.findings ?? '',
  }
}

/** Returns with open tasks whose plan began within the last 90 days (see tasks-returns.sql). */
export async function returnsWaiting(client: ClickHouseClient, p: { sort: 'waiting' | 'overdue'; nodeId?: string; limit: number }, now: Date): Promise<ReturnWaiting[]> {
  const rows = await query(client, {
    schema: WaitingRow,
    query: namedQuery('tasks-returns'),
    params: {
      ...filterParams({ nodeId: p.nodeId, from: new Date(now.getTime() - 90 * 86_400_000), to: ANY_TIME.to, limit: 10_000_000, offset: 0 }),
      now: toChTime(now), sort: p.sort, rlimit: p.limit,
    },
    tag: 'tasks.returns',
  })
  return rows.map((r) => ({
    rmaId: r.rma_id, waitingSince: new Date(chTimeToIso(r.waiting_since)).toISOString(), openTasks: Number(r.open_tasks),
    overdueTasks: Number(r.overdue_tasks), nextDueAt: new Date(chTimeToIso(r.next_due_at)).toISOString(), priority: Number(r.priority),
  }))
}
