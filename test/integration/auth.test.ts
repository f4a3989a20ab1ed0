// Each role can do what it may and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allEventBuilders as b } from '../fixtures/events.js'
import { startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

let server: TestServer
beforeAll(async () => { server = await startTestServer() })
afterAll(async () => { await server?.close() })

type Role = keyof typeof TEST_KEYS | 'none' | 'wrong'
const keyOf = (role: Role) => (role === 'none' ? undefined : role === 'wrong' ? 'not-a-real-key-123' : TEST_KEYS[role])

async function call(method: string, path: string, role: Role, body?: unknown) {
  const key = keyOf(role)
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  await res.arrayBuffer()
  return res.status
}

describe('roles', () => {
  it.each<[Role, number]>([
    ['none', 401], ['wrong', 401], ['viewer', 403], ['operator', 403], ['ingest', 200], ['admin', 200],
  ])('POST /api/v1/events as %s → %i', async (role, status) => {
    expect(await call('POST', '/api/v1/events', role, b.orderPlaced())).toBe(status)
  })

  it.each<[Role, number]>([
    ['none', 401], ['wrong', 401], ['ingest', 403], ['viewer', 200], ['operator', 200], ['admin', 200],
  ])('GET /metrics and /api/v1/me as %s → %i', async (role, status) => {
    expect(await call('GET', '/metrics', role)).toBe(status)
    expect(await call('GET', '/api/v1/me', role)).toBe(status)
  })

  it.each<Role>(['none', 'wrong', 'ingest'])('health needs no key (%s)', async (role) => {
    expect(await call('GET', '/healthz', role)).toBe(200)
    expect(await call('GET', '/readyz', role)).toBe(200)
  })
})
