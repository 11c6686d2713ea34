// The one-line consumer of okta-direct-auth, as an app would write it: bundled by esbuild for the
// size figure (the wasm stays an asset beside the bundle) and loaded by the start-up page.
import { DirectAuth } from 'okta-direct-auth';

export const start = (options) => DirectAuth.create(options);
