// The bid-prices job's outputs: the prices of each solve (bid_prices) and one row per
// solve with its size, time and capacity-efficiency KPI (bid_price_solves).
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { chTimeToIso, namedQuery, query, toChTime } from './query.js'

export interface PriceRow { kind: string; scope: string; slot: string; price: number }
export interface SolveRow {
  solvedAt: Date; runId: string; columns: number; rows: number; solveMs: number
  /** CPU time of the process over the same span as solveMs (HiGHS runs on the JS thread). */
  solveCpuMs: number; prices: number
  lines: number; bound: number; realised: number; efficiency: number | null
  /** Wishes turned away over the KPI's lines: by their decisions, and by the hindsight LP. */
  wishesLost: number; hindsightWishesLost: number | null
  /** The same lines first come first served (capacity-efficiency.ts greedyReplay): Σ score and wishes turned away. */
  greedyScore: number | null; greedyWishesLost: number | null
}

export async function insertBidPrices(client: ClickHouseClient, solvedAt: Date, runId: string, prices: readonly PriceRow[]): Promise<void> {
  if (!prices.length) return
  await client.insert({ table: 'bid_prices', format: 'JSONEachRow', values: prices.map((p) => ({ solved_at: toChTime(solvedAt.getTime()), run_id: runId, ...p })) })
}

export async function insertSolve(client: ClickHouseClient, s: SolveRow): Promise<void> {
  await client.insert({
    table: 'bid_price_solves', format: 'JSONEachRow',
    values: [{
      solved_at: toChTime(s.solvedAt.getTime()), run_id: s.runId, columns: s.columns, rows: s.rows, solve_ms: s.solveMs, solve_cpu_ms: s.solveCpuMs,
      prices: s.prices, lines: s.lines, bound: s.bound, realised: s.realised, efficiency: s.efficiency,
      wishes_lost: s.wishesLost, hindsight_wishes_lost: s.hindsightWishesLost,
      greedy_score: s.greedyScore, greedy_wishes_lost: s.greedyWishesLost,
    }],
  })
}

const SolveSchema = z.object({
  solved_at: z.string(), columns: z.coerce.number(), rows: z.coerce.number(), solve_ms: z.coerce.number(), solve_cpu_ms: z.coerce.number().nullable(), prices: z.coerce.number(),
  lines: z.coerce.number(), bound: z.coerce.number(), realised: z.coerce.number(), efficiency: z.coerce.number().nullable(),
  wishes_lost: z.coerce.number().nullable(), hindsight_wishes_lost: z.coerce.number().nullable(),
  greedy_score: z.coerce.number().nullable(), greedy_wishes_lost: z.coerce.number().nullable(),
})

export interface SolveView {
  solvedAt: string; columns: number; rows: number; solveMs: number
  /** Null on solves recorded before it was measured. */
  solveCpuMs: number | null; prices: number; lines: number; bound: number; realised: number
  efficiency: number | null
  /** (realised − bound) / lines: money-equivalent score per line the best use in hindsight would have saved; null without lines. */
  gapPerLine: number | null
  wishesLost: number | null; hindsightWishesLost: number | null
  /**
   * First come first served over the same lines: bound / its score (as efficiency), what
   * the decisions saved over it per line (money-equivalent score; negative: they did
   * worse), and the wishes it turned away. Null on solves recorded before it was measured.
   */
  greedyEfficiency: number | null; savedVsGreedyPerLine: number | null; greedyWishesLost: number | null
}

function solveView(r: z.infer<typeof SolveSchema>): SolveView {
  return {
    solvedAt: chTimeToIso(r.solved_at), columns: r.columns, rows: r.rows, solveMs: r.solve_ms, solveCpuMs: r.solve_cpu_ms, prices: r.prices, lines: r.lines,
    bound: r.bound, realised: r.realised, efficiency: r.efficiency,
    gapPerLine: r.lines > 0 && r.efficiency !== null ? Math.max(0, r.realised - r.bound) / r.lines : null,
    wishesLost: r.wishes_lost, hindsightWishesLost: r.hindsight_wishes_lost,
    // As efficiency is (capacity-efficiency.ts efficiencyOf): bound / score within [0, 1].
    greedyEfficiency: r.greedy_score !== null && r.greedy_score > 0 && r.efficiency !== null ? Math.max(0, Math.min(1, r.bound / r.greedy_score)) : null,
    savedVsGreedyPerLine: r.greedy_score !== null && r.lines > 0 ? (r.greedy_score - r.realised) / r.lines : null,
    greedyWishesLost: r.greedy_wishes_lost,
  }
}

export async function latestSolve(client: ClickHouseClient): Promise<SolveView | null> {
  const [r] = await query(client, { query: namedQuery('bid-price-solve-latest'), tag: 'bid-prices.latest', schema: SolveSchema })
  return r ? solveView(r) : null
}

/** Solves since `since`, oldest first, at most `limit`. */
export async function solvesSince(client: ClickHouseClient, since: Date, limit: number): Promise<SolveView[]> {
  const rows = await query(client, { query: namedQuery('bid-price-solves-since'), params: { since: toChTime(since), limit }, tag: 'bid-prices.solves', schema: SolveSchema })
  return rows.map(solveView)
}

export interface PricePoint { solvedAt: string; kind: 'bench' | 'inspection' | 'outlet'; scope: string; day: number; price: number }

const PriceSchema = z.object({
  solved_at: z.string(), kind: z.enum(['bench', 'inspection', 'outlet']), scope: z.string(), day: z.coerce.number(), price: z.coerce.number(),
})

/** The daily slots' prices each solve since `since` published, for local days fromDay–toDay. */
export async function priceHistory(client: ClickHouseClient, since: Date, fromDay: number, toDay: number, limit: number): Promise<PricePoint[]> {
  const rows = await query(client, {
    query: namedQuery('bid-price-history'), params: { since: toChTime(since), fromDay, toDay, limit }, tag: 'bid-prices.history', schema: PriceSchema,
  })
  return rows.map((r) => ({ solvedAt: chTimeToIso(r.solved_at), kind: r.kind, scope: r.scope, day: r.day, price: r.price }))
}
