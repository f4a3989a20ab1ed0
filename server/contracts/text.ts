// The one string type of every input contract. ClickHouse refuses a whole insert that
// holds a lone UTF-16 surrogate (it cannot be written as UTF-8), and NUL is cut or
// refused by many readers downstream; either would let one producer's event fail the
// batched insert it shares with every other producer's (issue 13). So every string a
// producer sends is checked here, and a contract builds its strings only from `str()`:
// test/unit/contracts.test.ts walks every contract and fails on a string without it.
import { z } from 'zod'

// With the u flag a well-formed surrogate pair is one code point, so \p{Cs} only
// matches a surrogate that has no partner.
const BAD_TEXT = /\p{Cs}|\u0000/u

/** True for text that is well-formed Unicode and holds no NUL. */
export function isCleanText(value: string): boolean {
  return !BAD_TEXT.test(value)
}

export const CLEAN_TEXT_MESSAGE = 'must be well-formed Unicode text (no lone surrogate, no NUL character)'

/** The check itself, shared, so a test can tell a checked string from an unchecked one. */
export const cleanText = z.refine<string>((value) => isCleanText(value), { message: CLEAN_TEXT_MESSAGE, abort: true })

/** A string field of an input contract (add .min/.max/.regex after it). */
export const str = () => z.string().check(cleanText)
