import { describe, expect, it } from 'vitest'
import { filtersFromParams, filtersToParams, matches, whereOf, type Call } from './callFilters'

const call = (test: boolean) => ({ id: '1', kind: 'DELIVERY', status: 'SUCCEEDED', test, createdAt: '2026-01-01T00:00:00Z', webhook: { id: 'w' } }) as unknown as Call

describe('the test-call filter', () => {
  it('round-trips through the URL and becomes where.test', () => {
    for (const [param, want] of [
      ['only', true],
      ['none', false],
    ] as const) {
      const f = filtersFromParams(new URLSearchParams(`test=${param}`))
      expect(f.test).toBe(param)
      expect(filtersToParams(f).toString()).toBe(`test=${param}`)
      expect(whereOf(f)).toEqual({ test: want })
    }
    expect(filtersFromParams(new URLSearchParams('test=maybe')).test).toBeUndefined()
    expect(whereOf(filtersFromParams(new URLSearchParams('')))).toEqual({})
  })

  it('lets live events of the other kind out', () => {
    const only = filtersFromParams(new URLSearchParams('test=only'))
    const none = filtersFromParams(new URLSearchParams('test=none'))
    expect([matches(call(true), only), matches(call(false), only)]).toEqual([true, false])
    expect([matches(call(true), none), matches(call(false), none)]).toEqual([false, true])
  })
})
