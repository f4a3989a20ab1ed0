// Turnaround percentiles per request day, warehouse, resolution and stage, and the
// returns still open by status, both from rma_milestones (one row per request, kept
// current at insert time; 0014).
//
// Incremental by request month: a run finds the requests whose milestones were touched
// since the previous run and rebuilds only their request months in both month-partitioned
// outputs (REPLACE PARTITION, atomic per month). The outputs are built in full only when
// one is empty, the job's rules changed (RULES_VERSION), e.g. on the first start, or an
// operator asked for a rebuild. A full build runs in short passes, so dashboard reads get
// the embedded store between them, and goes live at once (EXCHANGE TABLES per output).
//
// touched_at is when an insert started, and its rows become visible when it ends, so a
// run reading max(touched_at) while an insert is in flight could later find rows below
// that watermark. A run therefore stores as its watermark the start of the oldest insert
// still running (one second earlier) when that is below max(touched_at); the next run
// reads from there. (Embedded chDB runs one query at a time, so there it is always
// max(touched_at); against a ClickHouse server inserts do run alongside.) A run that
// finds no new insert at all (the highest insert block number of rma_milestones has not
// moved; merges leave it alone) does nothing.
import { z } from 'zod'
import { namedQuery, query, toChTime } from '../server/store/query.js'
import type { PipelineJob } from './job.js'
import { betweenPasses, countRows, fillStatement, inStagedPasses, lastInsertBlock, replaceMonths, swapIn, truncate } from './snapshot.js'

const OUTPUTS = ['turnaround_daily', 'open_returns'] as const
/** 2: keep-it requests get the "no warehouse" group (turnaround-refresh.sql). */
const RULES_VERSION = 2

const MarkRow = z.object({ watermark: z.string(), full_at: z.string(), version: z.coerce.number(), seen_block: z.coerce.number() })
const UntilRow = z.object({ until: z.string() })
const SinceRow = z.object({ since: z.string().nullable() })
const MonthRow = z.object({ month: z.coerce.number() })
const BoundsRow = z.object({ rows: z.coerce.number(), ids: z.array(z.string()) })

export interface TurnaroundOptions {
  /**
   * Milestone rows a full build stages per pass (one range of rma_id): a tenth of a 10 M
   * store keeps a pass well under a second (the whole FINAL pass: docs/benchmarks.md).
   */
  requestsPerPass: number
}

export const DEFAULT_TURNAROUND_OPTIONS: TurnaroundOptions = { requestsPerPass: 1_000_000 }

export const turnaroundJob = turnaroundJobWith()

export function turnaroundJobWith(options: TurnaroundOptions = DEFAULT_TURNAROUND_OPTIONS): PipelineJob { return {
  name: 'turnaround',
  schedule: '15 */2 * * * *',
  feedsKpis: true,
  async run({ client, asOf, rebuild }) {
    const [mark] = await query(client, {
      query: namedQuery('pipeline-watermark'), params: { job: 'turnaround' }, tag: 'job.turnaround.watermark', schema: MarkRow,
    })
    // The block number first: an insert landing in between is seen again next run.
    const block = await lastInsertBlock(client, 'rma_milestones')
    const [{ until }] = await query(client, { query: namedQuery('rma-milestones-until'), tag: 'job.turnaround.until', schema: UntilRow })
    // After reading until: an insert still running now may have started before it.
    const [inflight] = await query(client, { query: namedQuery('inserts-in-flight-since'), tag: 'job.turnaround.inflight', schema: SinceRow })
    const watermark = inflight?.since && inflight.since < until ? inflight.since : until
    const full = rebuild === true || !mark || mark.version < RULES_VERSION
      || (await countRows(client, 'turnaround_daily')) === 0 || (await countRows(client, 'open_returns')) === 0
    if (full) {
      await buildInPasses(client, asOf, options.requestsPerPass)
      for (const table of OUTPUTS) await swapIn(client, table)
    } else if (mark.seen_block !== block) {
      const touched = await query(client, {
        query: namedQuery('turnaround-months-touched'), params: { since: mark.watermark, until }, tag: 'job.turnaround.touched', schema: MonthRow,
      })
      const months = touched.map((t) => t.month)
      if (months.length) {
        await fillMonths(client, asOf, months)
        await replaceMonths(client, OUTPUTS, months)
      }
    }
    await client.insert({
      table: 'pipeline_watermarks', format: 'JSONEachRow',
      values: [{ job: 'turnaround', watermark, full_at: full ? toChTime(asOf) : mark.full_at, updated_at: toChTime(asOf), version: RULES_VERSION, seen_block: block }],
    })
    return { rows: (await countRows(client, 'turnaround_daily')) + (await countRows(client, 'open_returns')), full }
  },
} }

