// Builds the Fastify app: auth, error shapes, the routes, and the dashboard's static files.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import type { Role } from '../contracts/enums.js'
import { bearerKey, roleSatisfies } from '../auth/keys.js'
import type { AppContext } from '../app-context.js'
import type { Guard, RouteModule } from './context.js'
import { JsonText } from './json-array.js'
import { registerJsonParser } from './json-body.js'
import { serializeRequest } from './log-redaction.js'
import { registerRateLimits } from './rate-limits.js'
import { deferContinueUntilAdmitted } from './expect-continue.js'
import { eventRoutes } from './routes/events.js'
import { healthRoutes } from './routes/health.js'
import { installOpenApi } from './openapi/plugin.js'

export const CLIENT_DIST = fileURLToPath(new URL('../../dist/client/', import.meta.url))

export async function buildApp(ctx: AppContext, extraRoutes: RouteModule[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.config.LOG_LEVEL === 'silent' ? false : { level: ctx.config.LOG_LEVEL, serializers: { req: serializeRequest } },
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
  })

  // Only JSON and NDJSON bodies are read; anything else is a 415 before any parsing.
  app.removeContentTypeParser(['text/plain'])
  // The events route reads a JSON array a slice at a time (json-array.ts).
  registerJsonParser(app, (url) => url === '/api/v1/events', (text) => new JsonText(text))
  // A producer that sends Expect: 100-continue gets its 100 only once admitted.
  deferContinueUntilAdmitted(app)
  // Before any route and before the auth check: an address past its limit is answered 429 first.
  await registerRateLimits(app, ctx.config)
  // NDJSON arrives as text and is split per line by the ingest layer.
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => done(null, body))

  const guard = (role: Role): Guard => ({ config: { role } })

  // The key is checked before anything reads the body: a request without a valid key costs
  // neither the upload's buffering nor its parsing (a 29 MB body, or broken JSON, is a 401
  // straight away, not a 400 after reading). Node discards the unread rest of the body.
  app.addHook('onRequest', async (request, reply) => {
    const need = request.routeOptions.config.role
    if (!need) return
    const key = bearerKey(request.headers.authorization)
    const role = ctx.keyring.roleOf(key)
    if (!role) {
      return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' })
    }
    if (!roleSatisfies(role, need)) {
      return reply.code(403).send({ error: 'forbidden', message: `this key's role (${role}) may not do this; needs ${need}` })
    }
    request.role = role
  })

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    void reply.code(status).send({
      error: error.code ?? (status >= 500 ? 'internal_error' : 'bad_request'),
      message: status >= 500 ? 'internal error' : error.message,
    })
  })

  // First: its onRoute hook must see every route registered after it.
  await installOpenApi(app)
  app.get('/api/v1/me', guard('viewer'), async (request) => ({ role: request.role }))
  await healthRoutes(app, ctx, guard)
  await eventRoutes(app, ctx, guard)
  for (const routes of extraRoutes) await routes(app, ctx, guard)

  if (existsSync(CLIENT_DIST)) {
    await app.register(fastifyStatic, { root: CLIENT_DIST, wildcard: false })
    // The dashboard is a single-page app: unknown non-API paths get index.html.
    app.setNotFoundHandler((request, reply) => {
      // A missing asset is a 404, not index.html: the browser would fail to parse HTML as a
      // module and the real cause (a stale page after a rebuild) would be hidden.
      if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/assets/')) return reply.sendFile('index.html')
      return reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` })
    })
  } else {
    app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }))
  }
  return app
}
