import type { FastifyInstance } from 'fastify'
import type { Role } from '../../contracts/enums.js'
import { pendingMigrations } from '../../store/migrate.js'
import type { AppContext } from '../../app-context.js'
import type { Guard } from '../context.js'

/** How long /readyz waits for the store before answering from its last completed check. */
const READY_WAIT_MS = 150
/** A completed check older than this no longer vouches for the store. */
const READY_FRESH_MS = 10_000

type StoreCheck = { ok: true; pending: string[] } | { ok: false; message: string }

export async function healthRoutes(app: FastifyInstance, ctx: AppContext, guard: (role: Role) => Guard) {
  app.get('/healthz', async () => ({ status: 'ok' }))

  // The embedded store runs one query at a time, so under ingest load a check can wait
  // behind inserts. Probes share one check in flight (they never pile up queries), and a
  // probe that cannot wait answers from the last completed check while it is recent: the
  // store answered moments ago and is busy, not gone.
  // Routes are built right after the migrations ran: the store answered then, nothing pending.
  let last: { at: number; check: StoreCheck } | undefined = { at: Date.now(), check: { ok: true, pending: [] } }
  let running: Promise<StoreCheck> | undefined
  const checkStore = (): Promise<StoreCheck> => (running ??= pendingMigrations(ctx.store.client)
    .then((pending): StoreCheck => ({ ok: true, pending }), (error: Error): StoreCheck => ({ ok: false, message: error.message }))
    .then((check) => { last = { at: Date.now(), check }; running = undefined; return check }))

  app.get('/readyz', async (_request, reply) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const waited = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), READY_WAIT_MS) })
    const fresh = await Promise.race([checkStore(), waited])
    clearTimeout(timer)
    // No recent check, but inserts are succeeding: the store is busy with them, not gone.
    const inserting = Date.now() - ctx.writer.lastInsertOkAt < READY_FRESH_MS ? { ok: true as const, pending: last?.check.ok ? last.check.pending : [] } : undefined
    const check = fresh ?? (last && Date.now() - last.at < READY_FRESH_MS ? last.check : undefined) ?? inserting
    if (!check) return reply.code(503).send({ status: 'store_busy', message: `the store has not answered for ${READY_FRESH_MS / 1000} s` })
    if (!check.ok) return reply.code(503).send({ status: 'store_unreachable', message: check.message })
    const ready = ctx.isReady() && check.pending.length === 0
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting', store: ctx.store.kind, pendingMigrations: check.pending })
  })

  app.get('/metrics', guard('viewer'), async (_request, reply) => {
    ctx.metrics.queueDepth.set(ctx.writer.depth)
    return reply.header('Content-Type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics())
  })
}
