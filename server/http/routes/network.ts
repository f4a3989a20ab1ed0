// GET /api/v1/network (viewer): nodes, modes, channels and the policies in force.
// PUT /api/v1/network/nodes/:nodeId/capacity (operator): any of the node's limits changed
// (bench hours, inspections and outlet units per day, its vendor's RTV quota); the bid
// prices are solved again for the new capacity, then the open plans that no longer fit
// are re-planned with them, durably, before the answer.
import { z } from 'zod'
import { str } from '../../contracts/text.js'
import type { DurableBatch } from '../../ingest/ingest.js'
import { decisionLines } from '../../store/rows.js'
import { CapacityChangeError, UnknownRepairNodeError, type NavigatorService } from '../../navigator-service/service.js'
import type { RouteModule } from '../context.js'
import { authorOf } from '../author.js'
import { badRequest } from '../validation.js'

export const NetworkQuery = z.object({ include: z.enum(['catalog']).optional() })
export const NodeParam = z.object({ nodeId: str().min(1).max(64) })
export const CapacityBody = z.strictObject({
  repairBenchHoursPerDay: z.number().min(0).max(240).optional(),
  inspectionsPerDay: z.number().int().min(0).max(100_000).optional(),
  outletUnitsPerDay: z.number().int().min(0).max(100_000).optional(),
  rtvUnitsPerPeriod: z.number().int().min(0).max(1_000_000).optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'at least one of repairBenchHoursPerDay, inspectionsPerDay, outletUnitsPerDay, rtvUnitsPerPeriod' })

export function networkRoutes(
  service: NavigatorService, publish: (batch: DurableBatch) => void,
  /**
   * Called once a new capacity is in force, before the displaced plans are re-decided
   * (the runtime solves the bid prices again); resolves when they may be re-decided.
   */
  reprice: () => Promise<void> = async () => {},
): RouteModule {
  return (app, ctx, guard) => {
    app.get('/api/v1/network', guard('viewer'), async (request, reply) => {
      const q = NetworkQuery.safeParse(request.query)
      if (!q.success) return badRequest(reply, q.error)
      const file = service.network.file
      return {
        version: file.version,
        currency: file.currency,
        demo: ctx.demo.active,
        nodes: file.nodes.map((n) => ({ id: n.id, name: n.name, kind: n.kind, city: n.city, lat: n.lat, lon: n.lon, capabilities: n.capabilities })),
        modes: file.inboundModes.map((m) => m.mode),
        // Where customers can be served from (importers warn about customers outside it).
        serviceArea: {
          roadFactor: file.rules.roadFactor,
          modes: file.inboundModes.map((m) => ({ mode: m.mode, serviceRadiusKm: m.serviceRadiusKm, coverageKinds: m.coverageKinds })),
        },
        channels: file.channels.map((c) => c.disposition),
        categories: Object.keys(file.categories),
        policy: service.weights.inForce.policy,
        weightsVersion: service.weights.inForce.version,
        ...(q.data.include === 'catalog' ? { catalog: [...service.network.catalog.values()] } : {}),
      }
    })

    app.put('/api/v1/network/nodes/:nodeId/capacity', guard('operator'), async (request, reply) => {
      const p = NodeParam.safeParse(request.params)
      if (!p.success) return badRequest(reply, p.error)
      const body = CapacityBody.safeParse(request.body)
      if (!body.success) return badRequest(reply, body.error)
      let change
      try {
        change = await service.setCapacity(p.data.nodeId, body.data, authorOf(request), new Date(), reprice)
      } catch (error) {
        if (error instanceof UnknownRepairNodeError) return reply.code(404).send({ error: 'not_found', message: error.message })
        if (error instanceof CapacityChangeError) {
          return reply.code(400).send({ error: 'bad_request', message: `invalid body: ${error.field}`, issues: [{ path: error.field, message: error.message }] })
        }
        throw error
      }
      const records = change.records
      if (records.length) {
        try {
          await ctx.writer.write('decisions', decisionLines(records))
        } catch (error) {
          // The hours are stored; the re-decisions are not, so the returns keep their
          // old ones and the same change sent again re-decides them.
          change.undo()
          request.log.error({ err: error }, 'capacity change: re-decisions not stored')
          return reply.code(503).header('Retry-After', '5').send({
            error: 'store_unavailable',
            message: 'the capacity is stored, but the plans it displaces could not be re-decided durably; send the same change again',
          })
        }
      }
      change.confirm()
      publish({ events: [], decisions: records })
      return {
        nodeId: p.data.nodeId,
        ...body.data,
        redecided: records.map(({ decision: d }) => ({
          decisionId: d.decisionId, rmaId: d.rmaId, lineIndex: d.lineIndex, supersedes: d.supersedes,
          resolution: d.resolution, inboundMode: d.inboundMode, receivingNodeId: d.receivingNodeId, disposition: d.disposition,
        })),
      }
    })
  }
}
