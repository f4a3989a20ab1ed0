// /api/v1/webhooks (admin): subscriptions, their secrets, the delivery log, redelivery.
import { DeliveriesQuery, WebhookCreate, WebhookIdParam, WebhookMessageParam, WebhookUpdate } from '../../contracts/webhooks.js'
import { listDeliveries } from '../../store/webhooks-repo.js'
import { SubscriptionNotFoundError, viewOf, type WebhookService } from '../../webhooks/service.js'
import type { RouteModule } from '../context.js'
import { authorOf } from '../author.js'
import { badRequest } from '../validation.js'

export const webhookRoutes = (webhooks: WebhookService): RouteModule => (app, ctx, guard) => {
  const admin = guard('admin')

  const notFound = (error: unknown) => {
    if (error instanceof SubscriptionNotFoundError) return { code: 404, body: { error: 'not_found', message: error.message } }
    throw error
  }

  app.post('/api/v1/webhooks', admin, async (request, reply) => {
    const b = WebhookCreate.safeParse(request.body)
    if (!b.success) return badRequest(reply, b.error)
    return reply.code(201).send(await webhooks.create(b.data, authorOf(request)))
  })

  app.get('/api/v1/webhooks', admin, async () => ({ items: webhooks.list() }))

  app.get('/api/v1/webhooks/:id', admin, async (request, reply) => {
    const p = WebhookIdParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    try { return viewOf(webhooks.get(p.data.id)) } catch (e) { const r = notFound(e); return reply.code(r.code).send(r.body) }
  })

  app.patch('/api/v1/webhooks/:id', admin, async (request, reply) => {
    const p = WebhookIdParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    const b = WebhookUpdate.safeParse(request.body)
    if (!b.success) return badRequest(reply, b.error)
    try { return await webhooks.update(p.data.id, b.data, authorOf(request)) } catch (e) { const r = notFound(e); return reply.code(r.code).send(r.body) }
  })

  app.delete('/api/v1/webhooks/:id', admin, async (request, reply) => {
    const p = WebhookIdParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    try { await webhooks.remove(p.data.id, authorOf(request)); return reply.code(204).send() } catch (e) { const r = notFound(e); return reply.code(r.code).send(r.body) }
  })

  app.post('/api/v1/webhooks/:id/rotate', admin, async (request, reply) => {
    const p = WebhookIdParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    try { return await webhooks.rotate(p.data.id, authorOf(request)) } catch (e) { const r = notFound(e); return reply.code(r.code).send(r.body) }
  })

  app.get('/api/v1/webhooks/:id/deliveries', admin, async (request, reply) => {
    const p = WebhookIdParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    const q = DeliveriesQuery.safeParse(request.query)
    if (!q.success) return badRequest(reply, q.error)
    try { webhooks.get(p.data.id) } catch (e) { const r = notFound(e); return reply.code(r.code).send(r.body) }
    return { items: await listDeliveries(ctx.store.client, p.data.id, q.data.limit, q.data.offset), limit: q.data.limit, offset: q.data.offset }
  })

  app.post('/api/v1/webhooks/:id/deliveries/:msgId/redeliver', admin, async (request, reply) => {
    const p = WebhookMessageParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    try {
      if (!(await webhooks.redeliver(p.data.id, p.data.msgId))) return reply.code(404).send({ error: 'not_found', message: `no message ${p.data.msgId} for ${p.data.id}` })
      return reply.code(202).send({ msgId: p.data.msgId, status: 'pending' })
    } catch (e) { const r = notFound(e); return reply.code(r.code).send(r.body) }
  })
}
