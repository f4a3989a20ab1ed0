// Import progress on stderr: a bar redrawn in place on a terminal; in a log (CI, a pipe)
// one line every few seconds, so the log stays readable.
import type { ImportProgress } from './importer.js'

export interface ProgressReporter {
  update(p: ImportProgress): void
  done(p: ImportProgress): void
}

const fmt = (n: number) => n.toLocaleString('en')
function counts(p: ImportProgress): string {
  return `${fmt(p.rows)} rows · ${fmt(p.rowsPerSecond)} rows/s · accepted ${fmt(p.accepted)} · duplicates ${fmt(p.duplicates)} · rejected ${fmt(p.rejected)}` +
    (p.skipped ? ` · skipped ${fmt(p.skipped)}` : '') + (p.excluded ? ` · excluded ${fmt(p.excluded)}` : '')
}

export function progressReporter(
  out: { write(s: string): unknown; isTTY?: boolean },
  totalBytes: number,
  opts: { everyMs?: number; now?: () => number } = {},
): ProgressReporter {
  const now = opts.now ?? (() => Date.now())
  const everyMs = opts.everyMs ?? 5000
  let last = now()
  if (out.isTTY) {
    return {
      update(p) {
        const share = totalBytes > 0 ? Math.min(1, p.bytes / totalBytes) : 0
        const width = 24
        const filled = Math.round(share * width)
        out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${counts(p)}   `)
      },
      done(p) { this.update({ ...p, bytes: totalBytes }); out.write('\n') },
    }
  }
  return {
    update(p) {
      if (now() - last < everyMs) return
      last = now()
      out.write(`${totalBytes > 0 ? `${Math.min(100, Math.round(p.bytes / totalBytes * 100))}% · ` : ''}${counts(p)}\n`)
    },
    done(p) { out.write(`${counts(p)}\n`) },
  }
}
