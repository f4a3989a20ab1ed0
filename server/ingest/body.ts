// Splits a request body into candidate events: one JSON object or NDJSON (a JSON array: http/json-array.ts).
// A malformed NDJSON line becomes a per-line rejection instead of failing the request.
import { MAX_EVENTS_PER_REQUEST, type Event } from '../contracts/events.js'
import type { CpuSlicer } from './cpu-slices.js'

/**
 * `checked`: the value is already the output of the Event contract's parse, made by an
 * in-process caller (the importer's mapper), so it is not parsed again. A request body
 * never yields it: its items are parsed from text.
 */
export type RawItem = { ok: true; value: unknown; checked?: false } | { ok: true; value: Event; checked: true } | { ok: false; message: string }

export class UnreadableBodyError extends Error {}

/** A body that is one parsed value: an event object, or refused. (A JSON array is read element by element, http/json-array.ts.) */
export function singleEventBody(body: unknown): RawItem[] {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return [{ ok: true, value: body }]
  throw new UnreadableBodyError('the body must be an event object, an array of events, or NDJSON')
}

/** Parses line by line, yielding to the event loop between slices (and stopping if the client left). */
export async function splitNdjsonBody(text: string, slicer?: CpuSlicer): Promise<RawItem[]> {
  const items: RawItem[] = []
  for (const line of text.split('\n')) {
    if (slicer?.due()) await slicer.yieldNow()
    const trimmed = line.trim()
    if (trimmed === '') continue
    if (items.length >= MAX_EVENTS_PER_REQUEST) throw new UnreadableBodyError(`at most ${MAX_EVENTS_PER_REQUEST} events per request`)
    try {
      items.push({ ok: true, value: JSON.parse(trimmed) })
    } catch (e) {
      items.push({ ok: false, message: `line ${items.length + 1} is not valid JSON: ${(e as Error).message}` })
    }
  }
  if (items.length === 0) throw new UnreadableBodyError('the body holds no events')
  return items
}
