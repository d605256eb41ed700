import { CombinedError } from '@urql/core'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { QueryState } from './QueryState'

type Data = { items: string[] }
const failed = new CombinedError({ graphQLErrors: [{ message: 'the database is down' }] })

function view(result: { data?: Data; fetching: boolean; error?: CombinedError }, extra: Partial<Parameters<typeof QueryState<Data>>[0]> = {}) {
  return render(
    <QueryState<Data> result={result} loading="Loading items…" errorTitle="The items could not be loaded" isEmpty={(d) => d.items.length === 0} empty={<p>No items yet</p>} {...extra}>
      {(d) => <ul aria-label="Items">{d.items.map((i) => <li key={i}>{i}</li>)}</ul>}
    </QueryState>,
  )
}

describe('QueryState', () => {
  it('shows the spinner with its label while nothing has arrived', () => {
    view({ fetching: true })
    expect(screen.getByRole('status')).toHaveTextContent('Loading items…')
    expect(screen.queryByRole('list')).toBeNull()
  })

  it('shows the error with its title and a retry that calls back', async () => {
    const onRetry = vi.fn()
    view({ fetching: false, error: failed }, { onRetry })
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('The items could not be loaded')
    expect(alert).toHaveTextContent('the database is down')
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(onRetry).toHaveBeenCalledOnce()
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('picks the error title from the error when given a function', () => {
    view({ fetching: false, error: failed }, { errorTitle: (e) => `Failed: ${e.graphQLErrors.length} error` })
    expect(screen.getByRole('alert')).toHaveTextContent('Failed: 1 error')
  })

  it('shows the empty view when the data holds nothing', () => {
    view({ fetching: false, data: { items: [] } })
    expect(screen.getByText('No items yet')).toBeInTheDocument()
    expect(screen.queryByRole('list')).toBeNull()
  })

  it('renders the data, also while refetching', () => {
    view({ fetching: true, data: { items: ['a', 'b'] } })
    expect(screen.getByRole('list', { name: 'Items' })).toHaveTextContent('ab')
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('lets an error after data replace it, sit above it, or leave it to the children', () => {
    const result = { fetching: false, data: { items: ['a'] }, error: failed }
    const { unmount } = view(result)
    expect(screen.getByRole('alert')).toBeInTheDocument()
    expect(screen.queryByRole('list')).toBeNull()
    unmount()

    const above = view(result, { staleError: 'above', errorClassName: 'p-3' })
    expect(screen.getByRole('alert').parentElement).toHaveClass('p-3')
    expect(screen.getByRole('list')).toHaveTextContent('a')
    above.unmount()

    view(result, { staleError: 'children' })
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.getByRole('list')).toHaveTextContent('a')
  })
})
