// Issue 13's smaller holes against a real runtime: metric labels, date ranges, the
// __proto__ answer, pipeline errors shown to viewers, the live room cap and the rate limits.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { EVENT_TYPES, latestDay } from '../../server/contracts/index.js'
import type { LiveMessage } from '../../server/live/hub.js'
import { allEventBuilders as b } from '../fixtures/events.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { connect, subscribe } from '../helpers/socket.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({
    env: { LIVE_MAX_ROOMS_PER_SOCKET: '60', AUTH_FAILURES_PER_WINDOW: '5', TRACK_REQUESTS_PER_WINDOW: '5' },
  })
})
afterAll(async () => { await server?.close() })

const send = (events: unknown) => post(`${server.url}/api/v1/events`, events, TEST_KEYS.ingest)
const api = (path: string, key: string = TEST_KEYS.viewer) => get(`${server.url}${path}`, key)

describe('metrics', () => {
  it('labels events only with known types: rejected types with random text are "invalid"', async () => {
    const junk = () => `${randomBytes(6).toString('hex')}\n\u0001"}{`
    for (let r = 0; r < 5; r++) {
      const res = await send(Array.from({ length: 200 }, () => ({ ...b.orderPlaced(), type: junk() })))
      expect(res.status).toBe(200)
      expect(res.body.rejected).toBe(200)
    }
    expect((await send([b.orderPlaced()])).body.accepted).toBe(1)
    const text: string = (await api('/metrics')).body
    const series = text.split('\n').filter((l) => l.startsWith('revnav_events_total{'))
    const types = new Set(series.map((l) => l.match(/type="((?:[^"\\]|\\.)*)"/)![1]))
    expect([...types].every((t) => [...EVENT_TYPES, 'invalid'].includes(t)), [...types].join(' | ')).toBe(true)
    expect(types.size).toBeLessThanOrEqual(EVENT_TYPES.length + 1)
    expect(series.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f]|\\n/)
    expect(text).toMatch(/revnav_events_total\{type="invalid",status="rejected"\} 1000/)
  })
})

describe('date ranges', () => {
  it('answers a date past the range with a 400 naming it, not a 500 from the store', async () => {
    const res = await api('/api/v1/skus/APP-TSHIRT-001?to=2149-06-06')
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ error: 'bad_request', issues: [{ path: 'to' }] })
    expect(res.body.issues[0].message).toMatch(/1990-01-01/)
    for (const path of ['/api/v1/skus?from=1989-12-31', '/api/v1/reasons?from=1900-01-01&to=2149-06-06', '/api/v1/turnaround?to=9999-12-31T00:00:00Z']) {
      const r = await api(path)
      expect(r.status, path).toBe(400)
      expect(r.body.issues.map((i: { path: string }) => i.path).join(','), path).toMatch(/from|to/)
    }
    const both = await api('/api/v1/reasons?from=1900-01-01&to=2149-06-06')
    expect(both.body.issues.map((i: { path: string }) => i.path)).toEqual(['from', 'to'])
  })

  it('accepts the edges of the range', async () => {
    const edge = await api(`/api/v1/skus?from=1990-01-01&to=${latestDay(new Date())}`)
    expect(edge.status).toBe(200)
    const sku = await api(`/api/v1/skus/APP-TSHIRT-001?to=${latestDay(new Date())}`)
    expect([200, 404]).toContain(sku.status)
  })

  it('rejects an event whose occurredAt is outside the range, naming the path, and keeps its neighbours', async () => {
    const far = b.orderPlaced({ occurredAt: '2149-06-06T00:00:00Z' })
    const old = b.orderPlaced({ occurredAt: '1989-12-31T23:59:59Z' })
    const good = b.orderPlaced({ occurredAt: new Date().toISOString() })
    const res = await send([far, old, good])
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    for (const i of [0, 1]) {
      expect(res.body.results[i]).toMatchObject({ status: 'rejected' })
      expect(res.body.results[i].errors.map((e: { path: string }) => e.path)).toContain('occurredAt')
    }
  })
})

describe('JSON bodies with prototype keys', () => {
  it('says which key is forbidden and where, instead of "not valid JSON"', async () => {
    const top = await send('{"__proto__": {"isAdmin": true}, "type": "order.placed"}')
    expect(top.status).toBe(400)
    expect(top.body).toEqual({ error: 'forbidden_key', message: expect.stringMatching(/forbidden key __proto__/) })
    const nested = await send(`[${JSON.stringify(b.orderPlaced())}, {"type":"order.placed","customer":{"\\u005f_proto__":{}}}]`)
    expect(nested.status).toBe(400)
    expect(nested.body.message).toMatch(/__proto__ at 1\.customer\.__proto__/)
    const ctor = await send('{"constructor": {"prototype": {"x": 1}}}')
    expect(ctor.status).toBe(400)
    expect(ctor.body.message).toMatch(/forbidden key constructor\.prototype/)
    // Still plain answers for broken JSON and for harmless keys named like these.
    const broken = await send('{"type": ')
    expect(broken.status).toBe(400)
    expect(broken.body.message).toMatch(/^Body is not valid JSON/)
    const harmless = await send(b.orderPlaced({ orderId: '__proto__', customer: { id: 'constructor', lat: 1, lon: 1 } }))
    expect(harmless.status).toBe(200)
    expect(harmless.body.accepted).toBe(1)
  })
})

