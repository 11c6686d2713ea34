// Figure 1: shipped size. esbuild bundles (`--bundle --minify --format=esm`) and their raw,
// gzip -9 (node zlib, level 9) and brotli (quality 11) sizes.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import zlib from 'node:zlib';

export function compressedSizes(buf) {
  return {
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buf, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

export function addSizes(parts) {
  return parts.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }),
    { raw: 0, gzip: 0, brotli: 0 });
}

/** Every .wasm / .js / .mjs file of the package (what `crate::test::shipped_files` counts). */
export function packageFiles(pkgDir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(wasm|m?js)$/.test(name)) out.push(p);
    }
  };
  walk(pkgDir);
  return out.sort().map((p) => ({ file: relative(pkgDir, p), ...compressedSizes(readFileSync(p)) }));
}

/** Resolves `okta-direct-auth` to the built package. */
function packagePlugin(pkgDir) {
  return {
    name: 'okta-direct-auth-from-target',
    setup(build) {
      build.onResolve({ filter: /^okta-direct-auth$/ }, () => ({ path: join(pkgDir, 'index.js') }));
    },
  };
}

/**
 * Bundles `entry` into `outDir/<name>.js`. With `pkgDir`, `okta-direct-auth` resolves to it and the
 * package's wasm is copied beside the bundle (where `new URL('./…_bg.wasm', import.meta.url)` finds it).
 */
export async function bundle({ entry, name, outDir, pkgDir, nodeModules }) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.js`);
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    nodePaths: [nodeModules],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: pkgDir ? [packagePlugin(pkgDir)] : [],
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: process.cwd(),
  });
  // An import esbuild could not find would silently shrink a bundle: that one is fatal. Other
  // warnings (e.g. wasm-bindgen's glue repeating a snippet key) are shown and kept in the JSON.
  const fatal = result.warnings.filter((w) => w.id === 'import-is-undefined');
  if (fatal.length) {
    const text = await esbuild.formatMessages(fatal, { kind: 'error' });
    throw new Error(`esbuild could not resolve an import while bundling ${entry}:\n${text.join('\n')}`);
  }
  const warnings = result.warnings.map((w) => `${w.id}: ${w.text} (${w.location?.file}:${w.location?.line})`);
  for (const w of warnings) console.warn(`esbuild warning (${name}): ${w}`);
  const js = compressedSizes(readFileSync(outfile));
  let wasm;
  if (pkgDir) {
    const wasmName = readdirSync(pkgDir).find((f) => f.endsWith('_bg.wasm'));
    copyFileSync(join(pkgDir, wasmName), join(outDir, wasmName));
    wasm = compressedSizes(readFileSync(join(outDir, wasmName)));
  }
  const inputs = Object.entries(result.metafile.outputs[relative(process.cwd(), outfile)]?.inputs ?? {})
    .map(([path, v]) => ({ path, bytesInOutput: v.bytesInOutput }))
    .sort((a, b) => b.bytesInOutput - a.bytesInOutput);
  return { outfile, js, wasm, total: wasm ? addSizes([js, wasm]) : js, inputs, warnings };
}
