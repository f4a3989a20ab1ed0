// Operator changes of node capacity: append-only logs, the latest per node (and kind) wins.
// Bench hours in capacity_changes; inspections, outlet units and the vendor's RTV quota in
// capacity_limit_changes.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { namedQuery, query, toChTime } from './query.js'

export interface CapacityChange { nodeId: string; repairBenchHoursPerDay: number; author: string; changedAt: Date }

/** The limits besides bench hours an operator sets per node. */
export const LIMIT_KINDS = ['inspectionsPerDay', 'outletUnitsPerDay', 'rtvUnitsPerPeriod'] as const
export type LimitKind = (typeof LIMIT_KINDS)[number]
export interface LimitChange { nodeId: string; kind: LimitKind; value: number; author: string; changedAt: Date }

export async function insertCapacityChange(client: ClickHouseClient, change: CapacityChange): Promise<void> {
  await client.insert({
    table: 'capacity_changes', format: 'JSONEachRow',
    values: [{ node_id: change.nodeId, repair_bench_hours_per_day: change.repairBenchHoursPerDay, author: change.author, changed_at: toChTime(change.changedAt) }],
  })
}

export async function insertLimitChanges(client: ClickHouseClient, changes: readonly LimitChange[]): Promise<void> {
  if (!changes.length) return
  await client.insert({
    table: 'capacity_limit_changes', format: 'JSONEachRow',
    values: changes.map((c) => ({ node_id: c.nodeId, kind: c.kind, value: c.value, author: c.author, changed_at: toChTime(c.changedAt) })),
  })
}

export async function latestCapacities(client: ClickHouseClient): Promise<{ nodeId: string; hours: number }[]> {
  const rows = await query(client, { query: namedQuery('capacity-latest'), tag: 'capacity.latest', schema: z.object({ node_id: z.string(), hours: z.coerce.number() }) })
  return rows.map((r) => ({ nodeId: r.node_id, hours: Number(r.hours) }))
}

export async function latestLimits(client: ClickHouseClient): Promise<{ nodeId: string; kind: LimitKind; value: number }[]> {
  const rows = await query(client, { query: namedQuery('capacity-limits-latest'), tag: 'capacity.limits', schema: z.object({ node_id: z.string(), kind: z.string(), value: z.coerce.number() }) })
  return rows.filter((r) => (LIMIT_KINDS as readonly string[]).includes(r.kind)).map((r) => ({ nodeId: r.node_id, kind: r.kind as LimitKind, value: Number(r.value) }))
}
