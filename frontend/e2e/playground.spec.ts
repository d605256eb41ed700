import { expect, test } from './fixtures'

// The GraphQL playground is part of the server's build: offline (every
// request to another host refused), it renders, runs a query with the
// console's session, and shows the schema's documentation. Any request
// elsewhere, or a Content-Security-Policy violation (a console error),
// fails the test.
test('the playground works offline, from the server alone', async ({ page, server, signIn, shot }) => {
  const origin = new URL(server.url).origin
  const elsewhere: string[] = []
  await page.context().route('**/*', (route) => {
    const url = route.request().url()
    if (new URL(url).origin === origin) return route.continue()
    elsewhere.push(url)
    return route.abort('internetdisconnected')
  })
  await signIn(page)

  await page.goto('/playground')
  const editor = page.locator('.graphiql-query-editor .CodeMirror')
  await expect(editor).toBeVisible()
  await editor.evaluate((el) => (el as HTMLElement & { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue('{ __typename }'))
  await page.getByRole('button', { name: /^Execute query/ }).click()
  await expect(page.locator('.graphiql-response')).toContainText('"__typename": "Query"')

  // The schema came through (its introspection fits the server's depth
  // limit), descriptions and all.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click()
  await page.locator('.graphiql-doc-explorer').getByRole('link', { name: 'Query', exact: true }).click()
  await expect(page.locator('.graphiql-doc-explorer')).toContainText('What may be read.')
  await shot('90-playground')
  expect(elsewhere, 'requests to other hosts').toEqual([])
})
