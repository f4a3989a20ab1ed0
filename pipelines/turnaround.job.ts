// Turnaround percentiles per request day, warehouse, resolution and stage, and the
// returns still open by status, both from rma_milestones (one row per request, kept
// current at insert time; 0014).
//
// Incremental by request month: a run finds the requests whose milestones were touched
// since the previous run and rebuilds only their request months in both month-partitioned
// outputs (REPLACE PARTITION, atomic per month). The outputs are built in full only when
// one is empty, the job's rules changed (RULES_VERSION), e.g. on the first start, or an
// operator asked for a rebuild.
//
// touched_at is when an insert started, and its rows become visible when it ends, so a
// run reading max(touched_at) while an insert is in flight could later find rows below
// that watermark. A run therefore stores as its watermark the start of the oldest insert
// still running (one second earlier) when that is below max(touched_at); the next run
// reads from there. (Embedded chDB runs one query at a time, so there it is always
// max(touched_at); against a ClickHouse server inserts do run alongside.) A run that
// finds no new insert at all (the highest insert block number of rma_milestones has not
// moved; merges leave it alone) does nothing.
import { namedQuery, query, toChTime } from '../server/store/query.js'
import type { PipelineJob } from './job.js'
import { countRows, inStagedPasses, lastInsertBlock, REFRESH_SETTINGS, replaceMonths, snapshotMonths } from './snapshot.js'

const OUTPUTS = ['turnaround_daily', 'open_returns'] as const
/** 2: keep-it requests get the "no warehouse" group (turnaround-refresh.sql). */
const RULES_VERSION = 2

interface Mark { watermark: string; full_at: string; version: number; seen_block: number }

export const turnaroundJob: PipelineJob = {
  name: 'turnaround',
  schedule: '15 */2 * * * *',
  feedsKpis: true,
  async run({ client, asOf, rebuild }) {
    const [mark] = await query<Mark>(client, {
      query: "SELECT toString(watermark) AS watermark, toString(full_at) AS full_at, version, seen_block FROM pipeline_watermarks FINAL WHERE job = 'turnaround'",
      tag: 'job.turnaround.watermark',
    })
    // The block number first: an insert landing in between is seen again next run.
    const block = await lastInsertBlock(client, 'rma_milestones')
    const [{ until }] = await query<{ until: string }>(client, {
      query: 'SELECT toString(max(touched_at)) AS until FROM rma_milestones', tag: 'job.turnaround.until',
    })
    // After reading until: an insert still running now may have started before it.
    const [inflight] = await query<{ since: string | null }>(client, {
      query: "SELECT if(count() = 0, NULL, toString(now64(3) - toIntervalMillisecond(toUInt64(max(elapsed) * 1000) + 1000))) AS since FROM system.processes WHERE query_kind = 'Insert'",
      tag: 'job.turnaround.inflight',
    })
    const watermark = inflight?.since && inflight.since < until ? inflight.since : until
    const full = rebuild === true || !mark || Number(mark.version) < RULES_VERSION
      || (await countRows(client, 'turnaround_daily')) === 0 || (await countRows(client, 'open_returns')) === 0
    let months: number[] = []
    if (full) {
      await fill(client, asOf, { all: true, months: [] })
      months = await snapshotMonths(client, OUTPUTS)
    } else if (Number(mark.seen_block) !== block) {
      const touched = await query<{ month: number }>(client, {
        query: namedQuery('turnaround-months-touched'), params: { since: mark.watermark, until }, tag: 'job.turnaround.touched',
      })
      months = touched.map((t) => Number(t.month))
      if (months.length) await fill(client, asOf, { all: false, months })
    }
    if (months.length) await replaceMonths(client, OUTPUTS, months)
    await client.insert({
      table: 'pipeline_watermarks', format: 'JSONEachRow',
      values: [{ job: 'turnaround', watermark, full_at: full ? toChTime(asOf) : mark.full_at, updated_at: toChTime(asOf), version: RULES_VERSION, seen_block: block }],
    })
    return { rows: (await countRows(client, 'turnaround_daily')) + (await countRows(client, 'open_returns')), full }
  },
}

const FILLS = [
  { table: 'turnaround_daily', query: 'turnaround-refresh', milestones: 'turnaround-milestones' },
  { table: 'open_returns', query: 'open-returns-refresh', milestones: 'open-returns-milestones' },
] as const

type Client = Parameters<PipelineJob['run']>[0]['client']

/**
 * Fills both *_next twins: all requests, or those made in `months`. A full build reads
 * every request's milestones with FINAL, once per output (turnaround-milestones-all.sql,
 * open-returns-milestones-all.sql): 2.4 s each at 10 M, where GROUP BY took 5–7 s. An
 * incremental run merges the picked months' requests once into turnaround_requests_next
 * (GROUP BY over their ids; FINAL would merge all 10 M first) and both outputs read
 * that: two months took 3.9–4.0 s staged, 4.9–6.0 s grouped once per output.
 */
async function fill(client: Client, asOf: Date, params: { all: boolean; months: number[] }) {
  for (const { table } of FILLS) await client.command({ query: `TRUNCATE TABLE ${table}_next` })
  const asOfText = toChTime(asOf)
  const fillOutputs = async (source: 'all' | 'staged', months: number[]) => {
    for (const { query: name, milestones } of FILLS) {
      await client.command({
        query: namedQuery(name).replace('{{milestones}}', namedQuery(`${milestones}-${source}`)),
        query_params: { asOf: asOfText, months },
        clickhouse_settings: { ...REFRESH_SETTINGS, log_comment: `job.${name}.${source}` },
      })
    }
  }
  if (params.all) return fillOutputs('all', [])
  await inStagedPasses(client, 'turnaround_requests_next', params.months, async (months) => {
    await client.command({
      query: namedQuery('turnaround-requests-months'), query_params: { asOf: asOfText, months },
      clickhouse_settings: { ...REFRESH_SETTINGS, log_comment: 'job.turnaround-requests-months' },
    })
    await fillOutputs('staged', months)
  })
}
