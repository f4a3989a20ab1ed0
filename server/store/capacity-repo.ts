// Operator changes of repair bench capacity: an append-only log, latest per node wins.
import type { ClickHouseClient } from '@clickhouse/client'
import { query, toChTime } from './query.js'

export interface CapacityChange { nodeId: string; repairBenchHoursPerDay: number; author: string; changedAt: Date }

export async function insertCapacityChange(client: ClickHouseClient, change: CapacityChange): Promise<void> {
  await client.insert({
    table: 'capacity_changes', format: 'JSONEachRow',
    values: [{ node_id: change.nodeId, repair_bench_hours_per_day: change.repairBenchHoursPerDay, author: change.author, changed_at: toChTime(change.changedAt) }],
  })
}

export async function latestCapacities(client: ClickHouseClient): Promise<{ nodeId: string; hours: number }[]> {
  const rows = await query<{ node_id: string; hours: number }>(client, {
    query: 'SELECT node_id, argMax(repair_bench_hours_per_day, changed_at) AS hours FROM capacity_changes GROUP BY node_id',
    tag: 'capacity.latest',
  })
  return rows.map((r) => ({ nodeId: r.node_id, hours: Number(r.hours) }))
}
