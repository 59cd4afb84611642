import { describe, expect, it } from 'vitest'
import { safeRedirect } from './auth.server'

/** Where a browser would go from a page on our site given this Location header. */
const browserTarget = (location: string) => new URL(location, 'https://kezhuan.example/login')

describe('safeRedirect', () => {
  it('keeps same-site paths with their query and fragment', () => {
    for (const to of ['/', '/account', '/account?x=1', '/admin/orgs?tab=verified&page=2', '/register?mode=join#form', '/%E4%B8%AD']) {
      expect(safeRedirect(to), to).toBe(to)
    }
  })

  it('refuses other hosts, in every spelling a browser understands', () => {
    const offSite = [
      '//evil.com',
      '//evil.com/account',
      'https://evil.com',
      'http://evil.com/account',
      '/\\evil.com',
      '\\\\evil.com',
      '/\t/evil.com', // browsers drop tabs and newlines from URLs: this is //evil.com
      '/\n/evil.com',
      '/\r\n/evil.com',
      'javascript:alert(1)',
      'evil.com',
      ' //evil.com',
    ]
    for (const to of offSite) {
      const result = safeRedirect(to)
      expect(browserTarget(result).host, JSON.stringify(to)).toBe('kezhuan.example')
      expect(result, JSON.stringify(to)).toBe('/')
    }
  })

  it('hands back a same-site path as a browser reads it, fit for a Location header', () => {
    expect(safeRedirect('/acc\tou\nnt?x=1')).toBe('/account?x=1')
    expect(safeRedirect('/账户')).toBe('/%E8%B4%A6%E6%88%B7')
    expect(() => new Headers({ Location: safeRedirect('/a\r\nSet-Cookie: x=1') })).not.toThrow()
  })

  it('falls back for anything but a string, to the given fallback', () => {
    for (const to of [undefined, null, 42, {}, ['/account'], '']) expect(safeRedirect(to)).toBe('/')
    expect(safeRedirect('https://evil.com', '/account')).toBe('/account')
    expect(safeRedirect(null, '/account')).toBe('/account')
  })
})
