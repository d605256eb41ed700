import { Button } from '../components/buttons'
import { Field } from '../components/forms'
import { inputClass } from '../components/classes'
import type { UpdateWebhookInput } from '../gql/graphql'
import { exactTime } from '../lib/format'

/** CertificateInfo describes a saved certificate; its key is never shown. */
export interface CertificateInfo {
  subject: string
  issuer: string
  notBefore?: string | null
  notAfter: string
  fingerprint?: string | null
}

/** StoredAuth is how a webhook authenticates to its receiver, as the server shows it. */
export interface StoredAuth {
  oauth2?: { tokenURL: string; clientID: string; clientSecret: string; scopes: string[]; audience?: string | null } | null
  clientCertificate?: CertificateInfo | null
  caCertificates?: CertificateInfo[] | null
}

/**
 * AuthState is the Authentication section as typed. Secrets and keys are
 * never shown back: an empty client secret or key keeps the saved one.
 */
export interface AuthState {
  /** OAuth2 is used (saved, or being added). */
  oauthOn: boolean
  tokenURL: string
  clientID: string
  clientSecret: string
  scopes: string
  audience: string
  /** A client certificate is kept or being added. */
  certOn: boolean
  certPEM: string
  keyPEM: string
  /** CA certificates are kept or being added. */
  caOn: boolean
  caPEM: string
}

/** expiryWarningDays: a client certificate expiring sooner than this is warned about (as the operator notification does). */
export const expiryWarningDays = 14

export function initialAuth(w: StoredAuth): AuthState {
  const o = w.oauth2
  return {
    oauthOn: !!o,
    tokenURL: o?.tokenURL ?? '',
    clientID: o?.clientID ?? '',
    clientSecret: '',
    scopes: (o?.scopes ?? []).join(' '),
    audience: o?.audience ?? '',
    certOn: !!w.clientCertificate,
    certPEM: '',
    keyPEM: '',
    caOn: (w.caCertificates ?? []).length > 0,
    caPEM: '',
  }
}

/** scopeList splits "read write, admin" into its scopes. */
export function scopeList(s: string): string[] {
  return s.split(/[\s,]+/).filter(Boolean)
}

/** authChanges adds the authentication part of an update to input: only what differs from the saved webhook. */
export function authChanges(w: StoredAuth, a: AuthState, input: UpdateWebhookInput) {
  const o = w.oauth2
  if (a.oauthOn) {
    const scopes = scopeList(a.scopes)
    const audience = a.audience.trim()
    const differs =
      !o ||
      a.clientSecret !== '' ||
      a.tokenURL.trim() !== o.tokenURL ||
      a.clientID.trim() !== o.clientID ||
      scopes.join(' ') !== o.scopes.join(' ') ||
      audience !== (o.audience ?? '')
    if (differs) {
      input.oauth2 = { tokenURL: a.tokenURL.trim(), clientID: a.clientID.trim(), scopes, audience: audience || null }
      if (a.clientSecret !== '') input.oauth2.clientSecret = a.clientSecret
    }
  } else if (o) {
    input.clearOAuth2 = true
  }
  if (a.certOn) {
    if (a.certPEM.trim() !== '') {
      input.clientCertificate = { certificate: a.certPEM.trim() + '\n' }
      if (a.keyPEM.trim() !== '') input.clientCertificate.key = a.keyPEM.trim() + '\n'
    }
  } else if (w.clientCertificate) {
    input.clearClientCertificate = true
  }
  const storedCA = (w.caCertificates ?? []).length > 0
  if (a.caOn) {
    if (a.caPEM.trim() !== '') input.caCertificate = a.caPEM.trim() + '\n'
  } else if (storedCA) {
    input.clearCACertificate = true
  }
}

const pemBlock = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+?-----END [A-Z0-9 ]+-----/

