// The scheduler: skipped ticks, run history, runs on demand, rebuilds, retention.
// Against a real embedded ClickHouse on a generated history (store.ts).
import { describe, expect, it } from 'vitest'
import { query } from '../../../server/store/query.js'
import { runtime, scheduler, messages, today, get, ADMIN, VIEWER, usePipelineStore } from './store.js'

usePipelineStore()

describe('scheduler', () => {
  it('skips a tick while the previous run of the same job is going, and records both', async () => {
    const [first, second] = await Promise.all([scheduler.tick('return-rates'), scheduler.tick('return-rates')])
    expect(first.status).toBe('ok')
    expect(second.status).toBe('skipped')
    const runs = await query<{ status: string }>(runtime.ctx.store.client, {
      query: "SELECT status FROM pipeline_runs WHERE job = 'return-rates' AND run_id IN {ids:Array(String)}",
      params: { ids: [first.runId, second.runId] }, tag: 'test',
    })
    expect(runs.map((r) => r.status).sort()).toEqual(['ok', 'skipped'])
  })

  it('lists last runs per job and publishes each run', async () => {
    const { body } = await get('/api/v1/pipelines')
    expect(body.jobs.map((j: { job: string }) => j.job).sort()).toEqual(['anomalies', 'cost-recovery', 'flows', 'overdue-tasks', 'reasons', 'return-rates', 'turnaround'])
    const rates = body.jobs.find((j: { job: string }) => j.job === 'return-rates')
    expect(rates.lastRun).toMatchObject({ status: expect.stringMatching(/ok|skipped/) })
    expect(rates.recentRuns.length).toBeGreaterThanOrEqual(2)
    expect(messages.some((m) => m.room === 'pipelines')).toBe(true)
    expect(messages.some((m) => m.room === 'kpis')).toBe(true)
  })

  it('runs a job on demand for admins only; an unknown job is a 404', async () => {
    const asViewer = await runtime.app.inject({ method: 'POST', url: '/api/v1/pipelines/flows/run', headers: { authorization: `Bearer ${VIEWER}` } })
    expect(asViewer.statusCode).toBe(403)
    const run = await runtime.app.inject({ method: 'POST', url: '/api/v1/pipelines/flows/run', headers: { authorization: `Bearer ${ADMIN}` } })
    expect(run.statusCode).toBe(200)
    expect(run.json()).toMatchObject({ job: 'flows', status: 'ok', rows: expect.any(Number), durationMs: expect.any(Number) })
    const unknown = await runtime.app.inject({ method: 'POST', url: '/api/v1/pipelines/nope/run', headers: { authorization: `Bearer ${ADMIN}` } })
    expect(unknown.statusCode).toBe(404)
  })

  it('rebuilds an incremental job in full when asked, records which runs were full, and names a bad rebuild flag', async () => {
    const post = (qs: string) => runtime.app.inject({ method: 'POST', url: `/api/v1/pipelines/cost-recovery/run${qs}`, headers: { authorization: `Bearer ${ADMIN}` } })
    const rebuilt = await post('?rebuild=true')
    expect(rebuilt.statusCode, rebuilt.body).toBe(200)
    expect(rebuilt.json()).toMatchObject({ job: 'cost-recovery', status: 'ok', full: true })
    // Nothing new since: the next run recomputes only what changed, i.e. nothing.
    const again = await post('')
    expect(again.json()).toMatchObject({ status: 'ok', full: false })
    const bad = await post('?rebuild=maybe')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'bad_request', issues: [{ path: 'rebuild' }] })
    const status = await runtime.app.inject({ method: 'GET', url: '/api/v1/pipelines', headers: { authorization: `Bearer ${VIEWER}` } })
    const cost = (status.json() as { jobs: { job: string; recentRuns: { runId: string; full: boolean }[] }[] }).jobs.find((j) => j.job === 'cost-recovery')!
    expect(cost.recentRuns.slice(0, 2).map((r) => [r.runId, r.full])).toEqual([[again.json().runId, false], [rebuilt.json().runId, true]])
  })
})

describe('run history retention', () => {
  it('drops runs older than the retention (TTL) and keeps recent ones', async () => {
    const client = runtime.ctx.store.client
    const old = new Date(today.getTime() - 40 * 86_400_000)
    await client.insert({
      table: 'pipeline_runs', format: 'JSONEachRow',
      values: ['old-1', 'old-2'].map((id) => ({
        job: 'flows', run_id: id, started_at: old.toISOString().replace('T', ' ').slice(0, 23), finished_at: old.toISOString().replace('T', ' ').slice(0, 23),
        status: 'ok', duration_ms: 1, rows: 0, error: '',
      })),
    })
    const count = async () => Object.fromEntries((await query<{ old: number; recent: number }>(client, {
      query: "SELECT countIf(run_id LIKE 'old-%') AS old, countIf(run_id NOT LIKE 'old-%') AS recent FROM pipeline_runs", tag: 'test',
    })).map((r) => [['old', Number(r.old)], ['recent', Number(r.recent)]]).flat())
    // The TTL drops expired rows when a part is written or merged (on insert, sometimes);
    // force the merge instead of waiting for a background one. Recent runs stay.
    const before = await count()
    await client.command({ query: 'OPTIMIZE TABLE pipeline_runs FINAL' })
    const after = await count()
    expect(after.old).toBe(0)
    expect(after.recent).toBe(before.recent)
    expect(after.recent).toBeGreaterThan(0)
  })
})
