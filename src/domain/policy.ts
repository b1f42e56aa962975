/**
 * Who may do what, and who may see which value: the one place that decides (DOMAIN.md,
 * "Confidentiality"). The API, the web pages, exports and search all ask here.
 *
 * Permission matrix (documented in README):
 *
 * | role       | reads up to  | writes registry | imports/merges | exports      | users & tokens | audit | logs letters |
 * |------------|--------------|-----------------|----------------|--------------|----------------|-------|--------------|
 * | admin      | restricted   | yes             | yes            | full         | yes            | yes   | yes          |
 * | editor     | restricted   | yes             | yes            | full         | own tokens     | no    | yes          |
 * | researcher | internal     | no              | no             | internal     | own tokens     | no    | no           |
 * | volunteer  | internal     | proposes*       | no             | no           | no             | no    | yes          |
 * | public     | public + consent | no          | no             | open data    | no             | no    | no           |
 *
 * * A volunteer's change is stored as a proposal ('propose'); it reaches the registry only when an
 *   editor or admin approves it (features/review).
 *
 * Restricted values (family contacts, health, witnesses, assistance cases) need a cleared role, and
 * every read of one is audited by the caller. Public values reach the public only for people whose
 * publication consent is given.
 */
import { allows, type Level } from './confidentiality.js';

export const ROLES = ['admin', 'editor', 'researcher', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

export type Action =
  | 'read'
  | 'write'
  | 'import'
  | 'merge'
  | 'export'
  | 'manage_users'
  | 'manage_own_tokens'
  | 'manage_all_tokens'
  | 'read_audit'
  /** Send a change for review instead of writing it (volunteers); an editor's approval applies it. */
  | 'propose'
  /** Log letters sent to and replies from a prisoner (volunteers may; reading casework needs clearance). */
  | 'log_letters';

interface RolePolicy {
  clearance: Level;
  actions: readonly Action[];
}

export const ROLE_POLICY: Record<Role, RolePolicy> = {
  admin: {
    clearance: 'restricted',
    actions: ['read', 'write', 'import', 'merge', 'export', 'manage_users', 'manage_own_tokens', 'manage_all_tokens', 'read_audit', 'log_letters'],
  },
  editor: { clearance: 'restricted', actions: ['read', 'write', 'import', 'merge', 'export', 'manage_own_tokens', 'log_letters'] },
  researcher: { clearance: 'internal', actions: ['read', 'export', 'manage_own_tokens'] },
  volunteer: { clearance: 'internal', actions: ['read', 'propose', 'log_letters'] },
};

/** Who is asking: the public, or a signed-in member acting with a role (a token may carry a lower one). */
export type Viewer = { kind: 'public' } | { kind: 'member'; userId: number; email: string; role: Role; via: 'session' | 'token' };

export const PUBLIC: Viewer = { kind: 'public' };

/** Whoever runs the `vigil` command on the machine holds the store itself: they see everything in it. */
export const OPERATOR: Viewer = { kind: 'member', userId: 0, email: 'operator', role: 'admin', via: 'session' };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(viewer: Viewer, action: Action): boolean {
  return viewer.kind === 'member' && ROLE_POLICY[viewer.role].actions.includes(action);
}

/** The most private level a viewer may see. */
export function clearance(viewer: Viewer): Level {
  return viewer.kind === 'member' ? ROLE_POLICY[viewer.role].clearance : 'public';
}

/** A role may hand out tokens for itself or a role below it, never above. */
export function roleAtMost(role: Role, ceiling: Role): boolean {
  const order: Role[] = ['volunteer', 'researcher', 'editor', 'admin'];
  return order.indexOf(role) <= order.indexOf(ceiling);
}

export interface Visibility {
  /** The level of the value itself. */
  level: Level;
  /** For values about a person: is publication consent given? */
  consent: boolean;
}

/** May this viewer see a value with this level, about a person with or without consent? */
export function maySee(viewer: Viewer, value: Visibility): boolean {
  if (viewer.kind === 'public') return value.level === 'public' && value.consent;
  return allows(clearance(viewer), value.level);
}

/** The stricter of a record's level and a field's own level decides the field. */
export function fieldLevel(recordLevel: Level, fieldLevels: Record<string, Level>, field: string): Level {
  const own = fieldLevels[field];
  const order: Level[] = ['public', 'internal', 'restricted'];
  return own && order.indexOf(own) > order.indexOf(recordLevel) ? own : recordLevel;
}
