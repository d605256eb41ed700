import { useState, type FormEvent } from 'react'
import { Button } from '../components/buttons'
import { Field } from '../components/forms'
import { Notice } from '../components/feedback'
import { inputClass } from '../components/classes'
import { useSession } from '../lib/session'

/** SignInPage trades an API token for a session cookie. */
export function SignInPage({ reason }: { reason?: string }) {
  const { signIn } = useSession()
  const [token, setToken] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!token.trim()) {
      setError('Enter an API token.')
      return
    }
    setBusy(true)
    setError(undefined)
    const err = await signIn(token.trim())
    setBusy(false)
    if (err) setError(err)
  }

  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-indigo-50 via-slate-50 to-white px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <img src="/favicon.svg" alt="" className="size-9" />
          <span className="text-xl font-semibold tracking-tight">
            scoopa <span className="font-normal text-slate-500">webhooks</span>
          </span>
        </div>
        <form onSubmit={onSubmit} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
          <h1 className="text-lg font-semibold text-slate-900">Sign in</h1>
          <p className="mt-1 text-sm text-slate-600">Use an API token of your scoopa platform. Admin tokens can change things; viewer tokens can look.</p>
          {reason ? (
            <div className="mt-4">
              <Notice tone="warning">{reason}</Notice>
            </div>
          ) : null}
          <Field label="API token" error={error} className="mt-4">
            {(p) => (
              <input
                {...p}
                type="password"
                name="token"
                autoComplete="off"
                spellCheck={false}
                className={inputClass + ' font-mono'}
                value={token}
                onChange={(e) => setToken(e.target.value)}
                autoFocus
              />
            )}
          </Field>
          <Button type="submit" variant="primary" className="mt-5 w-full" busy={busy}>
            Sign in
          </Button>
          <p className="mt-4 text-xs text-slate-500">The token is kept in a secure cookie of this site only, never in the browser's storage.</p>
        </form>
      </div>
    </main>
  )
}
