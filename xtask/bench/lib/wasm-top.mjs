// Where a wasm's bytes go (a small `twiggy top`): code size per function, by the name section,
// plus the data segments and the other sections. Needs a wasm built with names
// (`cargo xtask bench --breakdown` builds one with `strip = false`).
//   node lib/wasm-top.mjs FILE.wasm [N]
import { readFileSync } from 'node:fs';

function leb(buf, pos) {
  let result = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, pos];
}

const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'data count', 'tag'];

export function wasmTop(buf, top = 30) {
  let pos = 8;
  const sections = [];
  let importedFuncs = 0;
  let bodies = [];
  const names = new Map();
  let dataBytes = 0;
  while (pos < buf.length) {
    const id = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    const start = pos;
    const end = pos + size;
    let name = SECTION[id] ?? `#${id}`;
    if (id === 0) {
      let len;
      [len, pos] = leb(buf, pos);
      const custom = buf.toString('utf8', pos, pos + len);
      name = `custom "${custom}"`;
      pos += len;
      if (custom === 'name') {
        while (pos < end) {
          const sub = buf[pos++];
          let subSize;
          [subSize, pos] = leb(buf, pos);
          const subEnd = pos + subSize;
          if (sub === 1) {
            let count;
            [count, pos] = leb(buf, pos);
            for (let i = 0; i < count; i++) {
              let idx;
              let nlen;
              [idx, pos] = leb(buf, pos);
              [nlen, pos] = leb(buf, pos);
              names.set(idx, buf.toString('utf8', pos, pos + nlen));
              pos += nlen;
            }
          }
          pos = subEnd;
        }
      }
    } else if (id === 2) {
      let count;
      [count, pos] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < 2; k++) {
          let len;
          [len, pos] = leb(buf, pos);
          pos += len;
        }
        const kind = buf[pos++];
        if (kind === 0) {
          importedFuncs++;
          [, pos] = leb(buf, pos);
        } else if (kind === 1) {
          pos += 1;
          let flags;
          [flags, pos] = leb(buf, pos);
          [, pos] = leb(buf, pos);
          if (flags & 1) [, pos] = leb(buf, pos);
        } else if (kind === 2) {
          let flags;
          [flags, pos] = leb(buf, pos);
          [, pos] = leb(buf, pos);
          if (flags & 1) [, pos] = leb(buf, pos);
        } else if (kind === 3) {
          pos += 2;
        } else if (kind === 4) {
          pos += 1;
          [, pos] = leb(buf, pos);
        }
      }
    } else if (id === 10) {
      let count;
      [count, pos] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        let len;
        const at = pos;
        [len, pos] = leb(buf, pos);
        bodies.push({ index: importedFuncs + i, bytes: pos - at + len });
        pos += len;
      }
    } else if (id === 11) {
      dataBytes = size;
    }
    sections.push({ name, bytes: end - start });
    pos = end;
  }
  // Readable names: no crate disambiguators (`core[c5930c85a12de822]`) nor hashes (`::h0123…`).
  const tidy = (n) => n.replace(/\[[0-9a-f]{8,}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');
  bodies = bodies.map((b) => ({ ...b, name: names.has(b.index) ? tidy(names.get(b.index)) : `func[${b.index}]` }))
    .sort((a, b) => b.bytes - a.bytes);
  // Code bytes by crate: the first path segment of each (demangled) name.
  const byCrate = new Map();
  for (const b of bodies) {
    const m = /^<?&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)::/.exec(b.name);
    const crate = m ? m[1] : names.has(b.index) ? '(unmangled: exports, shims, compiler builtins)' : '(no name)';
    byCrate.set(crate, (byCrate.get(crate) ?? 0) + b.bytes);
  }
  const crates = [...byCrate].map(([crate, bytes]) => ({ crate, bytes })).sort((a, b) => b.bytes - a.bytes);
  const shipped = buf.length - sections.filter((x) => x.name.startsWith('custom')).reduce((a, x) => a + x.bytes, 0);
  const unmangled = bodies.filter((b) => !/::/.test(b.name)).slice(0, 10);
  return { total: buf.length, shipped, unmangled, sections, dataBytes, functions: bodies.length, crates, top: bodies.slice(0, top) };
}

export function formatTop(r) {
  const pct = (x) => `${((100 * x) / r.shipped).toFixed(1)}%`.padStart(6);
  const lines = [`${r.total} bytes in all, ${r.shipped} without custom sections (the % below are of these); ${r.functions} functions`, '', 'sections:'];
  for (const s of [...r.sections].sort((a, b) => b.bytes - a.bytes)) {
    lines.push(`  ${String(s.bytes).padStart(8)} ${pct(s.bytes)}  ${s.name}`);
  }
  lines.push('', 'code bytes by crate (first path segment of the name):');
  for (const c of r.crates) lines.push(`  ${String(c.bytes).padStart(8)} ${pct(c.bytes)}  ${c.crate}`);
  lines.push('', 'largest functions (code bytes):');
  for (const f of r.top) lines.push(`  ${String(f.bytes).padStart(8)} ${pct(f.bytes)}  ${f.name}`);
  lines.push('', 'largest unmangled functions:');
  for (const f of r.unmangled) lines.push(`  ${String(f.bytes).padStart(8)} ${pct(f.bytes)}  ${f.name}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [file, n] = process.argv.slice(2);
  console.log(formatTop(wasmTop(readFileSync(file), Number(n ?? 30))));
}
