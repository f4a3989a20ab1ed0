// Reason → resolution → disposition flows for the sankey.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { int, text } from '../columns.js'
import { namedQuery, query } from '../query.js'
import type { AnalyticsWindow, DayRange } from './window.js'

/** A rolling window, or 'custom' for a day range (then from and to are set). */
export interface FlowsView {
  window: AnalyticsWindow | 'custom'
  from?: string
  to?: string
  nodes: { name: string }[]
  links: { source: string; target: string; value: number }[]
}

const LinkRow = z.object({ source: text, target: text, value: int })

/** The flows of a rolling window (the flows job's snapshot), or of a day range read live (flows-range.sql). */
export async function readFlows(client: ClickHouseClient, win: AnalyticsWindow, range?: DayRange): Promise<FlowsView> {
  const read = range
    ? query(client, { query: namedQuery('flows-range'), params: { ...range }, tag: 'api.flows.range', schema: LinkRow })
    : query(client, { query: namedQuery('flows-read'), params: { win }, tag: 'api.flows', schema: LinkRow })
  const links = (await read).map((l) => ({ source: l.source, target: l.target, value: l.value }))
  const names = new Set<string>()
  for (const l of links) { names.add(l.source); names.add(l.target) }
  const layer = (n: string) => ['reason', 'resolution', 'disposition'].indexOf(n.slice(0, n.indexOf(':')))
  const nodes = [...names].sort((a, b) => layer(a) - layer(b) || a.localeCompare(b)).map((name) => ({ name }))
  return { ...(range ? { window: 'custom' as const, from: range.from, to: range.to } : { window: win }), nodes, links }
}