describe('pipeline errors', () => {
  it('shows viewers a code and a short message; the raw error goes to the log and to admins', async () => {
    const messages: LiveMessage[] = []
    const off = server.runtime.ctx.live.onMessage((m) => { if (m.room === 'pipelines') messages.push(m) })
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const client = server.runtime.ctx.store.client
    // A real failure: the reasons job reads the catalog, which is briefly gone.
    await client.command({ query: 'RENAME TABLE catalog TO catalog_away' })
    let run, logLines: unknown[][]
    try {
      run = await server.runtime.scheduler.runNow('reasons')
    } finally {
      await client.command({ query: 'RENAME TABLE catalog_away TO catalog' })
      logLines = [...logged.mock.calls]
      logged.mockRestore()
      off()
    }
    expect(run.status).toBe('failed')
    const raw = run.errorDetail!
    expect(raw).toMatch(/catalog/)
    expect(String(logLines.flat().map((a) => (a instanceof Error ? a.message : a)))).toContain(raw.slice(0, 40))

    const viewer = await api('/api/v1/pipelines')
    const last = viewer.body.jobs.find((j: { job: string }) => j.job === 'reasons').lastRun
    expect(last).toMatchObject({ status: 'failed', errorCode: 'job_failed', error: expect.stringContaining(run.runId) })
    expect(JSON.stringify(viewer.body)).not.toContain('catalog_away')
    expect(JSON.stringify(viewer.body)).not.toMatch(/DB::Exception|Code: \d+/)
    expect(last.errorDetail).toBeUndefined()

    const live = messages.map((m) => m.item as Record<string, unknown>).find((r) => r.runId === run.runId)!
    expect(live).toMatchObject({ status: 'failed', errorCode: 'job_failed' })
    expect(JSON.stringify(live)).not.toContain(raw.slice(0, 40))

    const admin = await api('/api/v1/pipelines', TEST_KEYS.admin)
    expect(admin.body.jobs.find((j: { job: string }) => j.job === 'reasons').lastRun.errorDetail).toBe(raw)
  })
})

describe('live room cap', () => {
  it('refuses rooms beyond the cap per socket, with the reason in the ack', async () => {
    const socket = await connect(server.url, TEST_KEYS.viewer)
    try {
      const rooms = (from: number) => Array.from({ length: 50 }, (_, i) => `rma:CAP-${from + i}`)
      const first = await subscribe(socket, rooms(0))
      expect(first.joined).toHaveLength(50)
      const second = await subscribe(socket, rooms(50))
      expect(second.joined).toHaveLength(10)
      expect(second.refused).toHaveLength(40)
      expect(second.refused[0]).toEqual({ room: 'rma:CAP-60', reason: expect.stringMatching(/room limit reached.*60/) })
      // A room already joined is no new room; leaving one makes space for another.
      expect((await subscribe(socket, ['rma:CAP-0'])).joined).toHaveLength(1)
      socket.emit('unsubscribe', ['rma:CAP-1'])
      expect((await subscribe(socket, ['rma:CAP-99'])).joined).toEqual([{ room: 'rma:CAP-99', seq: expect.any(Number) }])
    } finally {
      socket.close()
    }
  })
})

describe('rate limits', () => {
  const inject = (url: string, remoteAddress: string, key?: string) => server.runtime.app.inject({
    method: 'GET', url, remoteAddress, headers: key ? { authorization: `Bearer ${key}` } : {},
  })

  it('answers 429 with Retry-After after too many failed authentications from one address', async () => {
    for (let i = 0; i < 5; i++) expect((await inject('/api/v1/me', '10.13.0.1', `wrong-key-${i}-xxxxxxxx`)).statusCode).toBe(401)
    const limited = await inject('/api/v1/me', '10.13.0.1', 'wrong-key-again-xxxxxxxx')
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(limited.json()).toMatchObject({ error: 'rate_limited' })
    // No key at all counts as a failure too, and the address stays blocked meanwhile.
    expect((await inject('/api/v1/skus', '10.13.0.1')).statusCode).toBe(429)
    // Other addresses are not affected.
    expect((await inject('/api/v1/me', '10.13.0.2', TEST_KEYS.viewer)).statusCode).toBe(200)
  })

  it('never counts requests with a valid key', async () => {
    for (let i = 0; i < 50; i++) expect((await inject('/api/v1/me', '10.13.0.3', TEST_KEYS.viewer)).statusCode).toBe(200)
    expect((await inject('/api/v1/me', '10.13.0.3', 'wrong-key-xxxxxxxxxxxx')).statusCode).toBe(401)
    expect((await inject('/api/v1/me', '10.13.0.3', TEST_KEYS.viewer)).statusCode).toBe(200)
  })

  it('limits the public tracking API per address', async () => {
    const token = () => randomBytes(16).toString('base64url')
    for (let i = 0; i < 5; i++) expect((await inject(`/api/v1/track/${token()}`, '10.13.0.4')).statusCode).toBe(404)
    const limited = await inject(`/api/v1/track/${token()}`, '10.13.0.4')
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(limited.json()).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/retry in/) })
    expect((await inject(`/api/v1/track/${token()}`, '10.13.0.5')).statusCode).toBe(404)
  })
})
