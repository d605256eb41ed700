import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request the receiver got. */
export interface Received {
  at: number
  path: string
  headers: IncomingHttpHeaders
  body: Record<string, unknown> | null
  /** True for scoopa's validation calls (origin "scoopa - endpoint validation test"). */
  validation: boolean
  status: number
}

/**
 * How the receiver answers: always 200; 500 to deliveries (200 to validations); 500 to the first N deliveries; 410 Gone to deliveries;
 * or 200, then download the delivery's file from its download_url (fetch).
 */
export type Script = { kind: 'ok' } | { kind: 'failDeliveries' } | { kind: 'failFirst'; n: number } | { kind: 'gone' } | { kind: 'fetch' }

export const VALIDATION_ORIGIN = 'scoopa - endpoint validation test'

/** Receiver is a local webhook endpoint on 127.0.0.1 that records requests and answers as scripted. */
export class Receiver {
  readonly requests: Received[] = []
  /** The byte counts of the files downloaded (script fetch). */
  readonly downloads: number[] = []
  script: Script
  private server: Server
  private deliveries = 0
  url = ''

  constructor(script: Script = { kind: 'ok' }) {
    this.script = script
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        let body: Record<string, unknown> | null = null
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
        } catch {
          body = null
        }
        const validation = body?.origin === VALIDATION_ORIGIN
        let status = 200
        if (!validation) {
          this.deliveries++
          if (this.script.kind === 'failDeliveries') status = 500
          if (this.script.kind === 'failFirst' && this.deliveries <= this.script.n) status = 500
          if (this.script.kind === 'gone') status = 410
        }
        this.requests.push({ at: Date.now(), path: req.url ?? '/', headers: req.headers, body, validation, status })
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(status === 200 ? { ok: true } : { error: 'scripted failure' }))
        if (this.script.kind === 'fetch' && !validation && typeof body?.download_url === 'string') {
          void fetch(body.download_url)
            .then((r) => r.arrayBuffer())
            .then((b) => this.downloads.push(b.byteLength))
        }
      })
    })
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    const { port } = this.server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}/hook`
    return this.url
  }

  deliveriesReceived(): Received[] {
    return this.requests.filter((r) => !r.validation)
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
}
