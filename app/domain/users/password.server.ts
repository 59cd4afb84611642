import { hash, verify } from '@node-rs/argon2'

// OWASP's argon2id recommendation (19 MiB, 2 passes); tests may lower the cost.
const OPTIONS = {
  algorithm: 2, // Algorithm.Argon2id (a const enum)
  memoryCost: Number(process.env.KZ_ARGON2_MEMORY ?? 19456),
  timeCost: 2,
  parallelism: 1,
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** Verifying against this keeps the time of a sign-in for an unknown e-mail like a known one. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('kezhuan-timing-equaliser')
  return dummyHash
}
