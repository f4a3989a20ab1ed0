// The one ClickHouse client factory. Embedded (chDB in-process) or remote is decided
// here and nowhere else; everything above talks to @clickhouse/client's interface.
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'
import type { Config } from '../config.js'
import { ensurePrivateDir } from './private-dir.js'
import { embeddedRowSink, remoteRowSink, type ChdbRawInsert, type RowSink } from './row-sink.js'

export interface StoreClient {
  client: ClickHouseClient
  kind: 'embedded' | 'remote'
  database: string
  /** Where the batched writer's encoded rows go (row-sink.ts). */
  rows: RowSink
  close(): Promise<void>
}

// Inserts are batched by our own writer, so server-side async inserts would only add
// a second buffer and delay the durable acknowledgement. chDB enables them by default.
const CLICKHOUSE_SETTINGS = {
  async_insert: 0,
  date_time_input_format: 'best_effort',
  output_format_json_quote_64bit_integers: 0,
} as const

/**
 * Settings a kind of statement runs with, on top of the client's own (passed as
 * `settings` to query.ts's command()).
 */
export const SETTING_PROFILES = {
  /**
   * A snapshot rebuild (INSERT … SELECT into a *_next twin): big refreshes must not take
   * the whole machine, so memory per query is capped and a large GROUP BY spills to disk
   * instead of failing. Such an insert sorts and writes its parts on one thread unless
   * told otherwise, which is a sizeable share of a full build (docs/benchmarks.md).
   */
  refresh: {
    max_memory_usage: '6000000000',
    max_bytes_before_external_group_by: '2000000000',
    optimize_aggregation_in_order: 1,
    max_insert_threads: String(availableParallelism()),
  },
  /** REPLACE PARTITION from a twin with no rows of that month empties the live month. */
  replaceFromEmpty: { allow_replace_partition_from_empty_source: 1 } as ClickHouseSettings,
} as const satisfies Record<string, ClickHouseSettings>

export type SettingProfile = keyof typeof SETTING_PROFILES

export async function openStore(config: Pick<Config, 'DATA_DIR' | 'CLICKHOUSE_URL' | 'CLICKHOUSE_USER' | 'CLICKHOUSE_PASSWORD' | 'CLICKHOUSE_DATABASE'>): Promise<StoreClient> {
  const database = config.CLICKHOUSE_DATABASE
  if (config.CLICKHOUSE_URL) {
    const bootstrap = createClient({ url: config.CLICKHOUSE_URL, username: config.CLICKHOUSE_USER, password: config.CLICKHOUSE_PASSWORD })
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` })
    await bootstrap.close()
    const client = createClient({
      url: config.CLICKHOUSE_URL, username: config.CLICKHOUSE_USER, password: config.CLICKHOUSE_PASSWORD,
      database, clickhouse_settings: CLICKHOUSE_SETTINGS, request_timeout: 120_000,
    })
    return { client, kind: 'remote', database, rows: remoteRowSink(client), close: () => client.close() }
  }
  // chdb is loaded lazily so a remote deployment never loads the 500 MB native library.
  const { createChdbConnection } = await import('chdb/connection')
  ensurePrivateDir(config.DATA_DIR)
  const path = resolve(config.DATA_DIR, 'clickhouse')
  ensurePrivateDir(path)
  const connection = createChdbConnection({ path })
  const client = createClient({ connection, clickhouse_settings: CLICKHOUSE_SETTINGS } as Parameters<typeof createClient>[0])
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` })
  // chDB has one session per process: the database is selected once for the session.
  await client.command({ query: `USE ${database}` })
  const rows = embeddedRowSink(connection.chdb as unknown as ChdbRawInsert, CLICKHOUSE_SETTINGS)
  return { client, kind: 'embedded', database, rows, close: () => client.close() }
}
