// Which files an import reads: paths, directories (their CSV/NDJSON files, sorted) and
// globs in the file name (`exports/2011-*.csv`), for shells that do not expand them.
import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export interface Source { path: string; format: 'csv' | 'ndjson'; bytes: number }

const DATA_FILE = /\.(csv|tsv|txt|ndjson|jsonl|json)$/i

export function formatOf(path: string, forced?: 'csv' | 'ndjson'): 'csv' | 'ndjson' {
  return forced ?? (/\.(nd)?jsonl?$/i.test(path) ? 'ndjson' : 'csv')
}

export function resolveSources(args: string[], format?: 'csv' | 'ndjson'): Source[] {
  const paths: string[] = []
  for (const arg of args) {
    if (/[*?[]/.test(basename(arg))) {
      const dir = dirname(arg)
      const re = globToRegExp(basename(arg))
      paths.push(...readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f)).filter((p) => statSync(p).isFile()))
    } else if (statSync(arg).isDirectory()) {
      paths.push(...readdirSync(arg).filter((f) => DATA_FILE.test(f)).sort().map((f) => join(arg, f)).filter((p) => statSync(p).isFile()))
    } else {
      paths.push(arg)
    }
  }
  // A file named twice (a glob and its own name) is read once.
  return [...new Set(paths)].map((path) => ({ path, format: formatOf(path, format), bytes: statSync(path).size }))
}

function globToRegExp(glob: string): RegExp {
  let re = ''
  for (const c of glob) re += c === '*' ? '[^/]*' : c === '?' ? '[^/]' : /[.+^${}()|\\\]]/.test(c) ? `\\${c}` : c
  return new RegExp(`^${re}$`)
}
