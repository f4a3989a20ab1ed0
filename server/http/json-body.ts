// The JSON body parser. Like Fastify's own it refuses keys that could reach an object's
// prototype (`__proto__`, and `constructor` holding a `prototype`) — but it says so,
// naming the key and where it is, instead of calling the body invalid JSON.
import { errorCodes, type FastifyInstance } from 'fastify'

export class ForbiddenKeyError extends Error {
  readonly statusCode = 400
  readonly code = 'forbidden_key'
  constructor(readonly key: string, readonly path: string) {
    super(`the body contains a forbidden key ${key}${path ? ` at ${path}` : ''}; remove it`)
  }
}

/** Where a forbidden key is (dot path, the key last), or undefined. Iterative: no stack limit on deep bodies. */
export function findForbiddenKey(value: unknown): { key: string; path: string } | undefined {
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: [] }]
  while (stack.length) {
    const { v, path } = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key]
      if (key === '__proto__') return { key, path: [...path, key].join('.') }
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        return { key: 'constructor.prototype', path: [...path, key, 'prototype'].join('.') }
      }
      if (typeof child === 'object' && child !== null) stack.push({ v: child, path: [...path, key] })
    }
  }
  return undefined
}

export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY()
  }
  // Only a text that could hold such a key (also written with \u escapes) is walked.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) {
    const found = findForbiddenKey(value)
    if (found) throw new ForbiddenKeyError(found.key, found.path)
  }
  return value
}

/** @param ownParsing routes that take the text and parse it themselves (json-array.ts) */
export function registerJsonParser(app: FastifyInstance, ownParsing: (url: string | undefined) => boolean, keep: (text: string) => unknown): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (ownParsing(req.routeOptions.url)) return done(null, keep(body as string))
    try {
      done(null, parseJsonBody(body as string))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}
