// Weights: read (viewer), change / preview / rollback (operator). Every change is a new
// audited version; the preview re-decides recent history and applies nothing.
import { z } from 'zod'
import { WeightsChange, type WeightsVersion } from '../../contracts/weights.js'
import { listWeightsVersions } from '../../store/weights-repo.js'
import { applyChange, UnknownVersionError, type WeightsService } from '../../weights/service.js'
import type { RouteModule } from '../context.js'
import { authorOf } from '../author.js'
import { badRequest } from '../validation.js'

export interface WeightsRouteDeps {
  weights: WeightsService
  /** Re-decides the last `limit` return requests under `candidate` against the version in force. */
  preview(candidate: WeightsVersion, limit: number): Promise<unknown>
}

export const PreviewQuery = z.object({ limit: z.coerce.number().int().min(1).max(50_000).default(10_000) })
export const VersionParam = z.object({ version: z.coerce.number().int().min(1) })
export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })

export function weightsRoutes(deps: WeightsRouteDeps): RouteModule {
  return (app, ctx, guard) => {
    app.get('/api/v1/weights', guard('viewer'), async () => {
      const { diff: _diff, ...current } = deps.weights.inForce
      return current
    })

    app.get('/api/v1/weights/versions', guard('viewer'), async (request, reply) => {
      const q = ListQuery.safeParse(request.query)
      if (!q.success) return badRequest(reply, q.error)
      return { items: await listWeightsVersions(ctx.store.client, q.data.limit) }
    })

    app.put('/api/v1/weights', guard('operator'), async (request, reply) => {
      const body = WeightsChange.safeParse(request.body)
      if (!body.success) return badRequest(reply, body.error)
      try {
        return await deps.weights.change(body.data, authorOf(request))
      } catch (error) {
        if (error instanceof z.ZodError) return badRequest(reply, error)
        throw error
      }
    })

    app.post('/api/v1/weights/preview', guard('operator'), async (request, reply) => {
      const body = WeightsChange.safeParse(request.body ?? {})
      if (!body.success) return badRequest(reply, body.error)
      const q = PreviewQuery.safeParse(request.query)
      if (!q.success) return badRequest(reply, q.error)
      const current = deps.weights.inForce
      let candidate: WeightsVersion
      try {
        candidate = { ...current, ...applyChange(current, body.data), version: current.version + 1, author: 'preview' }
      } catch (error) {
        if (error instanceof z.ZodError) return badRequest(reply, error)
        throw error
      }
      return deps.preview(candidate, q.data.limit)
    })

    app.post('/api/v1/weights/rollback/:version', guard('operator'), async (request, reply) => {
      const p = VersionParam.safeParse(request.params)
      if (!p.success) return badRequest(reply, p.error)
      try {
        return await deps.weights.rollback(p.data.version, authorOf(request))
      } catch (error) {
        if (error instanceof UnknownVersionError) return reply.code(404).send({ error: 'not_found', message: error.message })
        throw error
      }
    })
  }
}
