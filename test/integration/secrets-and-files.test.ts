// The real server process (server/main.ts): what it prints and logs holds no key, and
// what it writes under DATA_DIR is readable by its own user only.
import { chmodSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { apiKeysEnv, tempDataDir, TEST_KEYS } from '../helpers/runtime.js'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js'

const dirs: string[] = []
let running: ServerProcess | undefined
afterAll(async () => {
  await running?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function start(dataDir: string, env: Record<string, string>) {
  running = await startServerProcess(dataDir, { LOG_LEVEL: 'info', ...env })
  return running
}
async function stop() {
  await running?.stop()
  running = undefined
}

/** Waits (without a fixed sleep) until the process has written `text`. */
async function waitForOutput(server: ServerProcess, text: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs
  while (!server.output().includes(text)) {
    if (Date.now() > until) throw new Error(`no "${text}" in the output:\n${server.output().slice(-2000)}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Every file and directory under `dir`, with its permission bits. */
function modesUnder(dir: string): { path: string; mode: number }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((rel) => {
    const path = join(dir, rel)
    return { path: rel, mode: statSync(path).mode & 0o777 }
  })
}

// Two server starts share the checks: each start loads the store (seconds), and CI pays them.
describe('secrets stay out of the output; DATA_DIR is private', () => {
  it('never prints keys given in API_KEYS, redacts ?key= from the request log, narrows an existing DATA_DIR', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    chmodSync(dataDir, 0o755)
    const server = await start(dataDir, { API_KEYS: apiKeysEnv })
    const res = await fetch(`${server.url}/api/v1/me?key=secret-in-the-query-4242&x=1`, { headers: { authorization: `Bearer ${TEST_KEYS.viewer}` } })
    expect(res.status).toBe(200)
    await waitForOutput(server, 'key=[redacted]&x=1')
    const out = server.output()
    expect(out).toMatch(/Dashboard: http:\/\/localhost:\d+\/\n/)
    expect(out).not.toContain('secret-in-the-query-4242')
    for (const key of Object.values(TEST_KEYS)) expect(out).not.toContain(key)
    await stop()

    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    const entries = modesUnder(dataDir)
    expect(entries.length).toBeGreaterThan(10)
    const open = entries.filter((e) => (e.mode & 0o077) !== 0)
    expect(open.map((e) => `${e.path} ${e.mode.toString(8)}`)).toEqual([])
  })

  it('prints generated keys once, when generated, with the key in the URL fragment; creates DATA_DIR 0700', async () => {
    const parent = tempDataDir()
    dirs.push(parent)
    const dataDir = join(parent, 'nested', 'data')
    const first = await start(dataDir, { API_KEYS: '' })
    const { keys } = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8')) as { keys: { role: string; key: string }[] }
    const admin = keys.find((k) => k.role === 'admin')!.key
    expect(first.output()).toContain(`/#key=${encodeURIComponent(admin)}`)
    expect(first.output()).not.toContain('?key=')
    for (const { key } of keys) expect(first.output()).toContain(key)
    await stop()
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600)
    expect(modesUnder(dataDir).filter((e) => (e.mode & 0o077) !== 0)).toEqual([])

    const again = await start(dataDir, { API_KEYS: '' })
    await waitForOutput(again, 'keys.json')
    for (const { key } of keys) expect(again.output()).not.toContain(key)
    await stop()
  })
})
