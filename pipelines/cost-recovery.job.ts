// Cost and recovery of the latest decision per return line: logistics, handling,
// refunds, repair, recovery, net cost and the baseline policy's net cost (savings).
//
// Incremental by month: the snapshots are partitioned by month (0015, 0092), and a
// run recomputes only the months whose decisions changed since the last run (a
// fingerprint per month in cost_months) plus the months of the decisions those changes
// supersede (looked up over every decision's month, decision_months: a re-decision can
// supersede a decision of any age), then swaps each month in with REPLACE PARTITION
// (atomic per partition). The snapshots are built in full only when one is empty, the
// job's rules changed (RULES_VERSION), e.g. on the first start, or an operator asked
// for a rebuild. A full build runs month by month in short statements, so dashboard reads
// get the embedded store between them, and goes live at once (EXCHANGE TABLES).
import { z } from 'zod'
import { namedQuery, query, toChTime } from '../server/store/query.js'
import type { PipelineJob } from './job.js'
import { betweenPasses, countRows, fillStatement, inStagedPasses, replaceMonths, swapIn, truncate } from './snapshot.js'

/**
 * Each snapshot's fill statements: `${query}-staged.sql` (or `-all` in one statement),
 * run in this order in each pass: sku_cost_months sums the pass's months of
 * sku_costs_next, so it comes after sku_costs.
 */
const COST_TABLES = [
  { table: 'cost_daily', query: 'cost-refresh-daily' },
  { table: 'sku_costs', query: 'cost-refresh-sku' },
  { table: 'sku_cost_months', query: 'cost-refresh-sku-months' },
] as const

/** A month's fingerprint now and whether it changed (cost-months-changed.sql); sums stay text (UInt64/UInt128). */
const MonthState = z.object({
  month: z.coerce.number(), decisions: z.union([z.string(), z.number()]), stamp_sum: z.union([z.string(), z.number()]),
  present: z.union([z.number(), z.boolean()]), changed: z.union([z.number(), z.boolean()]),
})
const MarkRow = z.object({ full_at: z.string(), version: z.coerce.number() })
const MonthRow = z.object({ month: z.coerce.number() })

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
    const states = await query(client, { query: namedQuery('cost-months-changed'), params, tag: 'job.cost-months-changed', schema: MonthState })
    const [mark] = await query(client, {
      query: namedQuery('pipeline-watermark'), params: { job: 'cost-recovery' }, tag: 'job.cost-recovery.watermark', schema: MarkRow,
    })
    const full = rebuild === true || !mark || mark.version < RULES_VERSION
      || (await countRows(client, 'cost_daily')) === 0 || (await countRows(client, 'sku_costs')) === 0
      || (await countRows(client, 'sku_cost_months')) === 0
    if (full) {
      const months = states.filter((s) => Boolean(Number(s.present))).map((s) => Number(s.month)).sort((a, b) => a - b)
      await fill(client, asOf, { all: true, months })
      for (const { table } of COST_TABLES) await swapIn(client, table)
    } else {
      const changed = states.filter((s) => Boolean(Number(s.changed))).map((s) => Number(s.month))
      if (changed.length) {
        const superseded = await query(client, {
          query: namedQuery('cost-months-superseded'), tag: 'job.cost-months-superseded',
          params: { ...params, months: changed }, schema: MonthRow,
        })
        const months = [...new Set([...changed, ...superseded.map((s) => s.month)])].sort((a, b) => a - b)
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
 * Fills the *_next twins with the current decisions of `months`, staged into
 * cost_decisions_next and read by cost_daily's and sku_costs' rules (faster than
 * filtering them from decision_facts once per snapshot: docs/benchmarks.md), and
 * sku_cost_months summed from the pass's months of sku_costs_next. An incremental
 * run stages a few months a pass; a full build (`all`: `months` are every month with
 * decisions) stages one month a pass, so each statement is short and dashboard reads run
 * between them. Every group of the snapshots (a day, a month) lies in one month, and a full
 * build's rule reads every re-decision (since the epoch, as cost-decisions.sql with {all}
 * does in one statement), so its rows are those of the one-statement build.
 */
async function fill(client: Client, asOf: Date, params: { all: boolean; months: number[] }) {
  for (const { table } of COST_TABLES) await truncate(client, `${table}_next`)
  const asOfText = toChTime(asOf)
  // since: the re-decisions that can supersede a decision of these months are made
  // from their first day on (the current-decision rule reads them from {since}).
  const fillSnapshots = async (months: number[], since: string) => {
    for (const { query: name } of COST_TABLES) {
      await betweenPasses(client)
      await fillStatement(client, `${name}-staged`, `job.${name}.staged`, { asOf: asOfText, all: false, months, since })
    }
  }
  await inStagedPasses(client, 'cost_decisions_next', params.months, async (months) => {
    const since = params.all ? toChTime(0) : monthStart(months[0])
    await fillStatement(client, 'cost-decisions-months', 'job.cost-decisions-months', { asOf: asOfText, all: false, months, since })
    await fillSnapshots(months, since)
  }, params.all ? 1 : undefined)
}
