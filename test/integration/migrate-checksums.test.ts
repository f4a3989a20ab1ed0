// The migration runner refuses a store whose applied migrations differ from their files,
// before it applies anything, except for the earlier versions it knows a store may hold.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { ChangedMigrationError, EARLIER_VERSIONS, migrate, MIGRATIONS_DIR } from '../../server/store/migrate.js'

let dir: string
let migrations: string
let store: StoreClient

const tables = async () => {
  const rs = await store.client.query({ query: 'SELECT name FROM system.tables WHERE database = currentDatabase()', format: 'JSONEachRow' })
  return (await rs.json<{ name: string }>()).map((t) => t.name)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-migrate-'))
  migrations = join(dir, 'migrations')
  mkdirSync(migrations)
  cpSync(join(MIGRATIONS_DIR, '0001_raw_events.sql'), join(migrations, '0001_raw_events.sql'))
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
  expect(await migrate(store.client, migrations)).toEqual(['0001_raw_events.sql'])
}, 120_000)

afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('migrate on a store that applied a migration', () => {
  it('starts when the files are as applied', async () => {
    expect(await migrate(store.client, migrations)).toEqual([])
  })

  it('refuses, naming the file, when an applied migration was edited, and applies nothing', async () => {
    appendFileSync(join(migrations, '0001_raw_events.sql'), '-- an edit after it landed\n')
    writeFileSync(join(migrations, '0002_later.sql'), 'CREATE TABLE IF NOT EXISTS later_table (x UInt8) ENGINE = MergeTree ORDER BY x;\n')
    const attempt = migrate(store.client, migrations)
    await expect(attempt).rejects.toBeInstanceOf(ChangedMigrationError)
    await expect(attempt).rejects.toThrow(/migration 0001_raw_events\.sql changed after it was applied/)
    expect(await tables()).not.toContain('later_table')
  })

  it('starts on a store that applied the first 0017, which 0019 heals', async () => {
    rmSync(join(migrations, '0002_later.sql'))
    cpSync(join(MIGRATIONS_DIR, '0001_raw_events.sql'), join(migrations, '0001_raw_events.sql'))
    cpSync(join(MIGRATIONS_DIR, '0017_line_views_parse_once.sql'), join(migrations, '0017_line_views_parse_once.sql'))
    // What a store that applied 0017 before its correction recorded.
    const [firstVersion] = Object.keys(EARLIER_VERSIONS['0017_line_views_parse_once.sql'])
    await store.client.insert({ table: 'schema_migrations', values: [{ name: '0017_line_views_parse_once.sql', checksum: firstVersion }], format: 'JSONEachRow' })
    expect(await migrate(store.client, migrations)).toEqual([])
  })

  it('refuses a checksum of 0017 that is no version it ever had', async () => {
    await store.client.command({ query: "ALTER TABLE schema_migrations DELETE WHERE name = '0017_line_views_parse_once.sql'", clickhouse_settings: { mutations_sync: '1' } })
    await store.client.insert({ table: 'schema_migrations', values: [{ name: '0017_line_views_parse_once.sql', checksum: '0123456789abcdef' }], format: 'JSONEachRow' })
    await expect(migrate(store.client, migrations)).rejects.toThrow(/0017_line_views_parse_once\.sql changed after it was applied/)
  })
})
