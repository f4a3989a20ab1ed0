// POST /api/v1/events: one event, a JSON array, or NDJSON. 200 whenever the body could
// be split into events; every accepted event is durable when the answer is sent.
// Order of work: key (app.ts, onRequest) → admission (onRequest, below) → body read and
// parsed → ingest. Everything before the body is read answers at once.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Role } from '../../contracts/enums.js'
import { singleEventBody, splitNdjsonBody, UnreadableBodyError } from '../../ingest/body.js'
import { ClientGoneError, CpuSlicer } from '../../ingest/cpu-slices.js'
import { OverloadedError } from '../../store/writer.js'
import { IngestAdmission, type AdmissionTicket } from '../admission.js'
import { JsonText, splitJsonText } from '../json-array.js'
import { outcomeJson } from '../outcome-json.js'
import type { AppContext } from '../../app-context.js'
import type { Guard } from '../context.js'
import { watchEventLoopDelay } from '../loop-delay.js'

declare module 'fastify' {
  interface FastifyRequest { admission?: AdmissionTicket }
}

export async function eventRoutes(app: FastifyInstance, ctx: AppContext, guard: (role: Role) => Guard) {
  const loopDelay = watchEventLoopDelay()
  app.addHook('onClose', async () => loopDelay.stop())
  const admission = new IngestAdmission({
    maxBytesInFlight: ctx.config.INGEST_MAX_BYTES_IN_FLIGHT,
    maxExpectedWaitMs: ctx.config.INGEST_MAX_EXPECTED_WAIT_MS,
    maxEventLoopDelayMs: ctx.config.INGEST_MAX_EVENT_LOOP_DELAY_MS,
    bodyLimitBytes: ctx.config.BODY_LIMIT_BYTES,
    eventLoopDelayMs: loopDelay.recentP99Ms,
    writerFull: () => !ctx.writer.canAccept(1),
  })
  const release = (ticket: AdmissionTicket) => {
    ticket.release()
    ctx.metrics.ingestBytesInFlight.set(admission.inFlight.bytes)
  }
  /** Requests whose handler is running: the handler releases their admission when done. */
  const working = new WeakSet<FastifyRequest>()

  app.post('/api/v1/events', {
    ...guard('ingest'),
    // Route-level onRequest hooks run after the app's, so only authorised producers take a place.
    onRequest: async (request, reply) => {
      const ticket = admission.admit(request.headers['content-length'])
      if (typeof ticket === 'string') {
        ctx.metrics.shed.inc({ reason: ticket })
        return reply.code(503).header('Retry-After', String(admission.retryAfterSeconds()))
          .send({ error: 'overloaded', message: `the server is at its ingest bound (${ticket.replaceAll('_', ' ')}); retry later` })
      }
      request.admission = ticket
      ctx.metrics.ingestBytesInFlight.set(admission.inFlight.bytes)
      // Released when the answer is sent or the connection closes, unless the handler is
      // still working (then it releases when done: its memory and CPU are still in use).
      reply.raw.once('close', () => { if (!working.has(request)) release(ticket) })
    },
  }, async (request, reply) => {
    working.add(request)
    const gone = new AbortController()
    const onClose = () => { if (!reply.raw.writableFinished) gone.abort() }
    reply.raw.once('close', onClose)
    try {
      // ?decide=false: a history import stores returns without deciding them.
      const decideParam = (request.query as { decide?: unknown } | undefined)?.decide
      if (decideParam !== undefined && decideParam !== 'true' && decideParam !== 'false') {
        return reply.code(400).send({ error: 'bad_request', message: 'invalid query parameter: decide', issues: [{ path: 'decide', message: `true or false, not ${JSON.stringify(decideParam)}` }] })
      }
      const slicer = new CpuSlicer(ctx.config.INGEST_SLICE_MS, gone.signal)
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
      let items
      try {
        items = type === 'application/x-ndjson' ? await splitNdjsonBody(String(request.body ?? ''), slicer)
          : request.body instanceof JsonText ? await splitJsonText(request.body.text, slicer)
            : singleEventBody(request.body)
      } catch (error) {
        if (error instanceof UnreadableBodyError) return reply.code(400).send({ error: 'unreadable_body', message: error.message })
        // Not JSON, or a forbidden key: answered as the body parser answers them.
        const e = error as { statusCode?: number; code?: string; message: string }
        if (e.statusCode === 400) return reply.code(400).send({ error: e.code ?? 'bad_request', message: e.message })
        throw error
      }
      // Free the text now: only the parsed events are needed from here on.
      request.body = undefined
      const outcome = await ctx.ingestor.ingest(items, { signal: gone.signal, decide: decideParam !== 'false' })
      // Real events have arrived: the demo stream steps aside.
      if (outcome.accepted > 0 && ctx.demo.active) ctx.demo.stop?.()
      // Everything is stored: a producer leaving now changes nothing, so no signal.
      const text = await outcomeJson(outcome, new CpuSlicer(ctx.config.INGEST_SLICE_MS))
      return reply.type('application/json; charset=utf-8').send(text)
    } catch (error) {
      if (error instanceof ClientGoneError) {
        request.log.info('producer went away before its events were routed; nothing was stored')
        reply.hijack()
        reply.raw.destroy()
        return
      }
      if (error instanceof OverloadedError) {
        ctx.metrics.shed.inc({ reason: 'writer_queue' })
        return reply.code(503).header('Retry-After', String(error.retryAfterSeconds))
          .send({ error: 'overloaded', message: error.message })
      }
      request.log.error({ err: error }, 'ingest failed; nothing of this request was acknowledged')
      return reply.code(503).header('Retry-After', '5').send({ error: 'store_unavailable', message: 'the events could not be stored; nothing was acknowledged, retry later' })
    } finally {
      working.delete(request)
      reply.raw.off('close', onClose)
      if (request.admission) release(request.admission)
    }
  })
}
