import type { OrgKind, Role } from '~/generated/prisma/enums'

/** Typed permissions, granted per role. The domain checks them; routes only ask. */
export const PERMISSIONS = {
  SUPPLIER: ['account:manage', 'org:invite', 'achievement:create', 'listing:import', 'contract:draft'],
  ENTERPRISE: ['account:manage', 'org:invite', 'demand:create', 'listing:import', 'contract:draft'],
  BROKER: [
    'account:manage',
    'org:invite',
    'listing:confidential',
    'contract:draft',
    'broker:profile',
    'demand:mine',
    'demand:claim',
    'deal:create',
  ],
  BUREAU: [
    'account:manage',
    'org:invite',
    'org:verify',
    'org:list',
    'audit:read',
    'scenario:create',
    'listing:review',
    'listing:confidential',
    'listing:import',
    'listing:import-any',
    'contract:register',
    'contract:read-all',
    'commission:read-all',
    'target:edit',
    'deal:read-all',
    'broker:verify',
    'nda:template',
  ],
  ADMIN: [
    'account:manage',
    'org:invite',
    'org:verify',
    'org:list',
    'audit:read',
    'user:create',
    'user:list',
    'listing:review',
    'listing:confidential',
    'listing:import',
    'listing:import-any',
    'contract:read-all',
    'commission:read-all',
    'deal:read-all',
    'broker:verify',
    'nda:template',
    'mail:read',
  ],
} as const satisfies Record<Role, readonly string[]>

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS][number]

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[role] as readonly string[]).includes(permission)
}

/** A member's role follows from the kind of their organisation. */
export const ROLE_BY_ORG_KIND = {
  UNIVERSITY: 'SUPPLIER',
  INSTITUTE: 'SUPPLIER',
  ENTERPRISE: 'ENTERPRISE',
  BROKER_AGENCY: 'BROKER',
  GOVERNMENT: 'BUREAU',
  OTHER: 'SUPPLIER',
} as const satisfies Record<OrgKind, Role>

/** Government bodies are set up by an administrator, never registered by the public. */
export const SELF_REGISTERED_ORG_KINDS = ['UNIVERSITY', 'INSTITUTE', 'ENTERPRISE', 'BROKER_AGENCY', 'OTHER'] as const
