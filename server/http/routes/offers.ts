// POST /api/v1/track/:token/offers/:offerId (no key): the customer answers an offer from
// the tracking page. The answer becomes a return.offer_answered event through ingestion,
// so it is stored (and its re-decision durable) before the answer is sent; a repeat of
// the same answer is a duplicate event. 404 for an offer the token does not have, 409 for
// one already answered or expired.
import { z } from 'zod'
import type { NavigatorService } from '../../navigator-service/service.js'
import { rmaOfToken } from '../../store/returns-repo.js'
import type { RouteModule } from '../context.js'
import { trackRateLimit } from '../rate-limits.js'
import { badRequest } from '../validation.js'

export const OfferParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  offerId: z.string().min(1).max(128).regex(/^[\w.:\-\/#@]+$/),
})
export const OfferAnswerBody = z.strictObject({ accept: z.boolean() })

export const PendingOffersQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) })

export function offerRoutes(service: NavigatorService): RouteModule {
  return (app, ctx, guard) => {
    // Customer service's list: offers customers have not answered yet, soonest to expire first.
    app.get('/api/v1/offers/pending', guard('viewer'), async (request, reply) => {
      const q = PendingOffersQuery.safeParse(request.query ?? {})
      if (!q.success) return badRequest(reply, q.error)
      return { items: service.navigator.pendingOffers(new Date(), q.data.limit) }
    })

    // Limited per client like the tracking page itself: the token is the only key.
    app.post('/api/v1/track/:token/offers/:offerId', { config: { rateLimit: trackRateLimit(ctx.config) } }, async (request, reply) => {
      const notFound = () => reply.code(404).send({ error: 'not_found', message: 'no such offer for this tracking link' })
      const p = OfferParams.safeParse(request.params)
      if (!p.success) return notFound()
      const body = OfferAnswerBody.safeParse(request.body)
      if (!body.success) return badRequest(reply, body.error)
      const { token, offerId } = p.data
      const nav = service.navigator
      const now = new Date()
      const rmaId = await rmaOfToken(ctx.store.client, token)
      if (!rmaId) return notFound()
      const found = nav.findOffer(rmaId, token, offerId)
      if (!found) {
        // An accepted offer leaves the line's current decision (which supersedes the one that made it): a conflict, not unknown.
        if (nav.state.offerAnswer(offerId) !== undefined && nav.tokenSupersededOffer(rmaId, token, offerId)) {
          return reply.code(409).send({ error: 'answered', message: 'this offer was already answered' })
        }
        return notFound()
      }
      const problem = nav.offerAnswerProblem(found.rmaId, found.lineIndex, offerId, now)
      if (problem === 'answered' || problem === 'expired') {
        return reply.code(409).send({ error: problem, message: problem === 'expired' ? 'this offer has expired' : 'this offer was already answered' })
      }
      if (problem === 'unknown') return notFound()
      let outcome
      try {
        outcome = await ctx.ingestor.ingest([{ ok: true, value: {
          eventId: `offer-answer:${offerId}`, type: 'return.offer_answered', occurredAt: now.toISOString(),
          rmaId: found.rmaId, lineIndex: found.lineIndex, offerId, accepted: body.data.accept,
        } }])
      } catch (error) {
        request.log.error({ err: error }, 'offer answer not stored')
        return reply.code(503).header('Retry-After', '5').send({ error: 'store_unavailable', message: 'the answer could not be stored; retry later' })
      }
      const result = outcome.results[0]
      if (result.status === 'duplicate') return reply.code(409).send({ error: 'answered', message: 'this offer was already answered' })
      if (result.status === 'rejected') return reply.code(400).send({ error: 'invalid', errors: result.errors })
      return { offerId, accepted: body.data.accept, decisions: result.decisions ?? [] }
    })
  }
}
