// Turnaround per stage, per warehouse and per resolution over request days.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { floatOrNull, int, text } from '../columns.js'
import { namedQuery, query } from '../query.js'
import { num, round } from './numbers.js'
import type { DayRange } from './window.js'

export interface TurnaroundStat { stage: string; n: number; avgHours: number | null; p50Hours: number | null; p90Hours: number | null; p99Hours: number | null }
export interface Turnaround {
  from: string
  to: string
  stages: TurnaroundStat[]
  /**
   * receivingNodeId is null for the two groups that are no warehouse: 'none' (the latest
   * decision sends nothing back and nothing was received, e.g. keep-it) and 'unknown'
   * (neither a decision nor a status names a node).
   */
  byWarehouse: (TurnaroundStat & { receivingNodeId: string | null; warehouse: 'node' | 'none' | 'unknown' })[]
  byResolution: (TurnaroundStat & { resolution: string })[]
}

export const STAGES = ['request_to_made_whole', 'request_to_received', 'received_to_inspected', 'inspected_to_resolved'] as const

/** turnaround_daily's node column: a node id, '' for no warehouse, 'unknown' (turnaround-refresh.sql). */
function warehouseKey(key: string): { receivingNodeId: string | null; warehouse: 'node' | 'none' | 'unknown' } {
  if (key === '') return { receivingNodeId: null, warehouse: 'none' }
  if (key === 'unknown') return { receivingNodeId: null, warehouse: 'unknown' }
  return { receivingNodeId: key, warehouse: 'node' }
}

// avg_hours is a division and q the merged t-digest quantiles (p50, p90, p99): null
// where a group has no requests.
const StageRow = z.object({ stage: text, n: int, avg_hours: floatOrNull, q: z.array(floatOrNull) })
const BreakdownRow = StageRow.extend({ breakdown: z.enum(['all', 'warehouse', 'resolution']), key: text })

/** Per-stage turnaround only (no breakdowns), for the KPIs. */
export async function readTurnaroundStages(client: ClickHouseClient, p: DayRange): Promise<TurnaroundStat[]> {
  const rows = await query(client, {
    query: namedQuery('turnaround-stages'), params: { from: p.from, to: p.to }, tag: 'api.kpis.turnaround', schema: StageRow,
  })
  return rows.filter((r) => r.n > 0).map(stat)
}

function stat(r: z.infer<typeof StageRow>): TurnaroundStat {
  return {
    stage: r.stage, n: r.n, avgHours: round(num(r.avg_hours), 2),
    p50Hours: round(r.q[0], 2), p90Hours: round(r.q[1], 2), p99Hours: round(r.q[2], 2),
  }
}

export async function readTurnaround(client: ClickHouseClient, p: DayRange & { node?: string; resolution?: string }): Promise<Turnaround> {
  const rows = await query(client, {
    query: namedQuery('turnaround-read'),
    params: { from: p.from, to: p.to, node: p.node ?? '', resolution: p.resolution ?? '' },
    tag: 'api.turnaround',
    schema: BreakdownRow,
  })
  const stageOrder = (s: string) => { const i = STAGES.indexOf(s as never); return i < 0 ? STAGES.length : i }
  const sorted = rows.filter((r) => r.n > 0).sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage) || b.n - a.n || a.key.localeCompare(b.key))
  return {
    from: p.from, to: p.to,
    stages: sorted.filter((r) => r.breakdown === 'all').map(stat),
    byWarehouse: sorted.filter((r) => r.breakdown === 'warehouse').map((r) => ({ ...stat(r), ...warehouseKey(r.key) })),
    byResolution: sorted.filter((r) => r.breakdown === 'resolution').map((r) => ({ ...stat(r), resolution: r.key })),
  }
}