/** authErrors checks the section before saving; keys are the server's fields ("oauth2.tokenURL"). */
export function authErrors(w: StoredAuth, a: AuthState, checkURL: (u: string) => string | undefined): Record<string, string> {
  const e: Record<string, string> = {}
  if (a.oauthOn) {
    const u = a.tokenURL.trim() ? checkURL(a.tokenURL) : 'Give the token URL.'
    if (u) e['oauth2.tokenURL'] = u
    if (!a.clientID.trim()) e['oauth2.clientID'] = 'Give the client ID.'
    if (!w.oauth2 && a.clientSecret === '') e['oauth2.clientSecret'] = 'Give the client secret.'
  }
  if (a.certOn) {
    const cert = a.certPEM.trim()
    const key = a.keyPEM.trim()
    if (!w.clientCertificate && !cert) e['clientCertificate.certificate'] = 'Paste the certificate (PEM).'
    else if (w.clientCertificate && !cert && key) e['clientCertificate.certificate'] = 'Paste the certificate that goes with the new key.'
    else if (cert && !pemBlock.test(cert)) e['clientCertificate.certificate'] = 'Paste the certificate in PEM form (-----BEGIN CERTIFICATE----- …).'
    if (!w.clientCertificate && !key) e['clientCertificate.key'] = 'Paste the private key (PEM).'
    else if (key && !pemBlock.test(key)) e['clientCertificate.key'] = 'Paste the key in PEM form (-----BEGIN PRIVATE KEY----- …).'
  }
  if (a.caOn) {
    const ca = a.caPEM.trim()
    if ((w.caCertificates ?? []).length === 0 && !ca) e.caCertificate = 'Paste the CA certificates (PEM), or remove them.'
    else if (ca && !pemBlock.test(ca)) e.caCertificate = 'Paste the CA certificates in PEM form (-----BEGIN CERTIFICATE----- …).'
  }
  return e
}

/** authAliases place the clear flags' errors on their sections. */
export const authAliases = {
  clearOAuth2: 'oauth2',
  clearClientCertificate: 'clientCertificate',
  clearCACertificate: 'caCertificate',
}

/** authFieldKeys are the error keys the section shows. */
const authFieldKeys = [
  'oauth2',
  'oauth2.tokenURL',
  'oauth2.clientID',
  'oauth2.clientSecret',
  'oauth2.scopes',
  'oauth2.audience',
  'clientCertificate',
  'clientCertificate.certificate',
  'clientCertificate.key',
  'caCertificate',
]

/** isAuthField reports whether the section shows an error key ("oauth2.scopes.2" shows at the scopes). */
export function isAuthField(k: string): boolean {
  return authFieldKeys.includes(k) || /^oauth2\.scopes\.\d+$/.test(k)
}

/** placeScopeErrors moves the errors of single scopes ("oauth2.scopes.1") to the scopes field. */
export function placeScopeErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, m] of Object.entries(fields)) {
    if (/^oauth2\.scopes\.\d+$/.test(k)) out['oauth2.scopes'] = out['oauth2.scopes'] ? `${out['oauth2.scopes']} ${m}` : m
    else out[k] = m
  }
  return out
}

/** expiryNote says when a certificate expires soon (within expiryWarningDays) or has expired; null otherwise. */
export function expiryNote(notAfter: string, now: number): { text: string; expired: boolean } | null {
  const end = Date.parse(notAfter)
  if (Number.isNaN(end)) return null
  const left = end - now
  if (left <= 0) return { text: `Expired on ${exactTime(notAfter)}: the receiver refuses it. Upload a new certificate.`, expired: true }
  const days = Math.ceil(left / 86_400_000)
  if (days > expiryWarningDays) return null
  return { text: `Expires in ${days === 1 ? '1 day' : `${days} days`} (${exactTime(notAfter)}): upload a renewed certificate before then.`, expired: false }
}

function CertificateCard({ cert, now, label }: { cert: CertificateInfo; now: number; label: string }) {
  const note = expiryNote(cert.notAfter, now)
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" aria-label={label} role="group">
      <dl className="grid gap-x-3 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">Subject</dt>
        <dd className="break-all font-mono text-xs">{cert.subject}</dd>
        <dt className="text-slate-500">Issuer</dt>
        <dd className="break-all font-mono text-xs">{cert.issuer}</dd>
        <dt className="text-slate-500">Expires</dt>
        <dd>{exactTime(cert.notAfter)}</dd>
      </dl>
      {note ? (
        <p className={'mt-2 font-medium ' + (note.expired ? 'text-red-700' : 'text-amber-700')} role={note.expired ? 'alert' : 'status'}>
          {note.text}
        </p>
      ) : null}
    </div>
  )
}

