// The store the pipeline tests share: a real embedded ClickHouse filled with a generated
// history whose answers are known exactly (analytics-history.ts), every job run once.
// Each test file calls usePipelineStore() and gets its own store (its own data dir).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadConfig } from '../../../server/config.js'
import type { LiveMessage } from '../../../server/live/hub.js'
import { createRuntime, type Runtime } from '../../../server/runtime.js'
import { decisionRow } from '../../../server/store/rows.js'
import type { PipelineScheduler } from '../../../pipelines/scheduler.js'
import { decisionFor, generateHistory, statusEvents, type GeneratedReturn } from '../analytics-history.js'

export const ADMIN = 'test-admin-key-123'
export const VIEWER = 'test-viewer-key-1'

// Live bindings: set by the beforeAll of usePipelineStore, read by the tests.
export let runtime: Runtime
export let scheduler: PipelineScheduler
export let returns: GeneratedReturn[]
export let xReturns: GeneratedReturn[]
export const messages: LiveMessage[] = []
export const today = new Date()

export async function get(url: string, key = VIEWER) {
  const res = await runtime.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } })
  return { status: res.statusCode, body: res.json() }
}

export async function send(events: unknown[]) {
  for (let i = 0; i < events.length; i += 2000) {
    const res = await runtime.app.inject({
      method: 'POST', url: '/api/v1/events',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/x-ndjson' },
      payload: events.slice(i, i + 2000).map((e) => JSON.stringify(e)).join('\n'),
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().rejected).toBe(0)
  }
}

/** Exact quantile with linear interpolation between order statistics. */
export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}

/** Registers the file's store: generated history in, every job run once; removed after. */
export function usePipelineStore(): void {
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revnav-pipelines-'))
    runtime = await createRuntime(loadConfig({
      DATA_DIR: dir, PORT: '0', LOG_LEVEL: process.env.TEST_LOG ?? 'silent', DEMO: '0', PIPELINES: '0',
      API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`,
    }), { navigator: false })
    runtime.ctx.live.onMessage((m) => messages.push(m))
    scheduler = runtime.scheduler

    const history = generateHistory(today)
    returns = history.returns
    xReturns = returns.filter((r) => r.sku === 'SKU-X')
    await send(history.events)
    // SKU-X returns go through receiving, inspection and refund; the first ten were routed
    // to WH-A by a decision, the rest are known by the node of their status events.
    await send(xReturns.flatMap((r, i) => statusEvents(r, i, i < 10 ? 'WH-A' : 'WH-B')))
    const decisions = xReturns.slice(0, 10).map((r, i) => decisionFor(r, {
      id: `d-${i}`, decidedAt: new Date(r.requestedAt.getTime() + 60_000), netCost: 10 + i, baselineNetCost: 30 + i, recovery: 5,
    }))
    // Two lines were re-decided after inspection: only the current decision may count.
    decisions.push(...xReturns.slice(0, 2).map((r, i) => decisionFor(r, {
      id: `d-re-${i}`, supersedes: `d-${i}`, decidedAt: new Date(r.requestedAt.getTime() + 3_600_000), netCost: 100, baselineNetCost: 30 + i, recovery: 40,
      disposition: 'open_box_refurbish',
    })))
    await runtime.ctx.store.client.insert({
      table: 'decisions', format: 'JSONEachRow',
      values: decisions.map((decision) => decisionRow({ decision, category: 'apparel', reason: xReturns.find((r) => r.rmaId === decision.rmaId)!.reason })),
    })
    for (const job of scheduler.jobNames) {
      const run = await scheduler.runNow(job)
      expect(run, `${job}: ${run.error}`).toMatchObject({ status: 'ok' })
    }
  }, 180_000)

  afterAll(async () => {
    await runtime?.close()
    rmSync(dir, { recursive: true, force: true })
  })
}
