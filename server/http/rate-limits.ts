// Per-client limits (@fastify/rate-limit, keyed by the client address): failed
// authentications, and the public tracking API (no key, so the only brake on token
// guessing). Past a limit: 429 with Retry-After. Limits are in config (docs/limits.md).
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'

type Limits = Pick<Config, 'AUTH_FAILURES_PER_WINDOW' | 'TRACK_REQUESTS_PER_WINDOW' | 'RATE_LIMIT_WINDOW_MS'>

function tooManyRequests(after: string) {
  return Object.assign(new Error(`too many requests from this address; retry in ${after}`), { statusCode: 429, code: 'rate_limited' })
}

/** Route config of a limited public route (the tracking API): requests per window and address. */
export function trackRateLimit(config: Limits) {
  return { max: config.TRACK_REQUESTS_PER_WINDOW, timeWindow: config.RATE_LIMIT_WINDOW_MS }
}

/** Paths whose answer depends on a key: public ones (tracking, health, the dashboard's files) are not. */
const needsKey = (request: FastifyRequest) => request.url.startsWith('/api/') && !request.url.startsWith('/api/v1/track/')

/**
 * Registers the plugin (no global limit) and the failed-authentication limit: every 401
 * counts against the client's address; an address past the limit gets 429 for every
 * request that needs a key, before its key or body is looked at, until its window ends.
 * (Answering a right key while refusing wrong ones would leave guessing unthrottled.)
 * Requests with a valid key are never counted, so heavy legitimate use is never throttled.
 */
export async function registerRateLimits(app: FastifyInstance, config: Limits): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    // Distinct addresses remembered per limit; the least recently seen are forgotten first.
    cache: 10_000,
    errorResponseBuilder: (_request, context) => tooManyRequests(context.after),
  })
  const authFailures = app.createRateLimit({
    max: config.AUTH_FAILURES_PER_WINDOW,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: (request) => `auth-failures:${request.ip}`,
  })
  app.addHook('onRequest', async (request, reply) => {
    if (!needsKey(request)) return
    const state = await authFailures(request, { increment: false })
    if (state.isAllowed || state.remaining > 0) return
    const seconds = Math.max(1, state.ttlInSeconds)
    return reply.code(429).header('Retry-After', String(seconds))
      .send({ error: 'rate_limited', message: `too many failed authentications from this address; retry in ${seconds} s` })
  })
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) await authFailures(request)
  })
}
