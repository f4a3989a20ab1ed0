// POST /api/v1/events: one event, a JSON array, or NDJSON. 200 whenever the body could
// be split into events; every accepted event is durable when the answer is sent.
import type { FastifyInstance } from 'fastify'
import type { Role } from '../../contracts/enums.js'
import { splitJsonBody, splitNdjsonBody, UnreadableBodyError } from '../../ingest/body.js'
import { OverloadedError } from '../../store/writer.js'
import type { AppContext, Guard } from '../context.js'

export async function eventRoutes(app: FastifyInstance, ctx: AppContext, guard: (role: Role) => Guard) {
  app.post('/api/v1/events', { preHandler: guard('ingest') }, async (request, reply) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    let items
    try {
      items = type === 'application/x-ndjson' ? splitNdjsonBody(String(request.body ?? '')) : splitJsonBody(request.body)
    } catch (error) {
      if (error instanceof UnreadableBodyError) return reply.code(400).send({ error: 'unreadable_body', message: error.message })
      throw error
    }
    // ?decide=false: a history import stores returns without deciding them.
    const decideParam = (request.query as { decide?: unknown } | undefined)?.decide
    if (decideParam !== undefined && decideParam !== 'true' && decideParam !== 'false') {
      return reply.code(400).send({ error: 'bad_request', message: 'invalid query parameter: decide', issues: [{ path: 'decide', message: `true or false, not ${JSON.stringify(decideParam)}` }] })
    }
    try {
      const outcome = await ctx.ingestor.ingest(items, { decide: decideParam !== 'false' })
      // Real events have arrived: the demo stream steps aside.
      if (outcome.accepted > 0 && ctx.demo.active) ctx.demo.stop?.()
      return outcome
    } catch (error) {
      if (error instanceof OverloadedError) {
        return reply.code(503).header('Retry-After', String(error.retryAfterSeconds))
          .send({ error: 'overloaded', message: error.message })
      }
      request.log.error({ err: error }, 'ingest failed; nothing of this request was acknowledged')
      return reply.code(503).header('Retry-After', '5').send({ error: 'store_unavailable', message: 'the events could not be stored; nothing was acknowledged, retry later' })
    }
  })
}
