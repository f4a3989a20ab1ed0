// A JSON body read a slice at a time gives what JSON.parse of the whole gives, and refuses
// what it refuses.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitJsonText } from '../../server/http/json-array.js'
import { parseJsonBody } from '../../server/http/json-body.js'
import { CpuSlicer } from '../../server/ingest/cpu-slices.js'
import { MAX_EVENTS_PER_REQUEST } from '../../server/contracts/events.js'

const split = (text: string) => splitJsonText(text, new CpuSlicer(0))
const values = async (text: string) => (await split(text)).map((i) => (i.ok ? i.value : i))

describe('splitJsonText', () => {
  it('gives what parsing the whole body gives: its elements, or the same refusal', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }), fc.constantFrom('', ' ', '\n\t '),
      async (elements, ws) => {
        const text = `${ws}[${ws}${elements.map((e) => JSON.stringify(e)).join(`${ws},${ws}`)}${ws}]${ws}`
        let whole: unknown
        try {
          whole = parseJsonBody(text)
        } catch (error) {
          // A forbidden key (fc.jsonValue generates "__proto__"): refused the same way, same path.
          const e = error as { code: string; message: string }
          await expect(split(text)).rejects.toMatchObject({ code: e.code, message: e.message })
          return
        }
        expect(await values(text)).toEqual(whole)
      }), { numRuns: 300 })
  })

  it('handles brackets, quotes and escapes inside strings', async () => {
    const tricky = [{ a: '],[{"x":' }, { b: 'back\\slash "quoted" ]' }, { c: '\u2028\u00e9\ud83d\ude00' }, [1, [2, [3]]], 'str]ing', 0, null]
    const text = JSON.stringify(tricky)
    expect(await values(text)).toEqual(tricky)
  })

  it('takes a single object as one event', async () => {
    expect(await values(' {"type":"x"} ')).toEqual([{ type: 'x' }])
  })

  it.each([
    '[', '[1,]', '[,1]', '[1 2]', '[{"a":1]', '[1]x', '[{"a":"unterminated]', '["a",', '{"a":', 'nope', '[1,,2]',
  ])('refuses %j as JSON.parse does', async (text) => {
    expect(() => JSON.parse(text)).toThrow()
    await expect(split(text)).rejects.toMatchObject({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' })
  })

  it('refuses an empty array, a non-object body, and names a forbidden key with its element', async () => {
    await expect(split('[]')).rejects.toThrow('the array holds no events')
    await expect(split(`[${Array(MAX_EVENTS_PER_REQUEST + 1).fill('{}').join(',')}]`)).rejects.toThrow(`at most ${MAX_EVENTS_PER_REQUEST} events per request`)
    expect(await split(`[${Array(MAX_EVENTS_PER_REQUEST).fill('{}').join(',')}]`)).toHaveLength(MAX_EVENTS_PER_REQUEST)
    await expect(split('42')).rejects.toThrow('an event object')
    await expect(split('')).rejects.toMatchObject({ statusCode: 400 })
    await expect(split('[{"ok":1},{"a":{"__proto__":{"x":1}}}]')).rejects.toMatchObject({ statusCode: 400, key: '__proto__', path: '1.a.__proto__' })
  })
})
