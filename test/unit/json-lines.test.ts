// JsonLines writes each row's JSON into block buffers (server/store/json-lines.ts): the
// bytes must be exactly those of the rows' JSON lines encoded as UTF-8, whatever the
// characters, line lengths and block boundaries.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonLines } from '../../server/store/json-lines.js'

const reference = (rows: object[]) => Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''))

describe('JsonLines', () => {
  it('is the UTF-8 of the rows\' JSON lines, for any text', () => {
    fc.assert(fc.property(fc.array(fc.record({ s: fc.string({ unit: 'binary' }), n: fc.double(), t: fc.string({ unit: 'grapheme', maxLength: 300 }) }), { maxLength: 100 }), (rows) => {
      expect(JsonLines.join([JsonLines.of(rows)]).equals(reference(rows))).toBe(true)
    }), { numRuns: 60 })
  })

  it('keeps rows whole across blocks, lines longer than a block included', () => {
    const rows = [
      ...Array.from({ length: 3_000 }, (_, i) => ({ i, pad: 'é'.repeat(i % 700), cjk: '退货'.repeat(i % 50) })),
      { huge: 'x'.repeat(3 << 20) }, { huge: '€'.repeat(1 << 20) }, { lone: '\ud800 and \udfff' }, { after: 1 },
    ]
    const lines = JsonLines.of(rows)
    expect(lines.count).toBe(rows.length)
    expect(lines.byteLength).toBe(reference(rows).length)
    expect(JsonLines.join([lines]).equals(reference(rows))).toBe(true)
  })

  it('joins chunks in order, into a kept buffer when they fit, and takes rows after a join', () => {
    const a = JsonLines.of([{ a: 1 }, { a: 2 }])
    const b = JsonLines.of([{ b: 'ü' }])
    const into = Buffer.alloc(1 << 10)
    const joined = JsonLines.join([a, b], into)
    expect(joined.buffer).toBe(into.buffer)
    expect(joined.toString()).toBe('{"a":1}\n{"a":2}\n{"b":"ü"}\n')
    a.push({ a: 3 })
    expect(JsonLines.join([a]).toString()).toBe('{"a":1}\n{"a":2}\n{"a":3}\n')
    expect(joined.toString()).toBe('{"a":1}\n{"a":2}\n{"b":"ü"}\n')
    expect(JsonLines.join([new JsonLines()]).length).toBe(0)
  })
})
