// The typed read helper every read goes through: JSONEachRow, bound parameters
// ({name:Type} placeholders, never concatenated values) and a log_comment tag so a slow
// query in system.query_log names its feature.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client'
import type { z } from 'zod'
import { countedRead } from './reads-in-flight.js'

export interface QueryArgs<T> {
  query: string
  params?: Record<string, unknown>
  tag: string
  /** Optional row schema: turns Int64 strings and DateTime strings into numbers and dates. */
  schema?: z.ZodType<T>
}

/** Tags of the pipeline jobs' own reads (`job.…`): a job does not wait for itself. */
const JOB_TAG = /^job\./

export async function query<T = Record<string, unknown>>(client: ClickHouseClient, args: QueryArgs<T>): Promise<T[]> {
  return JOB_TAG.test(args.tag) ? run(client, args) : countedRead(client, () => run(client, args))
}

async function run<T>(client: ClickHouseClient, args: QueryArgs<T>): Promise<T[]> {
  const rs = await client.query({
    query: args.query,
    query_params: args.params,
    format: 'JSONEachRow',
    clickhouse_settings: { log_comment: args.tag },
  })
  const rows = await rs.json<T>()
  return args.schema ? rows.map((r) => args.schema!.parse(r)) : rows
}

/**
 * The one String value of a one-row, one-column query as raw text (TabSeparatedRaw: no
 * escaping and no JSON around it), for a long stored text such as a checkpoint's chunk;
 * '' when there is no row. The value must hold no tab or newline of its own. Not counted
 * among the dashboard's reads in flight: it runs on start, before the server takes requests.
 */
export async function queryRawText(client: ClickHouseClient, args: Omit<QueryArgs<never>, 'schema'>): Promise<string> {
  const rs = await client.query({
    query: args.query,
    query_params: args.params,
    format: 'TabSeparatedRaw',
    clickhouse_settings: { log_comment: args.tag },
  })
  const text = await rs.text()
  // The row's terminator is not part of the value.
  return text.endsWith('\n') ? text.slice(0, -1) : text
}

export interface CommandArgs {
  query: string
  params?: Record<string, unknown>
  tag: string
  /** A setting profile of the client factory (SETTING_PROFILES in client.ts). */
  settings?: ClickHouseSettings
}

/** A statement that returns no rows (INSERT … SELECT, TRUNCATE, ALTER), tagged like a read. */
export async function command(client: ClickHouseClient, args: CommandArgs): Promise<void> {
  await client.command({
    query: args.query,
    query_params: args.params,
    clickhouse_settings: { ...args.settings, log_comment: args.tag },
  })
}

/**
 * A read streamed row by row (a restart's replay: too many rows to hold at once), each
 * row parsed by `schema`. Not counted among the dashboard's reads in flight: it runs
 * before the server takes requests.
 */
export async function streamQuery<T>(
  client: ClickHouseClient, args: Required<Pick<QueryArgs<T>, 'query' | 'tag' | 'schema'>> & Pick<QueryArgs<T>, 'params'>,
  onRow: (row: T) => void,
): Promise<void> {
  const rs = await client.query({
    query: args.query, query_params: args.params, format: 'JSONEachRow', clickhouse_settings: { log_comment: args.tag },
  })
  for await (const rows of rs.stream()) {
    for (const row of rows) onRow(args.schema.parse(row.json()))
  }
}

const QUERIES_DIR = fileURLToPath(new URL('../../sql/queries/', import.meta.url))
const cache = new Map<string, string>()

/**
 * Text of a named statement in sql/queries/<name>.sql (read once, then cached). The
 * token `{{include:other}}` stands for the text of sql/queries/other.sql, so a rule or a
 * column list several statements must apply alike (the visibility of a decision, the
 * columns a Decision is decoded from) is written once. It is the only way SQL text is
 * put together: values are bound parameters ({name:Type}), and a table name that varies
 * is a bound {name:Identifier} taken from a closed list of constants (pipelines/snapshot.ts).
 */
export function namedQuery(name: string): string {
  let sql = cache.get(name)
  if (sql === undefined) {
    if (!/^[\w-]+$/.test(name)) throw new Error(`bad query name ${name}`)
    sql = expandIncludes(readFileSync(`${QUERIES_DIR}${name}.sql`, 'utf8'))
    cache.set(name, sql)
  }
  return sql
}

/** `sql` with each `{{include:name}}` token replaced by sql/queries/name.sql (see namedQuery). */
export function expandIncludes(sql: string): string {
  return sql.replace(/\{\{include:([\w-]+)\}\}/g, (_, included: string) => stripComments(namedQuery(included)))
}

/** An included fragment without its leading comment lines (the includer explains it). */
const stripComments = (sql: string) => sql.split('\n').filter((l) => !l.startsWith('--')).join('\n').trim()

/** ClickHouse DateTime64 text ('2026-11-26 03:31:57.123') → ISO 8601 UTC. */
export function chTimeToIso(value: string): string {
  return value.includes('T') ? value : `${value.replace(' ', 'T')}Z`
}

/** A Date → the DateTime64(3) text ClickHouse parses without ambiguity. */
export function toChTime(date: Date | number): string {
  return new Date(date).toISOString().replace('T', ' ').replace('Z', '')
}
