// Errors the CLI maps to exit codes in one place: each has a stable code (listed in docs/errors.md),
// a one-line message naming the file, key or value at fault, and a hint saying what would fix it.

/** Every error code the tool can report; docs/errors.md documents each (a test keeps it complete). */
export const ERROR_CODES = [
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'CONFIG_UNREADABLE',
  'CONFIG_SYNTAX',
  'CONFIG_PROBE_FAILED',
  'LOG_UNWRITABLE',
  'LOG_UNREADABLE',
  'LOG_MISSING',
  'LOCKED',
  'FILE_EXISTS',
  'USAGE',
  'WRITE_FAILED',
  'DEMO_FAILED',
  'INPUT_UNREADABLE',
  'INPUT_INVALID',
] as const;
/** A stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure of a command: code, message, optional hint and the problems behind it. */
export class GuardError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | null;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, opts: { hint?: string; details?: string[] } = {}) {
    super(message);
    this.name = 'GuardError';
    this.code = code;
    this.hint = opts.hint ?? null;
    this.details = opts.details ?? [];
  }
}
