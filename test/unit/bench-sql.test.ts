// The benches' statements (sql/bench/*.sql) and the names test/bench/sql.ts offers are the
// same set: a bench must not find its file missing an hour into a run, and a file no
// bench names is dead.
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BENCH_SQL, benchSql } from '../bench/sql.js'

describe('bench SQL', () => {
  it('has a file for every name and a name for every file', () => {
    const files = readdirSync(new URL('../../sql/bench/', import.meta.url)).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4))
    expect([...files].sort()).toEqual([...BENCH_SQL].sort())
  })

  it('expands includes from sql/queries', () => {
    const text = benchSql('floor-cost-pass')
    expect(text).not.toContain('{{include:')
    expect(text).toContain('NOT IN')
  })
})
