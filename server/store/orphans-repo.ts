// Orphaned decisions: stored for an event that raw_events does not hold (its request was
// refused after the decisions' write, or the process died between the two writes).
// Finding them after a restart, and removing them with everything the views derived from
// them (sql/queries/orphans-*.sql); server/ingest/orphan-rollback.ts decides when.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { latestCheckpoints } from './checkpoint-repo.js'
import { command, namedQuery, query } from './query.js'

/** The decisions of one or more events, as a rollback needs them. */
export interface DecisionsToRollBack {
  decisionIds: Set<string>
  rmaIds: Set<string>
  trackingTokens: Set<string>
}

export const noDecisions = (): DecisionsToRollBack => ({ decisionIds: new Set(), rmaIds: new Set(), trackingTokens: new Set() })

/** Adds a decision to its event's refs in `byEvent` (a token of '' is none). */
export function addDecisionRef(byEvent: Map<string, DecisionsToRollBack>, eventId: string, decisionId: string, rmaId: string, trackingToken: string): void {
  let refs = byEvent.get(eventId)
  if (!refs) byEvent.set(eventId, (refs = noDecisions()))
  refs.decisionIds.add(decisionId)
  refs.rmaIds.add(rmaId)
  if (trackingToken) refs.trackingTokens.add(trackingToken)
}

/** Adds every ref of `from` to `into`. */
export function addRefs(into: DecisionsToRollBack, from: DecisionsToRollBack): void {
  for (const id of from.decisionIds) into.decisionIds.add(id)
  for (const id of from.rmaIds) into.rmaIds.add(id)
  for (const t of from.trackingTokens) into.trackingTokens.add(t)
}

const OrphanRow = z.object({ event_id: z.string(), decision_id: z.string(), rma_id: z.string(), tracking_token: z.string() })
const IdRow = z.object({ event_id: z.string() })
const TAG = 'orphans'

/** Orphans stored at or after `cutMs` (a checkpoint's cut; 0 for all), by event. */
export async function orphansAfter(client: ClickHouseClient, cutMs: number): Promise<Map<string, DecisionsToRollBack>> {
  return byEvent(await query(client, { query: namedQuery('orphans-after-cut'), params: { cutMs }, tag: `${TAG}.after-cut`, schema: OrphanRow }))
}

/**
 * Where a start searches for orphans from: the cut of the newest checkpoint stored, even
 * one this server cannot load (another snapshot format or network, chunks missing). No
 * checkpoint is stored while a rollback is pending (orphan-rollback.ts), so none is
 * older; 0 (every decision) when none was ever stored.
 */
export async function orphanSearchStart(client: ClickHouseClient): Promise<number> {
  const [newest] = await latestCheckpoints(client, 1)
  return newest?.cut.receivedAtMs ?? 0
}

/** Which of `eventIds` raw_events holds. */
export async function storedEventIds(client: ClickHouseClient, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set()
  const rows = await query(client, { query: namedQuery('dedupe-stored-ids'), params: { ids: eventIds }, tag: `${TAG}.stored`, schema: IdRow })
  return new Set(rows.map((r) => r.event_id))
}

/** The decisions stored for `eventIds` at or after `sinceMs` (their arrival), by event. */
export async function decisionsOfEvents(client: ClickHouseClient, eventIds: string[], sinceMs: number): Promise<Map<string, DecisionsToRollBack>> {
  if (eventIds.length === 0) return new Map()
  const rows = await query(client, {
    query: namedQuery('orphans-of-events'), params: { events: eventIds, sinceMs }, tag: `${TAG}.of-events`, schema: OrphanRow,
  })
  return byEvent(rows)
}

/**
 * Deletes the decisions and what the views derived from them. Each statement is
 * idempotent and the rows of decisions go last, so a rollback that fails half-way is
 * run again with the same refs (the caller keeps them: a second lookup no longer finds
 * the rows already deleted).
 */
export async function deleteDecisions(client: ClickHouseClient, refs: DecisionsToRollBack): Promise<void> {
  if (refs.decisionIds.size === 0) return
  const ids = [...refs.decisionIds]
  const rmas = [...refs.rmaIds]
  const tokens = [...refs.trackingTokens]
  await run(client, 'orphans-delete-tasks', { ids })
  await run(client, 'orphans-delete-supersessions', { ids })
  if (tokens.length) await run(client, 'orphans-delete-tracking-tokens', { tokens })
  await run(client, 'orphans-delete-facts', { rmas, ids })
  await run(client, 'orphans-delete-decisions', { rmas, ids })
  if (tokens.length) await run(client, 'orphans-restore-tracking-tokens', { rmas, tokens })
}

/** Rebuilds the milestones of `rmaIds` from the sources as they are now (idempotent). */
export async function rebuildMilestones(client: ClickHouseClient, rmaIds: ReadonlySet<string>): Promise<void> {
  if (rmaIds.size === 0) return
  const rmas = [...rmaIds]
  await run(client, 'orphans-delete-milestones', { rmas })
  await run(client, 'orphans-rebuild-milestones-requests', { rmas })
  await run(client, 'orphans-rebuild-milestones-status', { rmas })
  await run(client, 'orphans-rebuild-milestones-route', { rmas })
}

function run(client: ClickHouseClient, name: string, params: Record<string, unknown>): Promise<void> {
  return command(client, { query: namedQuery(name), params, tag: `${TAG}.${name}` })
}

function byEvent(rows: z.infer<typeof OrphanRow>[]): Map<string, DecisionsToRollBack> {
  const grouped = new Map<string, DecisionsToRollBack>()
  for (const r of rows) addDecisionRef(grouped, r.event_id, r.decision_id, r.rma_id, r.tracking_token)
  return grouped
}
