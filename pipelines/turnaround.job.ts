// Turnaround percentiles per request day, warehouse, resolution and stage, and the
// returns still open by status, both from rma_milestones (one row per request, kept
// current at insert time; 0014).
//
// Incremental by request month: a run finds the requests whose milestones were touched
// since the previous run (touched_at > the watermark it stored), and rebuilds only their
// request months in both month-partitioned outputs. Rows whose insert was still in
// flight when a run read the watermark could be missed, so the first run of each UTC day
// (and any run finding an output empty) rebuilds everything.
import { namedQuery, query, toChTime } from '../server/store/query.js'
import type { PipelineJob } from './job.js'
import { countRows, refreshMonths, refreshSnapshot } from './snapshot.js'

const OUTPUTS = [
  { table: 'turnaround_daily', query: 'turnaround-refresh' },
  { table: 'open_returns', query: 'open-returns-refresh' },
] as const

export const turnaroundJob: PipelineJob = {
  name: 'turnaround',
  schedule: '15 */2 * * * *',
  feedsKpis: true,
  async run({ client, asOf }) {
    const [{ until }] = await query<{ until: string }>(client, {
      query: 'SELECT toString(max(touched_at)) AS until FROM rma_milestones', tag: 'job.turnaround.until',
    })
    const [mark] = await query<{ watermark: string; full_day: string }>(client, {
      query: "SELECT toString(watermark) AS watermark, toString(toDate(full_at)) AS full_day FROM pipeline_watermarks FINAL WHERE job = 'turnaround'",
      tag: 'job.turnaround.watermark',
    })
    const today = asOf.toISOString().slice(0, 10)
    const full = !mark || mark.full_day !== today
      || (await countRows(client, 'turnaround_daily')) === 0 || (await countRows(client, 'open_returns')) === 0
    if (full) {
      for (const o of OUTPUTS) await refreshSnapshot(client, o.table, o.query, asOf, { all: true, months: [] })
    } else if (mark.watermark < until) {
      const touched = await query<{ month: number }>(client, {
        query: namedQuery('turnaround-months-touched'), params: { since: mark.watermark, until }, tag: 'job.turnaround.touched',
      })
      const months = touched.map((t) => Number(t.month))
      if (months.length) for (const o of OUTPUTS) await refreshMonths(client, o.table, o.query, asOf, months)
    }
    await client.insert({
      table: 'pipeline_watermarks', format: 'JSONEachRow',
      values: [{ job: 'turnaround', watermark: until, full_at: full ? toChTime(asOf) : `${mark.full_day} 00:00:00.000`, updated_at: toChTime(asOf) }],
    })
    return { rows: (await countRows(client, 'turnaround_daily')) + (await countRows(client, 'open_returns')) }
  },
}
