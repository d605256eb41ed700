import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { FileName, nameParts } from './FileName'

describe('FileName', () => {
  it('may wrap after separators only, keeping the name whole', () => {
    expect(nameParts('IMG_20260315_093012_HDR-final.jpg')).toEqual(['IMG_', '20260315_', '093012_', 'HDR-', 'final.', 'jpg'])
    const { container } = render(<FileName name="IMG_20260315_093012_HDR-final.jpg" />)
    expect(container).toHaveTextContent('IMG_20260315_093012_HDR-final.jpg')
    expect(container.querySelectorAll('wbr')).toHaveLength(5)
    expect(container.firstElementChild).toHaveClass('wrap-anywhere')
  })
})
