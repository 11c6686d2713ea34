// The JS half of the api layer: the one error type every promise of okta-direct-auth rejects
// with (defined once, here: the wasm constructs it through makeError, and the npm entry
// re-exports the class errorClass() returns, so `instanceof DirectAuthError` holds for every
// error), and the caller's argument objects as JSON text for the wasm's parser.
export class DirectAuthError extends Error {
  constructor(kind, code, description, status, hint, oktaErrorCode) {
    super(description ? `${code}: ${description}` : code);
    this.name = 'DirectAuthError';
    this.kind = kind;
    this.code = code;
    if (description != null) this.description = description;
    if (status != null) this.status = status;
    this.hint = hint;
    if (oktaErrorCode != null) this.oktaErrorCode = oktaErrorCode;
  }
}

export const makeError = (...fields) => new DirectAuthError(...fields);

export const errorClass = () => DirectAuthError;

// undefined for undefined, a function, or what JSON cannot write (a cycle, a BigInt). A
// non-finite number becomes a string, so the wasm refuses it as the wrong type.
export function json(value) {
  try {
    return JSON.stringify(value, (_, v) => (typeof v == 'number' && !isFinite(v) ? '' + v : v));
  } catch {}
}
