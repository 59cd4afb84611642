import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import nodemailer from 'nodemailer'
import { getEnv } from '~/infra/env.server'

export interface Mail {
  to: string | string[]
  subject: string
  text: string
}

/**
 * Sends through SMTP when KZ_SMTP_URL is set; otherwise writes each message as an .eml file
 * under KZ_DATA_DIR/mail, so nothing needs a mail server and every message can be read.
 */
export async function sendMail(mail: Mail): Promise<{ id: string; file?: string }> {
  const env = getEnv()
  const from = env.KZ_MAIL_FROM
  if (env.KZ_SMTP_URL) {
    const transport = nodemailer.createTransport(env.KZ_SMTP_URL)
    const info = await transport.sendMail({ from, ...mail })
    return { id: info.messageId }
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  const info = await transport.sendMail({ from, ...mail })
  const dir = path.join(env.dataDir, 'mail')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`)
  writeFileSync(file, info.message as Buffer)
  return { id: info.messageId, file }
}
