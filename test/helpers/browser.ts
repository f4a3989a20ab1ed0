// What the browser tests share: finding Debian's Chromium, and a client build that is
// current. Several e2e files run in parallel forks, so the build is taken under a lock
// directory: one fork builds, the others wait and then see it is current.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const SHOTS = join(ROOT, 'test/e2e/screenshots')
const DIST_INDEX = join(ROOT, 'dist/client/index.html')
const BUILD_LOCK = join(ROOT, '.tmp/client-build.lock')

export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const p = join(dir, name)
      if (dir && existsSync(p)) return p
    }
  }
  return undefined
}

/** Newest modification time under a path (files only). */
function newest(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let max = 0
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)))
  return max
}

const isCurrent = () => {
  const built = existsSync(DIST_INDEX) ? statSync(DIST_INDEX).mtimeMs : 0
  return built > Math.max(newest(join(ROOT, 'client')), newest(join(ROOT, 'vite.config.ts')), newest(join(ROOT, 'server/contracts')))
}

/** Builds the client unless dist/client is newer than every source it is built from. */
export async function ensureClientBuilt(): Promise<void> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  const deadline = Date.now() + 180_000
  for (;;) {
    if (isCurrent()) return
    try {
      mkdirSync(BUILD_LOCK) // atomic: only one fork gets it
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`another test holds ${BUILD_LOCK} for too long`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  try {
    if (!isCurrent()) execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 })
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true })
  }
}
