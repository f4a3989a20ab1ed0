// Reason → resolution → disposition flows for the sankey.
import type { ClickHouseClient } from '@clickhouse/client'
import { namedQuery, query } from '../query.js'
import { num } from './numbers.js'
import type { AnalyticsWindow } from './window.js'

export interface FlowsView { window: AnalyticsWindow; nodes: { name: string }[]; links: { source: string; target: string; value: number }[] }

export async function readFlows(client: ClickHouseClient, win: AnalyticsWindow): Promise<FlowsView> {
  const links = (await query<{ source: string; target: string; value: number }>(client, { query: namedQuery('flows-read'), params: { win }, tag: 'api.flows' }))
    .map((l) => ({ source: l.source, target: l.target, value: num(l.value) }))
  const names = new Set<string>()
  for (const l of links) { names.add(l.source); names.add(l.target) }
  const layer = (n: string) => ['reason', 'resolution', 'disposition'].indexOf(n.slice(0, n.indexOf(':')))
  return { window: win, nodes: [...names].sort((a, b) => layer(a) - layer(b) || a.localeCompare(b)).map((name) => ({ name })), links }
}
