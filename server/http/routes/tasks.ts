// GET /api/v1/tasks (viewer): the work list, filtered and most urgent first.
// GET /api/v1/tasks/returns (viewer): returns with open work, waiting longest or overdue.
// POST /api/v1/tasks/:taskId/:action (operator): start, done, fail, cancel.
import { ReturnsWaitingQuery, TaskActionBody, TaskActionParam, TasksQuery } from '../../contracts/tasks.js'
import { listTasks, returnsWaiting } from '../../store/tasks-repo.js'
import { TaskInputError } from '../../tasks/stream-events.js'
import { TaskConflictError, TaskNotFoundError, type TaskService } from '../../tasks/service.js'
import type { RouteModule } from '../context.js'
import { authorOf } from '../author.js'
import { badRequest } from '../validation.js'

const DAY_MS = 86_400_000

/** A bound given as a UTC day: `from` is its start, `to` includes the whole day. */
function bound(value: string | undefined, end: boolean, fallback: Date): Date {
  if (!value) return fallback
  const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
  return new Date(end && value.length === 10 ? t + DAY_MS : t)
}

export const taskRoutes = (service: TaskService): RouteModule => (app, ctx, guard) => {

  app.get('/api/v1/tasks', guard('viewer'), async (request, reply) => {
    const q = TasksQuery.safeParse(request.query)
    if (!q.success) return badRequest(reply, q.error)
    const from = bound(q.data.from, false, new Date(Date.UTC(1970, 0, 1)))
    const to = bound(q.data.to, true, new Date(Date.UTC(2200, 0, 1)))
    if (from >= to) return reply.code(400).send({ error: 'bad_request', message: 'to: must be after from', issues: [{ path: 'to', message: 'must be after from' }] })
    const now = new Date()
    const items = await listTasks(ctx.store.client, { ...q.data, from, to }, now)
    return { items, limit: q.data.limit, offset: q.data.offset }
  })

  app.get('/api/v1/tasks/returns', guard('viewer'), async (request, reply) => {
    const q = ReturnsWaitingQuery.safeParse(request.query)
    if (!q.success) return badRequest(reply, q.error)
    return { items: await returnsWaiting(ctx.store.client, q.data, new Date()) }
  })

  app.post('/api/v1/tasks/:taskId/:action', guard('operator'), async (request, reply) => {
    const p = TaskActionParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    const b = TaskActionBody.safeParse(request.body ?? {})
    if (!b.success) return badRequest(reply, b.error)
    try {
      return await service.act(p.data.taskId, p.data.action, b.data, authorOf(request))
    } catch (error) {
      if (error instanceof TaskNotFoundError) return reply.code(404).send({ error: 'not_found', message: error.message })
      if (error instanceof TaskConflictError) return reply.code(409).send({ error: 'conflict', message: error.message, status: error.current })
      if (error instanceof TaskInputError) {
        return reply.code(400).send({ error: 'bad_request', message: `${error.path}: ${error.message}`, issues: [{ path: error.path, message: error.message }] })
      }
      throw error
    }
  })
}
