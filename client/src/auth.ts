// The API key lives in localStorage: entered once (login screen or ?key= in the URL),
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
 * Takes `?key=…` from the address (the server prints such a ready URL at start-up),
 * stores it and removes it from the address bar and history so it is not bookmarked or shared.
 */
export function adoptKeyFromUrl(): void {
  const url = new URL(window.location.href)
  const key = url.searchParams.get('key')
  if (!key) return
  setApiKey(key.trim())
  url.searchParams.delete('key')
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
}
