// Where the batched writer's inserts go: JSONEachRow (or, with columns, JSONCompactEachRow)
// bytes already encoded by its callers (json-lines.ts). The embedded store takes the bytes
// zero-copy and parses them on its own threads; going through the client's insert() would
// turn them back into one JS string, which chDB converts on the event loop. A remote
// server gets them as the request body.
import { Readable } from 'node:stream'
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client'

export interface RowSink {
  /**
   * Inserts `body` into `table`: JSONEachRow lines, or with `columns` JSONCompactEachRow
   * lines of those columns' values. Rejects with the store's error (`code` as ClickHouse's).
   */
  insertJsonLines(table: string, body: Buffer, columns?: readonly string[]): Promise<void>
  /**
   * Inserts `body` (TabSeparated lines) into `table`: for long text values already
   * encoded, which need no second JSON escaping and no JSON parsing in the store.
   */
  insertTabSeparated(table: string, body: Buffer): Promise<void>
}

type RawFormat = 'JSONEachRow' | 'JSONCompactEachRow' | 'TabSeparated'

/** Tables and columns the writer inserts into are named in code, never by input; still, only plain names pass. */
function checkedName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a table or column name: ${JSON.stringify(name)}`)
  return name
}
const checkedTable = checkedName
const jsonFormat = (columns?: readonly string[]): RawFormat => columns ? 'JSONCompactEachRow' : 'JSONEachRow'

export function remoteRowSink(client: ClickHouseClient): RowSink {
  const insert = async (table: string, body: Buffer, format: RawFormat, columns?: readonly string[]) => {
    // The same statement client.insert() sends, with the body as bytes.
    const into = columns ? `${checkedTable(table)} (${columns.map(checkedName).join(', ')})` : checkedTable(table)
    const result = await client.exec({ query: `INSERT INTO ${into} FORMAT ${format}`, values: Readable.from([body]) })
    result.stream.destroy()
  }
  return {
    insertJsonLines: (table, body, columns) => insert(table, body, jsonFormat(columns), columns),
    insertTabSeparated: (table, body) => insert(table, body, 'TabSeparated'),
  }
}

/** chDB's raw insert, as typed by chdb/connection's `.chdb` extension. */
export interface ChdbRawInsert {
  rawInsert(params: { table: string; columns?: string[]; values: Buffer; format: RawFormat; settings?: Record<string, string | number> }): Promise<unknown>
}

export function embeddedRowSink(chdb: ChdbRawInsert, settings: ClickHouseSettings): RowSink {
  const asStrings = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v as string | number]))
  const insert = async (table: string, body: Buffer, format: RawFormat, columns?: readonly string[]) => {
    try {
      await chdb.rawInsert({ table: checkedTable(table), ...(columns ? { columns: columns.map(checkedName) } : {}), values: body, format, settings: asStrings })
    } catch (error) {
      // chDB's errors carry ClickHouse's code as `clickhouseCode`; the writer tells a
      // transient failure from a refused row by ClickHouse's code, as for a server.
      const e = error as { clickhouseCode?: number; message?: string }
      throw Object.assign(new Error(e?.message ?? String(error), { cause: error }), { code: e?.clickhouseCode !== undefined ? String(e.clickhouseCode) : undefined })
    }
  }
  return {
    insertJsonLines: (table, body, columns) => insert(table, body, jsonFormat(columns), columns),
    insertTabSeparated: (table, body) => insert(table, body, 'TabSeparated'),
  }
}