const textareaClass = inputClass + ' min-h-24 font-mono text-xs'

/**
 * AuthenticationFields is the Authentication section of the webhook form:
 * OAuth2 client credentials, a client certificate for mutual TLS, and CA
 * certificates the receiver's certificate is checked against.
 */
export function AuthenticationFields({
  stored,
  state: a,
  set,
  errors,
  disabled,
  readOnly,
  now,
}: {
  stored: StoredAuth
  state: AuthState
  set: (patch: Partial<AuthState>) => void
  errors: Record<string, string>
  disabled?: boolean
  readOnly?: boolean
  now: number
}) {
  const o = stored.oauth2
  const cert = stored.clientCertificate
  const cas = stored.caCertificates ?? []
  const sectionError = (k: string) =>
    errors[k] ? (
      <p className="mt-2 text-sm text-red-700" role="alert">
        {errors[k]}
      </p>
    ) : null
  return (
    <fieldset aria-describedby="auth-help">
      <legend className="text-sm font-medium text-slate-800">Authentication</legend>
      <p id="auth-help" className="text-xs text-slate-500">
        How the webhook proves itself to the receiver, beyond the signature and extra headers. A change tests the webhook again on save. Saved secrets and
        keys are never shown; leave their fields empty to keep them.
      </p>

      <div className="mt-3 flex flex-col gap-3" role="group" aria-label="OAuth2 client credentials">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 className="text-sm font-medium text-slate-700">OAuth2 client credentials</h3>
          {!readOnly ? (
            a.oauthOn ? (
              <Button onClick={() => set({ ...initialAuthOAuth(stored), oauthOn: false })} disabled={disabled}>
                Remove OAuth2
              </Button>
            ) : (
              <Button onClick={() => set({ ...initialAuthOAuth(stored), oauthOn: true })} disabled={disabled}>
                {o ? 'Keep OAuth2' : 'Use OAuth2'}
              </Button>
            )
          ) : null}
        </div>
        {!a.oauthOn && o ? <p className="text-sm text-amber-700">OAuth2 will be removed on save.</p> : null}
        {a.oauthOn ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Token URL" error={errors['oauth2.tokenURL']} hint="The receiver's token endpoint; a bearer token is fetched with the client-credentials grant.">
              {(p) => <input {...p} type="url" className={inputClass + ' font-mono'} value={a.tokenURL} onChange={(e) => set({ tokenURL: e.target.value })} disabled={disabled} />}
            </Field>
            <Field label="Client ID" error={errors['oauth2.clientID']}>
              {(p) => <input {...p} className={inputClass + ' font-mono'} value={a.clientID} onChange={(e) => set({ clientID: e.target.value })} disabled={disabled} autoComplete="off" spellCheck={false} />}
            </Field>
            <Field
              label="Client secret"
              error={errors['oauth2.clientSecret']}
              hint={o ? `Saved: ${o.clientSecret}. Leave empty to keep it (give it again if the token URL moves to another host).` : undefined}
            >
              {(p) => (
                <input
                  {...p}
                  type="password"
                  className={inputClass + ' font-mono'}
                  value={a.clientSecret}
                  onChange={(e) => set({ clientSecret: e.target.value })}
                  placeholder={o ? 'Unchanged' : ''}
                  disabled={disabled}
                  autoComplete="new-password"
                  spellCheck={false}
                />
              )}
            </Field>
            <Field label="Scopes" error={errors['oauth2.scopes']} hint="Optional, separated by spaces.">
              {(p) => <input {...p} className={inputClass + ' font-mono'} value={a.scopes} onChange={(e) => set({ scopes: e.target.value })} placeholder="e.g. webhooks.write" disabled={disabled} />}
            </Field>
            <Field label="Audience" error={errors['oauth2.audience']} hint="Optional; sent as the audience parameter of the token request.">
              {(p) => <input {...p} className={inputClass + ' font-mono'} value={a.audience} onChange={(e) => set({ audience: e.target.value })} disabled={disabled} />}
            </Field>
          </div>
        ) : null}
        {sectionError('oauth2')}
      </div>

      <div className="mt-4 flex flex-col gap-3" role="group" aria-label="Client certificate">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 className="text-sm font-medium text-slate-700">Client certificate (mutual TLS)</h3>
          {!readOnly ? (
            a.certOn ? (
              <Button onClick={() => set({ certOn: false, certPEM: '', keyPEM: '' })} disabled={disabled}>
                Remove certificate
              </Button>
            ) : (
              <Button onClick={() => set({ certOn: true })} disabled={disabled}>
                {cert ? 'Keep certificate' : 'Add client certificate'}
              </Button>
            )
          ) : null}
        </div>
        {cert && a.certOn ? <CertificateCard cert={cert} now={now} label="Saved client certificate" /> : null}
        {!a.certOn && cert ? <p className="text-sm text-amber-700">The client certificate and its key will be removed on save.</p> : null}
        {a.certOn && !readOnly ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label={cert ? 'New certificate (PEM)' : 'Certificate (PEM)'}
              error={errors['clientCertificate.certificate']}
              hint={cert ? 'Empty: keep the saved one. May be followed by its intermediates.' : 'The certificate, optionally followed by its intermediates.'}
            >
              {(p) => (
                <textarea
                  {...p}
                  className={textareaClass}
                  value={a.certPEM}
                  onChange={(e) => set({ certPEM: e.target.value })}
                  placeholder="-----BEGIN CERTIFICATE-----"
                  disabled={disabled}
                  spellCheck={false}
                />
              )}
            </Field>
            <Field
              label={cert ? 'New private key (PEM)' : 'Private key (PEM)'}
              error={errors['clientCertificate.key']}
              hint={cert ? 'Empty: keep the saved key (it must match the certificate). Never shown again.' : 'Unencrypted PEM; stored encrypted and never shown again.'}
            >
              {(p) => (
                <textarea
                  {...p}
                  className={textareaClass}
                  value={a.keyPEM}
                  onChange={(e) => set({ keyPEM: e.target.value })}
                  placeholder="-----BEGIN PRIVATE KEY-----"
                  disabled={disabled}
                  spellCheck={false}
                  autoComplete="off"
                />
              )}
            </Field>
          </div>
        ) : null}
        {sectionError('clientCertificate')}
      </div>

      <div className="mt-4 flex flex-col gap-3" role="group" aria-label="CA certificates">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 className="text-sm font-medium text-slate-700">CA certificates for the receiver</h3>
          {!readOnly ? (
            a.caOn ? (
              <Button onClick={() => set({ caOn: false, caPEM: '' })} disabled={disabled}>
                Remove CA certificates
              </Button>
            ) : (
              <Button onClick={() => set({ caOn: true })} disabled={disabled}>
                {cas.length > 0 ? 'Keep CA certificates' : 'Add CA certificates'}
              </Button>
            )
          ) : null}
        </div>
        {!a.caOn && cas.length === 0 ? <p className="text-xs text-slate-500">None: the receiver's certificate is checked against the system's CAs.</p> : null}
        {a.caOn ? cas.map((c, i) => <CertificateCard key={c.fingerprint ?? i} cert={c} now={now} label={`Saved CA certificate ${i + 1}`} />) : null}
        {!a.caOn && cas.length > 0 ? <p className="text-sm text-amber-700">The CA certificates will be removed on save; the system's CAs are used again.</p> : null}
        {a.caOn && !readOnly ? (
          <Field
            label={cas.length > 0 ? 'New CA certificates (PEM)' : 'CA certificates (PEM)'}
            error={errors.caCertificate}
            hint={cas.length > 0 ? 'Empty: keep the saved ones. Pasted certificates replace them all.' : 'Only these CAs are trusted for the receiver, instead of the system’s.'}
          >
            {(p) => (
              <textarea {...p} className={textareaClass} value={a.caPEM} onChange={(e) => set({ caPEM: e.target.value })} placeholder="-----BEGIN CERTIFICATE-----" disabled={disabled} spellCheck={false} />
            )}
          </Field>
        ) : (
          sectionError('caCertificate')
        )}
      </div>
    </fieldset>
  )
}

/** initialAuthOAuth is the OAuth2 part of initialAuth: what the fields go back to when OAuth2 is removed or kept again. */
function initialAuthOAuth(w: StoredAuth): Partial<AuthState> {
  const { tokenURL, clientID, clientSecret, scopes, audience } = initialAuth(w)
  return { tokenURL, clientID, clientSecret, scopes, audience }
}
