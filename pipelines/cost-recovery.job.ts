// Cost and recovery of the latest decision per return line: logistics, handling,
// refunds, repair, recovery, net cost and the baseline policy's net cost (savings).
//
// Incremental by month: both snapshots are partitioned by toYYYYMM(day) (0015), and a
// run recomputes only the months whose decisions changed since the last run (a
// fingerprint per month in cost_months) plus the months of the decisions those changes
// supersede (looked up over all of decision_facts: a re-decision can supersede a
// decision of any age), then swaps each month in with REPLACE PARTITION (atomic per
// partition). The snapshots are built in full only when one is empty, the job's rules
// changed (RULES_VERSION), e.g. on the first start, or an operator asked for a rebuild.
import { namedQuery, query, toChTime } from '../server/store/query.js'
import type { PipelineJob } from './job.js'
import { countRows, refreshMonths, refreshSnapshot } from './snapshot.js'

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
      for (const { table, query: name } of COST_TABLES) {
        await refreshSnapshot(client, table, name, asOf, { all: true, months: [], since: toChTime(0) })
      }
    } else {
      const changed = states.filter((s) => Boolean(Number(s.changed))).map((s) => Number(s.month))
      if (changed.length) {
        const superseded = await query<{ month: number }>(client, {
          query: namedQuery('cost-months-superseded'), tag: 'job.cost-months-superseded',
          params: { ...params, months: changed },
        })
        const months = [...new Set([...changed, ...superseded.map((s) => Number(s.month))])].sort((a, b) => a - b)
        const since = monthStart(months[0])
        for (const { table, query: name } of COST_TABLES) await refreshMonths(client, table, name, asOf, months, { since })
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
