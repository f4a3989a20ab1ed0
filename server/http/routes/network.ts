// GET /api/v1/network (viewer): nodes, modes, channels and the policies in force.
import { z } from 'zod'
import type { NavigatorService } from '../../routing/service.js'
import type { RouteModule } from '../app.js'
import { badRequest } from '../validation.js'

const Query = z.object({ include: z.enum(['catalog']).optional() })

export function networkRoutes(service: NavigatorService): RouteModule {
  return (app, ctx, guard) => {
    app.get('/api/v1/network', { preHandler: guard('viewer') }, async (request, reply) => {
      const q = Query.safeParse(request.query)
      if (!q.success) return badRequest(reply, q.error)
      const file = service.network.file
      return {
        version: file.version,
        currency: file.currency,
        demo: ctx.demo.active,
        nodes: file.nodes.map((n) => ({ id: n.id, name: n.name, kind: n.kind, city: n.city, lat: n.lat, lon: n.lon, capabilities: n.capabilities })),
        modes: file.inboundModes.map((m) => m.mode),
        channels: file.channels.map((c) => c.disposition),
        categories: Object.keys(file.categories),
        policy: service.weights.inForce.policy,
        weightsVersion: service.weights.inForce.version,
        ...(q.data.include === 'catalog' ? { catalog: [...service.network.catalog.values()] } : {}),
      }
    })
  }
}
