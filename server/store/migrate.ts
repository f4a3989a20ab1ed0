// Forward-only migration runner: applies sql/migrations/NNNN_name.sql in order and
// records each in schema_migrations. Statements use IF NOT EXISTS, so a migration
// interrupted half-way is simply applied again on the next start.
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { ClickHouseClient } from '@clickhouse/client'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url))

export interface AppliedMigration { name: string; checksum: string }

/** Splits a migration into statements on `;` at the end of a line, ignoring `--` comment lines. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n')
  return withoutComments.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean)
}

export async function migrate(client: ClickHouseClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations
      (name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = MergeTree ORDER BY name`,
  })
  const rs = await client.query({ query: 'SELECT name, checksum FROM schema_migrations', format: 'JSONEachRow' })
  const applied = new Map((await rs.json<AppliedMigration>()).map((m) => [m.name, m.checksum]))
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort()
  const newlyApplied: string[] = []
  for (const file of files) {
    const sql = await readFile(new URL(file, `file://${dir.endsWith('/') ? dir : dir + '/'}`), 'utf8')
    const checksum = createHash('sha256').update(sql).digest('hex').slice(0, 16)
    const known = applied.get(file)
    if (known !== undefined) {
      // A landed migration is never edited: say so loudly instead of silently drifting.
      if (known !== checksum) console.warn(`migration ${file} changed after it was applied (checksum ${known} → ${checksum})`)
      continue
    }
    for (const statement of splitStatements(sql)) await client.command({ query: statement })
    await client.insert({ table: 'schema_migrations', values: [{ name: file, checksum }], format: 'JSONEachRow' })
    newlyApplied.push(file)
  }
  return newlyApplied
}

export async function pendingMigrations(client: ClickHouseClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort()
  const rs = await client.query({ query: 'SELECT name FROM schema_migrations', format: 'JSONEachRow' })
  const applied = new Set((await rs.json<{ name: string }>()).map((m) => m.name))
  return files.filter((f) => !applied.has(f))
}
