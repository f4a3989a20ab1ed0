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
// for a rebuild. A full build runs month by month in short statements, so dashboard reads
// get the embedded store between them, and goes live at once (EXCHANGE TABLES).
import { namedQuery, query, toChTime } from '../server/store/query.js'
import type { PipelineJob } from './job.js'
import { betweenPasses, countRows, inStagedPasses, REFRESH_SETTINGS, replaceMonths, swapIn } from './snapshot.js'

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
      const months = states.filter((s) => Boolean(Number(s.present))).map((s) => Number(s.month)).sort((a, b) => a - b)
      await fill(client, asOf, { all: true, months })
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
 * Fills both *_next twins with the current decisions of `months`, staged into
 * cost_decisions_next and read by both snapshots (filtering them once per snapshot from
 * decision_facts took 3.7–3.9 s for two months at 10 M, staged 2.8–3.1 s). An incremental
 * run stages a few months a pass; a full build (`all`: `months` are every month with
 * decisions) stages one month a pass, so each statement is short and dashboard reads run
 * between them. Every group of both snapshots (a day) lies in one month, and a full
 * build's rule reads every re-decision (since the epoch, as cost-decisions.sql with {all}
 * does in one statement), so its rows are those of the one-statement build.
 */
async function fill(client: Client, asOf: Date, params: { all: boolean; months: number[] }) {
  for (const { table } of COST_TABLES) await client.command({ query: `TRUNCATE TABLE ${table}_next` })
  const asOfText = toChTime(asOf)
  // since: the re-decisions that can supersede a decision of these months are made
  // from their first day on (the current-decision rule reads them from {since}).
  const fillSnapshots = async (months: number[], since: string) => {
    for (const { query: name } of COST_TABLES) {
      await betweenPasses(client)
      await client.command({
        query: namedQuery(name).replace('{{decisions}}', namedQuery('cost-decisions-staged')),
        query_params: { asOf: asOfText, all: false, months, since },
        clickhouse_settings: { ...REFRESH_SETTINGS, log_comment: `job.${name}.staged` },
      })
    }
  }
  await inStagedPasses(client, 'cost_decisions_next', params.months, async (months) => {
    const since = params.all ? toChTime(0) : monthStart(months[0])
    await client.command({
      query: namedQuery('cost-decisions-months'), query_params: { asOf: asOfText, all: false, months, since },
      clickhouse_settings: { ...REFRESH_SETTINGS, log_comment: 'job.cost-decisions-months' },
    })
    await fillSnapshots(months, since)
  }, params.all ? 1 : undefined)
}
