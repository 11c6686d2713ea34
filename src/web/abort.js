// Resolves when `signal` aborts (at once if it already has). One listener per SDK call.
export function whenAborted(signal) {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
