// A JSON body of events read a slice at a time. JSON.parse of a 10,000-event array is one
// call that holds the event loop for as long as it takes (tens of ms per MB on a busy
// machine); here the array's top level is scanned for its elements, between yields, and
// each element is parsed on its own. Same answers as parsing the whole text: a body that
// is not valid JSON is refused whole, a forbidden key is named with its path.
import { errorCodes } from 'fastify'
import { singleEventBody, UnreadableBodyError, type RawItem } from '../ingest/body.js'
import type { CpuSlicer } from '../ingest/cpu-slices.js'
import { MAX_EVENTS_PER_REQUEST } from '../contracts/events.js'
import { findForbiddenKey, ForbiddenKeyError, parseJsonBody } from './json-body.js'

/** The unparsed text of a JSON body, for a route that parses it itself (the events route). */
export class JsonText {
  constructor(readonly text: string) {}
}

const invalid = () => new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY()
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])
const SCAN_CHECK_EVERY = 1 << 16

function parseElement(text: string, index: number): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw invalid()
  }
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) {
    const found = findForbiddenKey(value)
    if (found) throw new ForbiddenKeyError(found.key, `${index}.${found.path}`)
  }
  return value
}

/**
 * The events of a JSON body: one object, or an array of them. Throws Fastify's invalid-JSON
 * error, ForbiddenKeyError, or UnreadableBodyError (empty or oversized array, not events).
 */
export async function splitJsonText(text: string, slicer: CpuSlicer): Promise<RawItem[]> {
  let i = 0
  while (i < text.length && WHITESPACE.has(text.charCodeAt(i))) i++
  if (text.charCodeAt(i) !== 0x5b /* [ */) {
    return singleEventBody(parseJsonBody(text))
  }
  const items: RawItem[] = []
  i++
  let start = -1
  let depth = 0
  let inString = false
  let closed = false
  for (; i < text.length; i++) {
    if ((i & (SCAN_CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yieldNow()
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c /* \ */) i++
      else if (c === 0x22 /* " */) inString = false
      continue
    }
    if (c === 0x22) { inString = true; if (start < 0) start = i; continue }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) { if (start < 0) start = i; depth++; continue }
    if ((c === 0x7d /* } */ || c === 0x5d /* ] */) && depth > 0) { depth--; continue }
    if (depth > 0) continue
    if (c === 0x2c /* , */ || c === 0x5d /* ] */) {
      if (start < 0) {
        // `[]` is an empty array; `[,` or `[1,]` is not JSON.
        if (c === 0x5d && items.length === 0) { closed = true; break }
        throw invalid()
      }
      if (items.length >= MAX_EVENTS_PER_REQUEST) throw new UnreadableBodyError(`at most ${MAX_EVENTS_PER_REQUEST} events per request`)
      items.push({ ok: true, value: parseElement(text.slice(start, i), items.length) })
      start = -1
      if (c === 0x5d) { closed = true; break }
      continue
    }
    if (!WHITESPACE.has(c) && start < 0) start = i
  }
  if (!closed) throw invalid()
  for (i++; i < text.length; i++) if (!WHITESPACE.has(text.charCodeAt(i))) throw invalid()
  if (items.length === 0) throw new UnreadableBodyError('the array holds no events')
  return items
}
