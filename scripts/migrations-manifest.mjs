// Adds the migrations that are not yet in sql/migrations-manifest.json to it, each with the
// sha256 of its bytes. A landed migration is never edited (a fix is a new migration), so
// this only ever appends: it refuses to run when a recorded file's bytes changed or the
// file is gone, and then writes nothing. It lives beside sql/migrations/, not in it: that
// folder holds only landed migrations, so adding one changes no file already there.
//
//   npm run migrations:manifest
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const MIGRATION_FILE = /^\d{4}_[\w-]+\.sql$/

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')

export function readManifest(manifestPath) {
  return existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {}
}

/**
 * Compares the migration files in `dir` with the manifest: `changed` and `missing` are
 * landed migrations that were edited or deleted/renamed, `added` the files not yet recorded.
 */
export function compareWithManifest(dir, manifest) {
  const files = readdirSync(dir).filter((f) => MIGRATION_FILE.test(f)).sort()
  const changed = []
  const missing = []
  const added = {}
  for (const [file, recorded] of Object.entries(manifest)) {
    if (!files.includes(file)) { missing.push(file); continue }
    if (sha256(readFileSync(join(dir, file))) !== recorded) changed.push(file)
  }
  for (const file of files) if (!(file in manifest)) added[file] = sha256(readFileSync(join(dir, file)))
  return { changed, missing, added }
}

/** Appends the new migrations to the manifest; throws (writing nothing) if a landed one changed or is gone. */
export function appendNewMigrations(dir, manifestPath) {
  const manifest = readManifest(manifestPath)
  const { changed, missing, added } = compareWithManifest(dir, manifest)
  if (changed.length > 0 || missing.length > 0) {
    throw new Error([
      ...changed.map((f) => `${f} changed after it landed: restore it (git checkout -- sql/migrations/${f}) and put the fix in a new migration`),
      ...missing.map((f) => `${f} is in the manifest but not in sql/migrations: a landed migration is never deleted or renamed`),
      'migrations-manifest.json not written',
    ].join('\n'))
  }
  const names = Object.keys(added)
  if (names.length > 0) {
    const next = Object.fromEntries(Object.entries({ ...manifest, ...added }).sort(([a], [b]) => a.localeCompare(b)))
    writeFileSync(manifestPath, JSON.stringify(next, null, 2) + '\n')
  }
  return names
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../sql/migrations/', import.meta.url))
  try {
    const names = appendNewMigrations(dir, fileURLToPath(new URL('../sql/migrations-manifest.json', import.meta.url)))
    console.log(names.length > 0 ? `migrations-manifest.json: added ${names.join(', ')}` : 'migrations-manifest.json: nothing new')
  } catch (err) {
    console.error(err.message)
    process.exit(1)
  }
}
