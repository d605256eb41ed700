import { describe, expect, it } from 'vitest'
import { withOverrides } from './classes'

describe('withOverrides', () => {
  it('lets a caller replace padding, font size and size of a base', () => {
    expect(withOverrides('inline-flex px-3 py-2 text-sm size-8 text-slate-500', 'px-2 text-xs size-6')).toBe('inline-flex py-2 text-slate-500 px-2 text-xs size-6')
    expect(withOverrides('px-3 py-2', undefined)).toBe('px-3 py-2')
  })
})
