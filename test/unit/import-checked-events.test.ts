// The importer tells an in-process sink which events are already parsed with the Event
// contract (the mapper's rows, and rows of one invoice joined into one event), so the
// ingestor does not parse them again. What it marks must pass the contract as it is sent:
// joined events at the contract's line limits included, under a long id prefix.
import { describe, expect, it } from 'vitest'
import { Event } from '../../server/contracts/events.js'
import { importRecords, type EventSink } from '../../server/import/importer.js'
import { Mapping, RowMapper } from '../../server/import/mapping.js'

const MAPPING = Mapping.parse({
  columns: { orderId: 'InvoiceNo', sku: 'StockCode', qty: 'Quantity', occurredAt: 'InvoiceDate', unitPrice: 'UnitPrice', customerId: 'CustomerID' },
  defaults: { lat: 51.5, lon: -0.12 },
  returnWhen: { flagPattern: { column: 'InvoiceNo', pattern: '^C' } },
  idPrefix: 'a-prefix.of:the-longest-length1',
})

function rows(invoice: string, n: number, qty: number) {
  return Array.from({ length: n }, (_, i) => ({
    line: i + 2,
    fields: { InvoiceNo: invoice, StockCode: `SKU ${i % 7}`, Quantity: String(qty), InvoiceDate: '2025-03-01 10:00', UnitPrice: '2.50', CustomerID: '12345' },
  }))
}

describe('events the importer marks as checked', () => {
  it('pass the Event contract, joined invoices at the line limits included; the rest are left to the ingestor', async () => {
    const sent: { event: Event; checked: boolean }[] = []
    const sink: EventSink = {
      async send(events, checked) {
        events.forEach((event, i) => sent.push({ event: structuredClone(event), checked: checked?.[i] === true }))
        return events.map(() => ({ status: 'accepted' as const }))
      },
    }
    // 450 sale lines of one invoice (200 + 200 + 50 lines) and 250 lines of one credit note (100 + 100 + 50).
    const records = [...rows('536001', 450, 3), ...rows('C536002', 250, -2)]
    const summary = await importRecords(records, new RowMapper(MAPPING), sink, { batchSize: 4, closeBefore: new Date(), feedCatalog: true })
    expect(summary.rejected).toBe(0)

    const checked = sent.filter((s) => s.checked)
    expect(checked.map((s) => s.event.type === 'order.placed' || s.event.type === 'return.requested' ? s.event.lines.length : 0))
      .toEqual([200, 200, 50, 100, 100, 50])
    for (const { event } of checked) {
      const parsed = Event.safeParse(event)
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
      // Parsing again changes nothing: the ingestor would have stored the same event.
      expect(parsed.data).toEqual(event)
    }
    // Catalog upserts and the closing statuses are built by the importer: not marked.
    const unchecked = sent.filter((s) => !s.checked).map((s) => s.event.type)
    expect(new Set(unchecked)).toEqual(new Set(['catalog.upsert', 'return.status']))
  })
})
