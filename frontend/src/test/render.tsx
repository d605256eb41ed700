import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter } from 'react-router'
import { Provider, type Client } from 'urql'
import { SessionProvider, type Role } from '../lib/session'

/** renderWith renders ui signed in (as an admin unless told), with a mock urql client and a router. */
export function renderWith(ui: ReactElement, { client, role = 'ADMIN', path = '/' }: { client: object; role?: Role; path?: string }) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider initial={{ status: 'signedIn', role, tokenName: 'test' }}>
        <Provider value={client as unknown as Client}>{ui}</Provider>
      </SessionProvider>
    </MemoryRouter>,
  )
}
