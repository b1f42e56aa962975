/**
 * The names the audit trail uses for what was done. Callers may record other names (the column is
 * free text), but the admin API and reports filter by these, so reuse one when it fits.
 */
export const AUDIT_ACTIONS = {
  signIn: 'sign_in',
  /** Password accepted, second factor still to come. */
  signInPasswordStep: 'sign_in_password_step',
  signInFailed: 'sign_in_failed',
  signOut: 'sign_out',
  accountSetup: 'account_setup',
  create: 'create',
  update: 'update',
  delete: 'delete',
  merge: 'merge',
  unmerge: 'unmerge',
  /** Two records were decided to be different people. */
  notSame: 'not_same',
  /** A volunteer's change was stored for review; an editor approved (and applied) or rejected it. */
  propose: 'propose',
  approve: 'approve',
  reject: 'reject',
  /** A restricted record or field was shown to someone: who looked at what is itself sensitive. */
  readRestricted: 'read_restricted',
  export: 'export',
  /** The store's encryption key was changed. */
  rekey: 'rekey',
  /** A file was taken into the store (chain of custody: who, when, SHA-256, size, type). */
  fileStore: 'file_store',
  /** A stored file's bytes were handed out (restricted ones are recorded as read_restricted). */
  fileDownload: 'file_download',
  /** An admin read the audit trail itself. */
  readAudit: 'read_audit',
  import: 'import',
  tokenCreate: 'token_create',
  tokenRevoke: 'token_revoke',
  userAdd: 'user_add',
  userReset: 'user_reset',
  userDisable: 'user_disable',
} as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];
