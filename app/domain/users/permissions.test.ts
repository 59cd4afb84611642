import { describe, expect, it } from 'vitest'
import { OrgKind, Role } from '~/generated/prisma/enums'
import { can, PERMISSIONS, ROLE_BY_ORG_KIND, SELF_REGISTERED_ORG_KINDS } from './permissions'

describe('permissions', () => {
  it('lets the bureau and administrators verify organisations, and nobody else', () => {
    expect(can('BUREAU', 'org:verify')).toBe(true)
    expect(can('ADMIN', 'org:verify')).toBe(true)
    for (const role of ['ENTERPRISE', 'SUPPLIER', 'BROKER'] as const) {
      expect(can(role, 'org:verify'), role).toBe(false)
      expect(can(role, 'org:list'), role).toBe(false)
      expect(can(role, 'audit:read'), role).toBe(false)
    }
  })

  it('keeps account creation to administrators', () => {
    expect(can('ADMIN', 'user:create')).toBe(true)
    for (const role of ['BUREAU', 'ENTERPRISE', 'SUPPLIER', 'BROKER'] as const) expect(can(role, 'user:create'), role).toBe(false)
  })

  it('lets every role manage its own account', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.values(Role).sort())
    for (const role of Object.values(Role)) expect(can(role, 'account:manage'), role).toBe(true)
  })
})

describe('ROLE_BY_ORG_KIND', () => {
  it('gives every organisation kind a role', () => {
    expect(Object.keys(ROLE_BY_ORG_KIND).sort()).toEqual(Object.values(OrgKind).sort())
    expect(ROLE_BY_ORG_KIND).toEqual({
      UNIVERSITY: 'SUPPLIER',
      INSTITUTE: 'SUPPLIER',
      ENTERPRISE: 'ENTERPRISE',
      BROKER_AGENCY: 'BROKER',
      GOVERNMENT: 'BUREAU',
      OTHER: 'SUPPLIER',
    })
  })

  it('never hands a self-registered organisation the bureau or administrator role', () => {
    expect(SELF_REGISTERED_ORG_KINDS).not.toContain('GOVERNMENT')
    for (const kind of SELF_REGISTERED_ORG_KINDS) {
      expect(['BUREAU', 'ADMIN']).not.toContain(ROLE_BY_ORG_KIND[kind])
      expect(can(ROLE_BY_ORG_KIND[kind], 'org:verify'), kind).toBe(false)
    }
    expect(Object.values(ROLE_BY_ORG_KIND)).not.toContain('ADMIN')
  })
})
