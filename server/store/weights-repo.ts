// Versioned weights: every change is a new row (never an update), so the table is the audit trail.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { Policy, Weights, type WeightsVersion } from '../contracts/weights.js'
import { chTimeToIso, namedQuery, query, toChTime } from './query.js'

const Row = z.object({
  version: z.coerce.number().int(),
  author: z.string(),
  created_at: z.string(),
  comment: z.string(),
  weights: z.string(),
  policy: z.string(),
  diff: z.string(),
})

export type StoredWeightsVersion = WeightsVersion & { diff: Record<string, { from: unknown; to: unknown }> }

function fromRow(row: z.infer<typeof Row>): StoredWeightsVersion {
  return {
    version: row.version,
    author: row.author,
    createdAt: chTimeToIso(row.created_at),
    ...(row.comment ? { comment: row.comment } : {}),
    // Parsed leniently with defaults filled by the caller's schema: an older version
    // may lack a policy field added later.
    weights: Weights.parse(JSON.parse(row.weights)),
    policy: Policy.partial().parse(JSON.parse(row.policy)) as z.infer<typeof Policy>,
    diff: JSON.parse(row.diff || '{}'),
  }
}

export async function latestWeights(client: ClickHouseClient): Promise<StoredWeightsVersion | undefined> {
  const rows = await query(client, { query: namedQuery('weights-latest'), tag: 'weights.latest', schema: Row })
  return rows[0] && fromRow(rows[0])
}

export async function weightsVersion(client: ClickHouseClient, version: number): Promise<StoredWeightsVersion | undefined> {
  const rows = await query(client, {
    query: namedQuery('weights-version'), params: { version }, tag: 'weights.one', schema: Row,
  })
  return rows[0] && fromRow(rows[0])
}

export async function listWeightsVersions(client: ClickHouseClient, limit = 100): Promise<StoredWeightsVersion[]> {
  const rows = await query(client, {
    query: namedQuery('weights-list'), params: { limit }, tag: 'weights.list', schema: Row,
  })
  return rows.map(fromRow)
}

export async function insertWeightsVersion(client: ClickHouseClient, v: StoredWeightsVersion): Promise<void> {
  // A direct insert, not the batched writer: a weights change is rare and its answer
  // must mean "stored".
  await client.insert({
    table: 'weights_versions',
    format: 'JSONEachRow',
    values: [{
      version: v.version, author: v.author, created_at: toChTime(Date.parse(v.createdAt)), comment: v.comment ?? '',
      weights: JSON.stringify(v.weights), policy: JSON.stringify(v.policy), diff: JSON.stringify(v.diff),
    }],
  })
}
