import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import nodemailer from 'nodemailer'
import { getEnv } from '~/infra/env.server'

export interface Mail {
  to: string | string[]
  subject: string
  text: string
  /** Kept from the first try, so that a retried message is recognisably the same one. */
  messageId?: string
  date?: Date
}

export interface SentMail {
  messageId: string
  /** The .eml file written without SMTP, relative to the data directory (e.g. mail/…eml). */
  emlPath?: string
}

// A mail server that does not answer must not hold the outbox worker for minutes.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }

/** The SMTP URL with our time limits, unless the URL sets its own (?connectionTimeout=…). */
export function smtpUrlWithTimeouts(url: string): string {
  const parsed = new URL(url)
  for (const [key, value] of Object.entries(SMTP_TIMEOUTS)) {
    if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, String(value))
  }
  return parsed.toString()
}

/** Errors of the connection (nodemailer's codes), not of the message. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'])

/**
 * Whether a sending error says that the mail server cannot be used now (unreachable, timing
 * out, refusing our login, or answering 4xx, SMTP's "try again later") rather than that it
 * refused this message (5xx: no such mailbox, rejected content).
 */
export function isSmtpUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown }
  // A refused login comes with a 5xx code, but it is our key, not the message, that is wrong.
  if (code === 'EAUTH') return true
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500
  return typeof code === 'string' && CONNECTION_CODES.has(code)
}

/** A fresh Message-ID in our own domain. */
export function newMessageId(): string {
  const from = getEnv().KZ_MAIL_FROM
  const domain = from.match(/@([^>\s]+)/)?.[1] ?? 'kezhuan.local'
  return `<${Date.now().toString(36)}.${randomBytes(8).toString('hex')}@${domain}>`
}

/** The whole message as RFC 5322 text (an .eml file), built the same way it is sent. */
export async function buildEml(mail: Mail): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  const info = await transport.sendMail({ from: getEnv().KZ_MAIL_FROM, ...mail })
  return info.message as Buffer
}

/**
 * Sends through SMTP when KZ_SMTP_URL is set; otherwise writes each message as an .eml file
 * under KZ_DATA_DIR/mail, so nothing needs a mail server and every message can be read.
 * Throws when the transport fails: the caller (the outbox) keeps the message and tries again.
 */
export async function sendMail(mail: Mail): Promise<SentMail> {
  const env = getEnv()
  const from = env.KZ_MAIL_FROM
  const message = { from, ...mail, messageId: mail.messageId ?? newMessageId() }
  if (env.KZ_SMTP_URL) {
    const transport = nodemailer.createTransport(smtpUrlWithTimeouts(env.KZ_SMTP_URL))
    try {
      const info = await transport.sendMail(message)
      return { messageId: info.messageId }
    } finally {
      transport.close()
    }
  }
  const eml = await buildEml(message)
  const relative = path.posix.join('mail', `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`)
  const file = path.join(env.dataDir, relative)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, eml)
  return { messageId: message.messageId, emlPath: relative }
}

/** Reads an .eml file written by sendMail; null when the path leaves the mail folder or is gone. */
export function readEml(emlPath: string): Buffer | null {
  const root = path.join(getEnv().dataDir, 'mail')
  const file = path.resolve(getEnv().dataDir, emlPath)
  if (!file.startsWith(root + path.sep)) return null
  try {
    return readFileSync(file)
  } catch {
    return null
  }
}
