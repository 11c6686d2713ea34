// The package minifies this file; the comments are in src/api/js.rs.
export class DirectAuthError extends Error {
  static name = 'DirectAuthError';
  constructor(kind, code, description, status, hint, oktaErrorCode, retryAfter) {
    super(description ? `${code}: ${description}` : code);
    this.name = 'DirectAuthError';
    this.kind = kind;
    this.code = code;
    if (description != null) this.description = description;
    if (status != null) this.status = status;
    this.hint = hint;
    if (oktaErrorCode != null) this.oktaErrorCode = oktaErrorCode;
    if (retryAfter != null) this.retryAfter = retryAfter;
  }
}

export const makeError = (...fields) => new DirectAuthError(...fields);

export const errorClass = () => DirectAuthError;

export function member(object, key) {
  if (typeof object != 'object') return;
  let v;
  try {
    v = object[key];
  } catch {}
  if (v == null) return;
  try {
    return (key == 'signal' ? v instanceof AbortSignal : typeof v == 'function') ? v : 0;
  } catch {
    return 0;
  }
}

const WRONG = ['symbol', 'function', 'bigint'];

export function json(value) {
  try {
    return JSON.stringify(value, (_, v) => (WRONG.includes(typeof v) || (typeof v == 'number' && !isFinite(v)) ? [[]] : v));
  } catch {}
}
