// Cost and recovery of the latest decision per return line: logistics, handling,
// refunds, repair, recovery, net cost and the baseline policy's net cost (savings).
//
// Incremental by month: both snapshots are partitioned by toYYYYMM(day) (0015), and a
// run recomputes only the months whose decisions changed since the last run (a
// fingerprint per month in cost_months) plus the months of the decisions those changes
// supersede (looked up over every decision's month, decision_months: a re-decision can
// supersede a decision of any age), then swaps each month in with REPLACE PARTITION
// (atomic per partition). The snapshots are built in full only when one is empty, the
// job's rules changed (RULES_VERSION), e.g. on the first start, or an operator asked
// for a rebuild.
import { namedQuery, query, toChTime } from '../server/store/query.js'
import type { PipelineJob } from './job.js'
import { countRows, inStagedPasses, REFRESH_SETTINGS, replaceMonths, swapIn } from './snapshot.js'

const COST_TABLES = [
  { table: 'cost_daily', query: 'cost-refresh-daily' },
  { table: 'sku_costs', query: 'cost-refresh-sku' },
] as const

interface MonthState { month: number; decisions: string | number; stamp_sum: string | number; present: number | boolean; changed: number | boolean }

const monthStartMs = (yyyymm: number) => Date.UTC(Math.floor(yyyymm / 100), (yyyymm % 100) - 1, 1)
/** First instant of a yyyymm month, as DateTime64 text. */
const monthStart = (yyyymm: number) => toChTime(monthStartMs(yyyymm))

/** 1: cost_daily by reason too (0023; it feeds the flows job). */
const RULES_VERSION = 1

export const costRecoveryJob: PipelineJob = {
  name: 'cost-recovery',
  schedule: '45 */2 * * * *',
  feedsKpis: true,
  async run({ client, asOf, rebuild }) {
    const params = { asOf: toChTime(asOf) }
    const states = await query<MonthState>(client, { query: namedQuery('cost-months-changed'), params, tag: 'job.cost-months-changed' })
    const [mark] = await query<{ full_at: string; version: number }>(client, {
      query: "SELECT toString(full_at) AS full_at, version FROM pipeline_watermarks FINAL WHERE job = 'cost-recovery'",
      tag: 'job.cost-recovery.watermark',
    })
    const full = rebuild === true || !mark || Number(mark.version) < RULES_VERSION
      || (await countRows(client, 'cost_daily')) === 0 || (await countRows(client, 'sku_costs')) === 0
    if (full) {
      await fill(client, asOf, { all: true, months: [] })
      for (const { table } of COST_TABLES) await swapIn(client, table)
    } else {
      const changed = states.filter((s) => Boolean(Number(s.changed))).map((s) => Number(s.month))
      if (changed.length) {
        const superseded = await query<{ month: number }>(client, {
          query: namedQuery('cost-months-superseded'), tag: 'job.cost-months-superseded',
          params: { ...params, months: changed },
        })
        const months = [...new Set([...changed, ...superseded.map((s) => Number(s.month))])].sort((a, b) => a - b)
        await fill(client, asOf, { all: false, months })
        await replaceMonths(client, COST_TABLES.map((t) => t.table), months)
      }
    }
    // Remember what each month looked like (a month gone from decision_facts keeps a
    // zero row, so it is not seen as changed again).
    if (full || states.some((s) => Boolean(Number(s.changed)))) {
      await client.insert({
        table: 'cost_months', format: 'JSONEachRow',
        values: states.map((s) => ({
          month: Number(s.month), decisions: Boolean(Number(s.present)) ? String(s.decisions) : '0',
          stamp_sum: Boolean(Number(s.present)) ? String(s.stamp_sum) : '0', computed_at: toChTime(asOf),
        })),
      })
    }
    await client.insert({
      table: 'pipeline_watermarks', format: 'JSONEachRow',
      values: [{ job: 'cost-recovery', watermark: toChTime(asOf), full_at: full ? toChTime(asOf) : mark.full_at, updated_at: toChTime(asOf), version: RULES_VERSION }],
    })
    return { rows: (await countRows(client, 'cost_daily')) + (await countRows(client, 'sku_costs')), full }
  },
}

type Client = Parameters<PipelineJob['run']>[0]['client']

/**
 * Fills both *_next twins: every month, or `months`. A full build reads the current
 * decisions from decision_facts once per snapshot (cost-decisions.sql); staging all
 * of them would hold every decision in memory. An incremental run filters the months'
 * current decisions once into cost_decisions_next and both snapshots read that: two
 * months took 2.8–3.1 s staged against 3.7–3.9 s filtered once per snapshot.
 */
async function fill(client: Client, asOf: Date, params: { all: boolean; months: number[] }) {
  for (const { table } of COST_TABLES) await client.command({ query: `TRUNCATE TABLE ${table}_next` })
  const asOfText = toChTime(asOf)
  // since: the re-decisions that can supersede a decision of these months are made
  // from their first day on (the current-decision rule reads them from {since}).
  const fillSnapshots = async (source: 'cost-decisions' | 'cost-decisions-staged', months: number[], since: string) => {
    for (const { query: name } of COST_TABLES) {
      await client.command({
        query: namedQuery(name).replace('{{decisions}}', namedQuery(source)),
        query_params: { asOf: asOfText, all: params.all, months, since },
        clickhouse_settings: { ...REFRESH_SETTINGS, log_comment: `job.${name}.${source}` },
      })
    }
  }
  if (params.all) return fillSnapshots('cost-decisions', [], toChTime(0))
  await inStagedPasses(client, 'cost_decisions_next', params.months, async (months) => {
    const since = monthStart(months[0])
    await client.command({
      query: namedQuery('cost-decisions-months'), query_params: { asOf: asOfText, all: false, months, since },
      clickhouse_settings: { ...REFRESH_SETTINGS, log_comment: 'job.cost-decisions-months' },
    })
    await fillSnapshots('cost-decisions-staged', months, since)
  })
}
