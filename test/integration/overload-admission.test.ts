// The key and the ingest bound are checked before a body is read: a keyless 29 MB upload
// is a 401 while it is still being sent, and past the bound a producer gets 503 +
// Retry-After at once. The bound here is tiny (1,000 bytes in flight).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allEventBuilders as b } from '../fixtures/events.js'
import { post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { startUpload, waitFor } from '../helpers/upload.js'

let server: TestServer
beforeAll(async () => { server = await startTestServer({ env: { INGEST_MAX_BYTES_IN_FLIGHT: '1000' } }) })
afterAll(async () => { await server?.close() })

const BIG = 29 * 1024 * 1024
const bytesInFlight = async () => (await server.runtime.ctx.metrics.ingestBytesInFlight.get()).values[0]?.value ?? 0

describe('auth before body', () => {
  it.each<[string, number, Record<string, string>]>([
    ['no key', 401, {}],
    ['a wrong key', 401, { authorization: 'Bearer not-a-real-key-123' }],
    ['a viewer key', 403, { authorization: `Bearer ${TEST_KEYS.viewer}` }],
  ])('answers a 29 MB upload with %s by %i before the body is sent', async (_name, status, auth) => {
    const upload = startUpload(server.url, '/api/v1/events', { ...auth, 'content-type': 'application/x-ndjson', 'content-length': BIG })
    upload.req.write('{"eventId":'.padEnd(64 * 1024, ' '))
    const res = await upload.response
    // 64 KiB of 29 MiB were sent: the answer cannot have waited for the body.
    expect(upload.req.writableEnded).toBe(false)
    expect(res.status).toBe(status)
    expect(res.body.error).toBe(status === 401 ? 'unauthorized' : 'forbidden')
    if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer')
    upload.req.destroy()
  })

  it('answers broken JSON without a key 401, not 400', async () => {
    const res = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken": ' })
    expect(res.status).toBe(401)
    expect((await res.json()).error).toBe('unauthorized')
    // With a key the same body is the parser's 400.
    expect((await post(`${server.url}/api/v1/events`, '{"broken": ', TEST_KEYS.ingest)).status).toBe(400)
  })
})

/** A POST with Expect: 100-continue: the body is sent only if the server says 100. */
function expectContinue(headers: Record<string, string | number>, body: string) {
  const upload = startUpload(server.url, '/api/v1/events', { ...headers, expect: '100-continue', 'content-length': Buffer.byteLength(body) })
  let continued = false
  upload.req.on('continue', () => { continued = true; upload.req.end(body) })
  return { upload, continued: () => continued }
}

describe('Expect: 100-continue', () => {
  it('sends no 100 to a request refused for its key: the body is never sent', async () => {
    const { upload, continued } = expectContinue({ 'content-type': 'application/x-ndjson' }, JSON.stringify(b.orderPlaced()))
    const res = await upload.response
    expect(res.status).toBe(401)
    expect(continued()).toBe(false)
    expect(upload.req.writableEnded).toBe(false)
    // The connection cannot carry another request: the body it announced never came.
    expect(res.headers.connection).toBe('close')
    upload.req.destroy()
  })

  it('sends the 100 once the request is admitted, and takes the body', async () => {
    const { upload, continued } = expectContinue(
      { authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/x-ndjson' }, JSON.stringify(b.orderPlaced()))
    const res = await upload.response
    expect(continued()).toBe(true)
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
  })
})

describe('admission control', () => {
  it('answers 503 with Retry-After before reading the body while the bound is full, and admits again once it frees', async () => {
    // A holds 5,000 bytes in flight: its body is never finished.
    const holder = startUpload(server.url, '/api/v1/events', {
      authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/x-ndjson', 'content-length': 5000,
    })
    holder.req.write(JSON.stringify(b.orderPlaced()))
    await waitFor(async () => (await bytesInFlight()) === 5000, 'the first upload to be admitted')

    const shed = startUpload(server.url, '/api/v1/events', {
      authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/x-ndjson', 'content-length': BIG,
    })
    shed.req.write('x'.repeat(1024))
    const refused = await shed.response
    expect(shed.req.writableEnded).toBe(false)
    expect(refused.status).toBe(503)
    expect(refused.headers['retry-after']).toMatch(/^\d+$/)
    expect(refused.body).toMatchObject({ error: 'overloaded' })
    shed.req.destroy()

    // Asked first, the refused producer never sends its body at all.
    const asking = expectContinue({ authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/x-ndjson' }, 'x'.repeat(2000))
    const refusedFirst = await asking.upload.response
    expect(refusedFirst.status).toBe(503)
    expect(asking.continued()).toBe(false)
    expect(refusedFirst.headers['retry-after']).toMatch(/^\d+$/)
    asking.upload.req.destroy()

    // The first producer goes away: its place is freed and the next request is taken.
    holder.req.destroy()
    await waitFor(async () => (await bytesInFlight()) === 0, 'the abandoned upload to release its place')
    const batch = [b.orderPlaced(), b.orderPlaced()]
    const ok = await post(`${server.url}/api/v1/events`, batch, TEST_KEYS.ingest)
    expect(ok.status).toBe(200)
    expect(ok.body.accepted).toBe(2)
    const metrics = await server.runtime.ctx.metrics.shed.get()
    expect(metrics.values.find((v) => v.labels.reason === 'bytes_in_flight')?.value).toBeGreaterThanOrEqual(1)
  })
})
