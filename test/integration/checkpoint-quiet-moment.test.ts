// A periodic navigator checkpoint waits for a moment without ingest: its snapshot is one
// synchronous step that, for a large state, would hold every request and /healthz while
// producers are sending. Past the longest deferral it is taken anyway.
import { afterEach, describe, expect, it } from 'vitest'
import { allEventBuilders as b } from '../fixtures/events.js'
import { post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

let server: TestServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

const quiet = { info: () => {}, warn: () => {} }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(done: () => boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(20)
  }
}

async function startWith(maxDeferMs: number) {
  server = await startTestServer({ runtime: { navigator: true, navigatorOptions: { checkpointEveryMs: 100, checkpointMaxDeferMs: maxDeferMs, log: quiet } } })
  const checkpoints = server.runtime.navigator!.checkpoints
  // The start-up replay's checkpoint first, so the one under test is the event's.
  await until(() => checkpoints.last !== null)
  return checkpoints
}

describe('periodic navigator checkpoints', () => {
  it('wait while ingest is under way and are taken once it is quiet', async () => {
    const checkpoints = await startWith(60_000)
    let busy = true
    checkpoints.busy = () => busy
    const before = checkpoints.last
    const res = await post(`${server!.url}/api/v1/events`, b.returnRequested({ eventId: 'quiet-1' }), TEST_KEYS.ingest)
    expect(res.status).toBe(200)
    await sleep(1_000) // ten periods
    expect(checkpoints.last).toBe(before)
    busy = false
    await until(() => checkpoints.last !== before)
  })

  it('are taken anyway once deferred for the longest allowed', async () => {
    const checkpoints = await startWith(400)
    checkpoints.busy = () => true
    const before = checkpoints.last
    await post(`${server!.url}/api/v1/events`, b.returnRequested({ eventId: 'quiet-2' }), TEST_KEYS.ingest)
    await until(() => checkpoints.last !== before)
  })
})
