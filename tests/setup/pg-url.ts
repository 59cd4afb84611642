/** The PostgreSQL server the tests use; databases are created on it and dropped afterwards. */
export const TEST_PG_ADMIN_URL = process.env.KZ_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}
