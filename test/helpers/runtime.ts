// A real runtime (embedded ClickHouse in a temp dir, real HTTP server on a random
// port) for integration tests. One per test file: chDB binds one data dir per process.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../server/config.js'
import { createRuntime, type Runtime, type RuntimeOptions } from '../../server/runtime.js'

export const TEST_KEYS = {
  ingest: 'test-ingest-key-0001',
  viewer: 'test-viewer-key-0001',
  operator: 'test-operator-key-01',
  admin: 'test-admin-key-00001',
} as const

export const apiKeysEnv = Object.entries(TEST_KEYS).map(([r, k]) => `${r}:${k}`).join(',')

export function tempDataDir(prefix = 'revnav-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface TestServer {
  runtime: Runtime
  url: string
  dataDir: string
  close(options?: { keepData?: boolean }): Promise<void>
}

/**
 * A real server. Without the navigator unless `runtime.navigator` is true: most tests are
 * of the layers below it, and deciding every line would only slow them.
 */
export async function startTestServer(opts: { dataDir?: string; env?: Record<string, string>; runtime?: RuntimeOptions } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir()
  const config = loadConfig({
    DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0',
    API_KEYS: apiKeysEnv, WRITER_FLUSH_MS: '5',
    // The test shares the server's event loop: its own synchronous work (building a 40 MB
    // body) would read as server load and shed requests. Tests of that bound set their own.
    INGEST_MAX_EVENT_LOOP_DELAY_MS: '60000',
    ...opts.env,
  })
  const runtime = await createRuntime(config, { navigator: false, ...opts.runtime })
  await runtime.app.listen({ port: 0, host: '127.0.0.1' })
  const address = runtime.app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    runtime, dataDir, url: `http://127.0.0.1:${port}`,
    async close({ keepData = false } = {}) {
      await runtime.close()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function post(url: string, body: unknown, key: string, contentType = 'application/json') {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  let json: any
  try { json = JSON.parse(text) } catch { json = text }
  return { status: res.status, headers: res.headers, body: json }
}

export async function get(url: string, key?: string) {
  const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} })
  const text = await res.text()
  let json: any
  try { json = JSON.parse(text) } catch { json = text }
  return { status: res.status, headers: res.headers, body: json }
}
