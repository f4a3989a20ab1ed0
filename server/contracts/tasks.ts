// The task contracts (shared/API.md v2): the work list query, the actions people take
// on a task, and what a task looks like to them.
import { z } from 'zod'
import { Grade, TaskRole } from './enums.js'

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'failed', 'cancelled'] as const
export const TaskStatus = z.enum(TASK_STATUSES)
export type TaskStatus = z.infer<typeof TaskStatus>
export const TERMINAL_TASK_STATUSES: readonly TaskStatus[] = ['done', 'failed', 'cancelled']

export const TASK_ACTIONS = ['start', 'done', 'fail', 'cancel'] as const
export const TaskAction = z.enum(TASK_ACTIONS)
export type TaskAction = z.infer<typeof TaskAction>

const day = z.iso.date().describe('YYYY-MM-DD (UTC)')
const isoOrDay = z.union([z.iso.datetime({ offset: true }), day])

export const TasksQuery = z.strictObject({
  role: TaskRole.optional(),
  status: TaskStatus.optional(),
  nodeId: z.string().min(1).max(64).optional(),
  rmaId: z.string().min(1).max(128).optional(),
  /** Due time bounds: an ISO time, or a UTC day (to: the whole day included). */
  from: isoOrDay.optional(),
  to: isoOrDay.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
})
export type TasksQuery = z.infer<typeof TasksQuery>

export const TaskIdParam = z.object({ taskId: z.string().regex(/^[\w-]{1,64}\.\d{1,4}$/, 'a task id: <decisionId>.<n>') })
export const TaskActionParam = TaskIdParam.extend({ action: TaskAction })

export const TaskActionBody = z.strictObject({
  note: z.string().max(1000).optional(),
  /** An inspection task's `done`: the grade found (re-decides the disposition). */
  grade: Grade.optional(),
  findings: z.string().max(2000).optional(),
})
export type TaskActionBody = z.infer<typeof TaskActionBody>

export const TaskView = z.object({
  taskId: z.string(),
  decisionId: z.string(),
  rmaId: z.string(),
  lineIndex: z.number().int(),
  role: TaskRole,
  action: z.string(),
  nodeId: z.string().nullable(),
  dueAt: z.string(),
  priority: z.number(),
  detail: z.record(z.string(), z.unknown()),
  status: TaskStatus,
  createdAt: z.string(),
  changedAt: z.string(),
  changedBy: z.string(),
  note: z.string().optional(),
  grade: Grade.optional(),
  findings: z.string().optional(),
  overdue: z.boolean(),
})
export type TaskView = z.infer<typeof TaskView>

export const TaskList = z.object({ items: z.array(TaskView), limit: z.number().int(), offset: z.number().int() })

/** Returns with open work, for customer service (GET /api/v1/tasks/returns). */
export const ReturnsWaitingQuery = z.strictObject({
  sort: z.enum(['waiting', 'overdue']).default('waiting').describe('waiting: who waited longest; overdue: overdue returns, longest overdue first'),
  nodeId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
})
export const ReturnWaiting = z.object({
  rmaId: z.string(),
  waitingSince: z.string(),
  openTasks: z.number().int(),
  overdueTasks: z.number().int(),
  nextDueAt: z.string(),
  priority: z.number(),
})
export type ReturnWaiting = z.infer<typeof ReturnWaiting>