/** Each output's fill statements: `${query}-${source}.sql` (full, staged, or all in one statement). */
const FILLS = [
  { table: 'turnaround_daily', query: 'turnaround-refresh' },
  { table: 'open_returns', query: 'open-returns-refresh' },
] as const

type Client = Parameters<PipelineJob['run']>[0]['client']

/** Fills both *_next twins' rows of `months` from milestones staged one way or another (`source`). */
async function fillOutputs(client: Client, asOf: Date, source: 'staged' | 'full', months: number[]) {
  for (const { query: name } of FILLS) {
    await betweenPasses(client)
    await fillStatement(client, `${name}-${source}`, `job.${name}.${source}`, { asOf: toChTime(asOf), months, month: months[0] ?? 0 })
  }
}

/**
 * Fills both *_next twins with the requests made in `months` (an incremental run): the
 * picked months' requests are merged once into turnaround_requests_next (GROUP BY over
 * their ids; FINAL would merge every request first) and both outputs read that, which is
 * faster than grouping once per output (docs/benchmarks.md).
 */
async function fillMonths(client: Client, asOf: Date, months: number[]) {
  for (const { table } of FILLS) await truncate(client, `${table}_next`)
  await inStagedPasses(client, 'turnaround_requests_next', months, async (picked) => {
    await fillStatement(client, 'turnaround-requests-months', 'job.turnaround-requests-months', { asOf: toChTime(asOf), months: picked })
    await fillOutputs(client, asOf, 'staged', picked)
  })
}

/**
 * Fills both *_next twins with every request, in passes short enough for dashboard reads
 * to run between them: first every request's milestones merged once into
 * turnaround_requests_full, one range of rma_id per pass (FINAL over that range only),
 * then both outputs one request month per pass from there. Every group of both outputs
 * (a request day or month) lies in one month, so the rows are those the one-statement
 * build (turnaround-milestones-all.sql, open-returns-milestones-all.sql) gives.
 */
export async function buildInPasses(client: Client, asOf: Date, requestsPerPass: number) {
  for (const { table } of FILLS) await truncate(client, `${table}_next`)
  await truncate(client, 'turnaround_requests_full')
  try {
    const [{ rows, ids }] = await query(client, {
      query: namedQuery('turnaround-requests-bounds'), params: { sample: SAMPLE }, tag: 'job.turnaround.bounds', schema: BoundsRow,
    })
    for (const [from, to] of keyRanges(ids, Math.ceil(rows / requestsPerPass))) {
      await betweenPasses(client)
      await fillStatement(client, 'turnaround-requests-range', 'job.turnaround-requests-range', { asOf: toChTime(asOf), from, to })
    }
    const months = await query(client, { query: namedQuery('turnaround-requests-full-months'), tag: 'job.turnaround.full-months', schema: MonthRow })
    for (const { month } of months) await fillOutputs(client, asOf, 'full', [month])
  } finally {
    await truncate(client, 'turnaround_requests_full')
  }
}

/** Request ids sampled to cut rma_id into ranges (turnaround-requests-bounds.sql). */
const SAMPLE = 10_000

/**
 * `parts` ranges [from, to) of about equal size from a sorted sample of the keys, covering
 * every key: the first starts at '' (below every id), the last has no end (to = '').
 */
export function keyRanges(sortedSample: string[], parts: number): [string, string][] {
  const cuts: string[] = []
  for (let i = 1; i < parts; i++) {
    const cut = sortedSample[Math.floor((i * sortedSample.length) / parts)]
    if (cut && cut > (cuts.at(-1) ?? '')) cuts.push(cut)
  }
  const starts = ['', ...cuts]
  return starts.map((from, i) => [from, cuts[i] ?? ''])
}
