// The API key lives in localStorage: entered once (login screen or #key= in the URL),
// sent as a Bearer token and as the Socket.IO auth. No cookies, so no CSRF surface.
import { ref } from 'vue'

const STORAGE_KEY = 'revnav.apiKey'

function readKey(): string | null {
  try { return localStorage.getItem(STORAGE_KEY) } catch { return null }
}

export const apiKey = ref<string | null>(readKey())

export function setApiKey(key: string | null): void {
  apiKey.value = key
  try {
    if (key) localStorage.setItem(STORAGE_KEY, key)
    else localStorage.removeItem(STORAGE_KEY)
  } catch { /* storage unavailable: the key lives for this tab only */ }
}

/**
 * The key in a ready URL and the URL without it. The server prints `/#key=…`: a fragment
 * never leaves the browser, so the key reaches no server log or proxy. `?key=…` (links
 * printed by older versions) is still accepted, and removed all the same.
 */
export function takeKeyFromUrl(href: string): { key: string | null; rest: string } {
  const url = new URL(href)
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''))
  const key = fragment.get('key') ?? url.searchParams.get('key')
  if (key === null) return { key: null, rest: url.pathname + url.search + url.hash }
  url.searchParams.delete('key')
  fragment.delete('key')
  const hash = fragment.toString()
  return { key: key.trim() || null, rest: url.pathname + url.search + (hash ? `#${hash}` : '') }
}

/** Takes the key from the address, stores it and removes it from the address bar and history. */
export function adoptKeyFromUrl(): void {
  const { key, rest } = takeKeyFromUrl(window.location.href)
  if (key === null) return
  if (key) setApiKey(key)
  window.history.replaceState(window.history.state, '', rest)
}
