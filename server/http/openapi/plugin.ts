// GET /api/v1/openapi.json (no key) and the reference page at /api/v1/docs, served by
// @fastify/swagger-ui from its bundled assets (no CDN). @fastify/swagger runs in static
// mode with the document generated from the zod catalog; the routes keep validating
// with zod themselves, so nothing about request handling changes.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { WEBHOOK_EVENT_TYPES, WebhookMessageBody } from '../../contracts/webhooks.js'
import { NAMED_SCHEMAS, OPERATIONS } from './catalog.js'
import { buildOpenApiDocument } from './document.js'

export const DOCS_PREFIX = '/api/v1/docs'

export interface RegisteredRoute { method: string; url: string }

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>()

/** The API routes the app registered (docs page assets and HEAD twins left out). */
export function registeredApiRoutes(app: FastifyInstance): RegisteredRoute[] {
  return registered.get(app) ?? []
}

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  const routes: RegisteredRoute[] = []
  registered.set(app, routes)
  app.addHook('onRoute', (route) => {
    if ((route.schema as { hide?: boolean } | undefined)?.hide) return
    if (!route.url.startsWith('/api/') && !['/healthz', '/readyz', '/metrics'].includes(route.url)) return
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url })
  })
  const document = buildOpenApiDocument(OPERATIONS, NAMED_SCHEMAS, {
    title: 'revnav API', version: VERSION,
    description: 'Returns and exchanges engine: events in, decisions, tasks and webhooks out. Keys are sent as `Authorization: Bearer <key>`; each key has one role.',
  }, {
    types: WEBHOOK_EVENT_TYPES, body: WebhookMessageBody,
    description: 'Standard Webhooks delivery: at least once, in order per return, retried with backoff for a day.',
  })
  await app.register(swagger, { mode: 'static', specification: { document: document as never } })
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true, uiConfig: { deepLinking: true, tryItOutEnabled: false, validatorUrl: null } })
  app.get('/api/v1/openapi.json', async () => document)
}
