// What of a request goes into the log. A `key` query parameter (the dashboard's old
// `/?key=…` links) is a secret and is replaced before the URL is logged.
import type { FastifyRequest } from 'fastify'

const SECRET_PARAMS = new Set(['key'])

/** `url` with the value of every secret query parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const hash = url.indexOf('#', q)
  const query = url.slice(q + 1, hash < 0 ? undefined : hash)
  const redacted = query.split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    let name = rawName
    try { name = decodeURIComponent(rawName.replace(/\+/g, ' ')) } catch { /* malformed: compare as sent */ }
    return SECRET_PARAMS.has(name.toLowerCase()) ? `${rawName}=[redacted]` : pair
  }).join('&')
  return `${url.slice(0, q)}?${redacted}${hash < 0 ? '' : url.slice(hash)}`
}

/** Fastify's default request serializer with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}
