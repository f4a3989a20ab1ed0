// Typed fetch helper: Bearer key, JSON in and out, failures thrown as ApiError with the
// HTTP status and the server's own message.
import { apiKey } from './auth'

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body?: unknown) {
    super(message)
    this.name = 'ApiError'
  }
}

type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body?: unknown
  query?: Query
  /** false for the public tracking endpoint: no key, and a 401 must not log anyone out. */
  auth?: boolean
  signal?: AbortSignal
  /** Use this key instead of the stored one (the login screen checks a key before storing it). */
  key?: string
}

let unauthorizedHandler: (() => void) | null = null
/** Registered by main.ts (router lives there) to send the user back to the login screen. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

function messageOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>
    for (const k of ['message', 'error']) if (typeof b[k] === 'string' && b[k]) return b[k] as string
  }
  if (typeof body === 'string' && body.trim()) return body.slice(0, 300)
  return fallback
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const useAuth = opts.auth !== false
  const key = opts.key ?? apiKey.value
  if (useAuth && key) headers.authorization = `Bearer ${key}`
  if (opts.body !== undefined) headers['content-type'] = 'application/json'

  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    })
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new ApiError(0, (err as Error).message || 'network error')
  }

  const text = await res.text()
  let body: unknown = undefined
  if (text) {
    try { body = JSON.parse(text) } catch { body = text }
  }
  if (!res.ok) {
    if (res.status === 401 && useAuth && !opts.key) unauthorizedHandler?.()
    throw new ApiError(res.status, messageOf(body, `${res.status} ${res.statusText}`), body)
  }
  return body as T
}
