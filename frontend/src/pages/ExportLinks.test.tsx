import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { exportURL, type CallFilters } from './callFilters'
import { ExportLinks } from './CallLog'

const none: CallFilters = { statuses: [] }

function whereIn(href: string): unknown {
  const u = new URL(href, 'http://console.test')
  const w = u.searchParams.get('where')
  return w === null ? null : JSON.parse(w)
}

describe('export of the call log', () => {
  it('links to every call when nothing is filtered', () => {
    expect(exportURL('csv', none)).toBe('/exports/calls.csv')
    expect(exportURL('ndjson', none)).toBe('/exports/calls.ndjson')
  })

  it('carries the filters as the webhookCalls where input', () => {
    const f: CallFilters = { webhook: '42', statuses: ['FAILED', 'CANCELED'], kind: 'DELIVERY', test: 'none', file: 'a&b=c.mov' }
    render(<ExportLinks filters={f} />)
    const csv = screen.getByRole('link', { name: 'CSV' })
    const ndjson = screen.getByRole('link', { name: 'NDJSON' })
    expect(csv.getAttribute('href')).toMatch(/^\/exports\/calls\.csv\?where=/)
    expect(ndjson.getAttribute('href')).toMatch(/^\/exports\/calls\.ndjson\?where=/)
    expect(csv).toHaveAttribute('download')
    const want = { webhookID: '42', statusIn: ['FAILED', 'CANCELED'], kind: 'DELIVERY', test: false, fileNameContainsFold: 'a&b=c.mov' }
    expect(whereIn(csv.getAttribute('href')!)).toEqual(want)
    expect(whereIn(ndjson.getAttribute('href')!)).toEqual(want)
  })
})
