import type { FastifyInstance } from 'fastify'
import type { Role } from '../../contracts/enums.js'
import { pendingMigrations } from '../../store/migrate.js'
import type { AppContext, Guard } from '../context.js'

export async function healthRoutes(app: FastifyInstance, ctx: AppContext, guard: (role: Role) => Guard) {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (_request, reply) => {
    try {
      const pending = await pendingMigrations(ctx.store.client)
      const ready = ctx.isReady() && pending.length === 0
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting', store: ctx.store.kind, pendingMigrations: pending })
    } catch (error) {
      return reply.code(503).send({ status: 'store_unreachable', message: (error as Error).message })
    }
  })

  app.get('/metrics', guard('viewer'), async (_request, reply) => {
    ctx.metrics.queueDepth.set(ctx.writer.depth)
    return reply.header('Content-Type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics())
  })
}
