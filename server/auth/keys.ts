// API keys with one role each. Keys are looked up by their SHA-256, so the comparison
// never runs over the secret itself byte by byte.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { Role, ROLES } from '../contracts/enums.js'
import { ensurePrivateDir } from '../store/private-dir.js'

export interface ApiKey { role: Role; key: string }

const KeysFile = z.object({ keys: z.array(z.object({ role: Role, key: z.string().min(16) })).min(1) })

/** Which roles satisfy a required role. Ingest keys can only send events. */
const GRANTS: Record<Role, readonly Role[]> = {
  ingest: ['ingest', 'admin'],
  viewer: ['viewer', 'operator', 'admin'],
  operator: ['operator', 'admin'],
  admin: ['admin'],
}

export function roleSatisfies(have: Role, need: Role): boolean {
  return GRANTS[need].includes(have)
}

export function parseApiKeys(value: string): ApiKey[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => {
    const i = pair.indexOf(':')
    const role = Role.safeParse(pair.slice(0, i))
    const key = pair.slice(i + 1)
    if (i < 0 || !role.success || key.length < 8) throw new Error(`API_KEYS: "${pair.slice(0, 12)}…" is not role:key with a role of ${ROLES.join('|')} and a key of 8+ characters`)
    return { role: role.data, key }
  })
}

/** Keys from API_KEYS, else from DATA_DIR/keys.json, else generated once into it. */
export function resolveApiKeys(apiKeys: string | undefined, dataDir: string): { keys: ApiKey[]; generated: boolean; file?: string } {
  if (apiKeys) return { keys: parseApiKeys(apiKeys), generated: false }
  const file = join(dataDir, 'keys.json')
  if (existsSync(file)) return { keys: KeysFile.parse(JSON.parse(readFileSync(file, 'utf8'))).keys, generated: false, file }
  const keys = ROLES.map((role) => ({ role, key: `rn_${role}_${randomBytes(18).toString('base64url')}` }))
  ensurePrivateDir(dataDir)
  writeFileSync(file, JSON.stringify({ keys }, null, 2) + '\n', { mode: 0o600 })
  return { keys, generated: true, file }
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex')

export class KeyRing {
  private readonly byDigest: Map<string, Role>
  constructor(keys: ApiKey[]) {
    this.byDigest = new Map(keys.map((k) => [digest(k.key), k.role]))
  }
  roleOf(key: string | undefined): Role | undefined {
    return key ? this.byDigest.get(digest(key)) : undefined
  }
}

/** The key from `Authorization: Bearer <key>`. */
export function bearerKey(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)\s*$/i)
  return m?.[1]
}
