// DATA_DIR holds the store and the API keys: readable by the server's user only.
import { chmodSync, mkdirSync } from 'node:fs'

/**
 * Creates `dir` (and missing parents) with mode 0700, and narrows an existing one to
 * 0700: a data dir made by an older version was 0755. Files inside are made 0600 by the
 * process umask (main.ts); the dir's mode alone already keeps other users out.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}
