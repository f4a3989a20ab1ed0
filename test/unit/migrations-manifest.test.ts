// A landed migration is never edited, renamed or deleted (a fix is a new migration), and
// every migration is recorded in sql/migrations-manifest.json with the sha256 of its bytes.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, appendFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { appendNewMigrations, compareWithManifest, readManifest, sha256 } from '../../scripts/migrations-manifest.mjs'
import { EARLIER_VERSIONS } from '../../server/store/migrate.js'

const DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url))
const manifest = readManifest(fileURLToPath(new URL('../../sql/migrations-manifest.json', import.meta.url)))

describe('the migrations manifest', () => {
  it('records the landed migrations', () => {
    expect(Object.keys(manifest)).toContain('0001_raw_events.sql')
    expect(Object.keys(manifest)).toContain('0029_category_reasons_daily.sql')
  })

  it('matches every landed migration byte for byte, and none is gone', () => {
    const { changed, missing } = compareWithManifest(DIR, manifest)
    expect(changed, `landed migrations were edited: ${changed.join(', ')}. A landed migration is never edited: restore it `
      + 'from git and put the fix in a new migration').toEqual([])
    expect(missing, `landed migrations were deleted or renamed: ${missing.join(', ')}. Restore them from git`).toEqual([])
  })

  it('knows every migration in sql/migrations', () => {
    const { added } = compareWithManifest(DIR, manifest)
    expect(Object.keys(added), `migrations not in sql/migrations-manifest.json: ${Object.keys(added).join(', ')}. `
      + 'Run `npm run migrations:manifest` (scripts/migrations-manifest.mjs) to append them').toEqual([])
  })
})

describe('the earlier versions migrate accepts', () => {
  it('name landed migrations, and none is the current version', () => {
    for (const [file, versions] of Object.entries(EARLIER_VERSIONS)) {
      expect(manifest, `${file} is not a landed migration`).toHaveProperty([file])
      // The store records the first 16 hex digits of the sha256.
      expect(Object.keys(versions)).not.toContain(manifest[file].slice(0, 16))
      for (const checksum of Object.keys(versions)) expect(checksum).toMatch(/^[0-9a-f]{16}$/)
    }
  })
})

describe('scripts/migrations-manifest.mjs', () => {
  let dir: string | undefined
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = undefined })

  /** Three landed migrations and their manifest, made by the script, to change. */
  const landed = () => {
    dir = mkdtempSync(join(tmpdir(), 'revnav-manifest-'))
    writeFileSync(join(dir, '0001_a.sql'), 'CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = Memory;\n')
    writeFileSync(join(dir, '0002_b.sql'), 'CREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = Memory;\n')
    writeFileSync(join(dir, '0003_c.sql'), 'CREATE TABLE IF NOT EXISTS c (x UInt8) ENGINE = Memory;\n')
    const manifestPath = join(dir, 'manifest.json')
    expect(appendNewMigrations(dir, manifestPath)).toEqual(['0001_a.sql', '0002_b.sql', '0003_c.sql'])
    return { dir, manifestPath, before: readFileSync(manifestPath, 'utf8') }
  }

  it('appends a new migration and leaves the recorded ones as they are', () => {
    const { dir, manifestPath, before } = landed()
    writeFileSync(join(dir, '0004_d.sql'), 'CREATE TABLE IF NOT EXISTS d (x UInt8) ENGINE = Memory;\n')
    expect(appendNewMigrations(dir, manifestPath)).toEqual(['0004_d.sql'])
    const after = readManifest(manifestPath)
    expect(Object.keys(after)).toEqual(['0001_a.sql', '0002_b.sql', '0003_c.sql', '0004_d.sql'])
    for (const [file, sum] of Object.entries(JSON.parse(before) as Record<string, string>)) expect(after[file]).toBe(sum)
    expect(after['0004_d.sql']).toBe(sha256(readFileSync(join(dir, '0004_d.sql'))))
    expect(appendNewMigrations(dir, manifestPath)).toEqual([])
  })

  it('refuses to rewrite the entry of a landed migration that changed, and writes nothing', () => {
    const { dir, manifestPath, before } = landed()
    appendFileSync(join(dir, '0002_b.sql'), '-- an edit\n')
    writeFileSync(join(dir, '0004_d.sql'), 'SELECT 1;\n')
    expect(() => appendNewMigrations(dir, manifestPath)).toThrow(/0002_b\.sql changed after it landed/)
    expect(readFileSync(manifestPath, 'utf8')).toBe(before)
  })

  it('refuses when a landed migration was deleted or renamed', () => {
    const { dir, manifestPath, before } = landed()
    unlinkSync(join(dir, '0001_a.sql'))
    renameSync(join(dir, '0002_b.sql'), join(dir, '0002_bb.sql'))
    expect(() => appendNewMigrations(dir, manifestPath)).toThrow(/0001_a\.sql is in the manifest[\s\S]*0002_b\.sql is in the manifest/)
    expect(readFileSync(manifestPath, 'utf8')).toBe(before)
  })
})
