// The one error type every promise of okta-direct-auth rejects with. Defined once, here;
// the wasm constructs it through makeError, and the npm entry re-exports the class that
// directAuthErrorClass() returns, so `instanceof DirectAuthError` holds for every error.
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

export function makeError(kind, code, description, status, hint, oktaErrorCode) {
  return new DirectAuthError(kind, code, description, status, hint, oktaErrorCode);
}

export function errorClass() {
  return DirectAuthError;
}
