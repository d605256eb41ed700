import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { renderWith } from '../test/render'
import { searchFolders } from '../test/folders'
import { FolderPicker, PICKER_PAGE } from './FolderPicker'

// 5,000 folders, as on a large platform: the picker must ask the server.
const folders = Array.from({ length: 5000 }, (_, i) => ({ id: `f${i}`, name: `Folder ${String(i).padStart(4, '0')}` }))

function Harness({ initial, known }: { initial: string[]; known: { id: string; name: string }[] }) {
  const [sel, setSel] = useState(initial)
  return (
    <>
      <FolderPicker inputProps={{ id: 'p' }} known={known} selected={sel} onChange={setSel} />
      <output data-testid="selected">{sel.join(',')}</output>
    </>
  )
}

type Vars = { first: number; where: { search: string } | null }
const varsOf = (q: ReturnType<typeof searchFolders>) => q.mock.calls.map((c) => (c[0] as { variables: Vars }).variables)

describe('FolderPicker', () => {
  it('searches the server (debounced) and finds a folder beyond the first page', { timeout: 60_000 }, async () => {
    const executeQuery = searchFolders(folders)
    renderWith(<Harness initial={[]} known={[]} />, { client: { executeQuery } })
    const box = screen.getByRole('combobox')
    await userEvent.click(box)
    expect(await screen.findAllByRole('option', undefined, { timeout: 10_000 })).toHaveLength(PICKER_PAGE)
    await userEvent.type(box, '4321')
    await userEvent.click(await screen.findByRole('option', { name: 'Folder 4321' }, { timeout: 10_000 }))
    expect(screen.getByTestId('selected')).toHaveTextContent('f4321')
    expect(screen.getByRole('button', { name: 'Remove folder Folder 4321' })).toBeInTheDocument()
    expect(varsOf(executeQuery).map((v) => v.where?.search ?? '')).toContain('4321')
  })

  it('lists more matches on request', { timeout: 60_000 }, async () => {
    const executeQuery = searchFolders(folders)
    renderWith(<Harness initial={[]} known={[]} />, { client: { executeQuery } })
    await userEvent.type(screen.getByRole('combobox'), 'folder 00')
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(PICKER_PAGE), { timeout: 10_000 })
    // The first page shown may be the one before the search (debounced):
    // wait for the search's own.
    await userEvent.click(await screen.findByRole('button', { name: /More folders \(20 of 100 shown\)/ }, { timeout: 10_000 }))
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2 * PICKER_PAGE), { timeout: 10_000 })
    expect(screen.getByRole('option', { name: 'Folder 0039' })).toBeInTheDocument()
    expect(varsOf(executeQuery).at(-1)).toEqual({ first: 2 * PICKER_PAGE, where: { search: 'folder 00' } })
  })

  it('shows chosen folders by name although they are not among the loaded ones', async () => {
    const executeQuery = searchFolders(folders)
    renderWith(<Harness initial={['f4999']} known={[{ id: 'f4999', name: 'Folder 4999' }]} />, { client: { executeQuery } })
    expect(screen.getByRole('button', { name: 'Remove folder Folder 4999' })).toBeInTheDocument()
    await userEvent.click(screen.getByRole('combobox'))
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(PICKER_PAGE), { timeout: 10_000 })
    expect(screen.queryByRole('option', { name: 'Folder 4999' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Remove folder Folder 4999' })).toBeInTheDocument()
  })
})
