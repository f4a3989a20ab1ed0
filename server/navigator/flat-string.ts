// Strings the server keeps for a long time (an open return's packed text, a decision's id)
// are made flat. JSON.stringify and template literals build a string as a tree of pieces
// (V8's cons strings: several heap objects for one string), and every full collection of
// the heap visits each piece for as long as the string lives. A copy through UTF-8 is one
// flat string. Only for well-formed text (the contracts refuse lone surrogates), which the
// copy keeps exactly.
export function flatString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}
