// Forward-only migration runner: applies sql/migrations/NNNN_name.sql in order and
// records each in schema_migrations with a checksum of its text. Statements use IF NOT
// EXISTS, so a migration interrupted half-way is simply applied again on the next start.
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { command, namedQuery, query } from './query.js'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url))

const AppliedRow = z.object({ name: z.string(), checksum: z.string() })
export type AppliedMigration = z.infer<typeof AppliedRow>

/** The migrations this store applied (schema_migrations), with the checksums it applied. */
export function appliedMigrations(client: ClickHouseClient): Promise<AppliedMigration[]> {
  return query(client, { query: namedQuery('schema-migrations-applied'), tag: 'migrate.applied', schema: AppliedRow })
}

/** Splits a migration into statements on `;` at the end of a line, ignoring `--` comment lines. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n')
  return withoutComments.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean)
}

/**
 * Versions of landed migrations that were replaced in the file before landed migrations
 * were frozen (sql/migrations-manifest.json), keyed by the checksum a store records. A
 * store that applied one of them still starts: what it holds works with the current code
 * (each entry says how it differs), or a later migration converges it. Any other difference
 * is refused. The list
 * is closed: a migration edited from now on is a bug to undo, not a version to add here.
 */
export const EARLIER_VERSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '0002_typed_event_tables.sql': {
    a005d9266c921e43: 'the same line views, extracting the payload\'s lines twice; returns_by_rma also kept a payload copy no read uses',
  },
  '0017_line_views_parse_once.sql': { '5f912551af5e6922': '0019 recreates its views in the current spelling' },
  '0028_cost_decisions_staging.sql': { c4c8335db25050ed: 'the same Memory scratch table, its columns spelled out' },
  '0029_category_reasons_daily.sql': {
    e8a23619c759301f: 'the lookup view also took upserts that keep a category (a larger Join table, the same lookups); a backfill of the same history',
    '5333c6d140fffd3d': 'the same tables and views; a backfill of the same history, written as the reconciliation\'s difference',
    '2a3bf1e852b9fe73': 'the same statements; its header comment reflowed',
  },
}

/** A migration this store applied differs from its file: the store and the code disagree. */
export class ChangedMigrationError extends Error {
  constructor(readonly file: string, readonly applied: string, readonly current: string) {
    super(`migration ${file} changed after it was applied to this store (checksum ${applied}, the file now ${current}). `
      + `A landed migration is never edited: restore sql/migrations/${file} as it was and put the change in a new migration.`)
    this.name = 'ChangedMigrationError'
  }
}

const checksumOf = (sql: string) => createHash('sha256').update(sql).digest('hex').slice(0, 16)

/**
 * Applies the migrations this store has not applied yet. Refuses (ChangedMigrationError,
 * before applying anything) when an applied migration's file is not what the store applied.
 */
export async function migrate(client: ClickHouseClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  await command(client, { query: namedQuery('schema-migrations-create'), tag: 'migrate.bookkeeping' })
  const applied = new Map((await appliedMigrations(client)).map((m) => [m.name, m.checksum]))
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort()
  const dirUrl = `file://${dir.endsWith('/') ? dir : dir + '/'}`
  const migrations = await Promise.all(files.map(async (file) => {
    const sql = await readFile(new URL(file, dirUrl), 'utf8')
    return { file, sql, checksum: checksumOf(sql) }
  }))
  for (const { file, checksum } of migrations) {
    const known = applied.get(file)
    if (known !== undefined && known !== checksum && EARLIER_VERSIONS[file]?.[known] === undefined) {
      throw new ChangedMigrationError(file, known, checksum)
    }
  }
  const newlyApplied: string[] = []
  for (const { file, sql, checksum } of migrations) {
    if (applied.has(file)) continue
    for (const statement of splitStatements(sql)) await client.command({ query: statement })
    await client.insert({ table: 'schema_migrations', values: [{ name: file, checksum }], format: 'JSONEachRow' })
    newlyApplied.push(file)
  }
  return newlyApplied
}

export async function pendingMigrations(client: ClickHouseClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort()
  const applied = new Set((await appliedMigrations(client)).map((m) => m.name))
  return files.filter((f) => !applied.has(f))
}
