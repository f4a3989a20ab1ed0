// The bid-prices job's outputs: the prices of each solve (bid_prices) and one row per
// solve with its size, time and capacity-efficiency KPI (bid_price_solves).
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { chTimeToIso, namedQuery, query, toChTime } from './query.js'

export interface PriceRow { kind: string; scope: string; slot: string; price: number }
export interface SolveRow {
  solvedAt: Date; runId: string; columns: number; rows: number; solveMs: number; prices: number
  lines: number; bound: number; realised: number; efficiency: number | null
}

export async function insertBidPrices(client: ClickHouseClient, solvedAt: Date, runId: string, prices: readonly PriceRow[]): Promise<void> {
  if (!prices.length) return
  await client.insert({ table: 'bid_prices', format: 'JSONEachRow', values: prices.map((p) => ({ solved_at: toChTime(solvedAt.getTime()), run_id: runId, ...p })) })
}

export async function insertSolve(client: ClickHouseClient, s: SolveRow): Promise<void> {
  await client.insert({
    table: 'bid_price_solves', format: 'JSONEachRow',
    values: [{
      solved_at: toChTime(s.solvedAt.getTime()), run_id: s.runId, columns: s.columns, rows: s.rows, solve_ms: s.solveMs,
      prices: s.prices, lines: s.lines, bound: s.bound, realised: s.realised, efficiency: s.efficiency,
    }],
  })
}

const LatestRow = z.object({
  solved_at: z.string(), columns: z.coerce.number(), rows: z.coerce.number(), solve_ms: z.coerce.number(), prices: z.coerce.number(),
  lines: z.coerce.number(), bound: z.coerce.number(), realised: z.coerce.number(), efficiency: z.coerce.number().nullable(),
})

export interface LatestSolve { solvedAt: string; columns: number; rows: number; solveMs: number; prices: number; lines: number; bound: number; realised: number; efficiency: number | null }

export async function latestSolve(client: ClickHouseClient): Promise<LatestSolve | null> {
  const [r] = await query(client, { query: namedQuery('bid-price-solve-latest'), tag: 'bid-prices.latest', schema: LatestRow })
  if (!r) return null
  return { solvedAt: chTimeToIso(r.solved_at), columns: r.columns, rows: r.rows, solveMs: r.solve_ms, prices: r.prices, lines: r.lines, bound: r.bound, realised: r.realised, efficiency: r.efficiency }
}
