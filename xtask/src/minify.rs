//! Short names on the wasm/JS boundary. wasm-bindgen names every import after its Rust path and a
//! hash (`__wbg_send_8e0e2a1e017c1928`), every module after its file
//! (`./snippets/okta-direct-auth-<hash>/src/web/session.js`), and exports after their Rust names
//! (two closure shims are ~300 characters each); each name is spelt in the wasm and again in the
//! glue. `wasm-opt --minify-imports-and-exports-and-modules` renames them all in the wasm (every
//! module to one, "a") and prints the old → new map; [`rewrite_glue`] makes the glue agree.
//!
//! The rewrite works on wasm-bindgen's raw output (before esbuild) and relies on its layout:
//! exports read as `wasm.<name>`, imports as the object `__wbg_get_imports()` returns. Whenever
//! the glue does not look like that, it fails with the reason rather than ship a glue that
//! instantiates with `undefined` imports or calls exports that are not there.

use crate::Result;
use std::collections::{BTreeMap, BTreeSet};

/// What `wasm-opt --minify-imports-and-exports-and-modules` prints on stdout.
#[derive(Debug, PartialEq)]
pub struct NameMap {
    pub imports: Vec<ImportRename>,
    /// (old name, new name).
    pub exports: Vec<(String, String)>,
}

/// One import as wasm-bindgen named it and its new name (in the one new module).
#[derive(Debug, PartialEq)]
pub struct ImportRename {
    pub module: String,
    pub name: String,
    pub new_name: String,
}

/// The names a wasm module's import and export sections hold.
#[derive(Debug, PartialEq)]
pub struct WasmNames {
    /// (module, name) of every import, in order.
    pub imports: Vec<(String, String)>,
    pub exports: Vec<String>,
}

/// A [`NameMap`] checked against the minified wasm it came with.
#[derive(Debug)]
pub struct Renames {
    /// The module every import now comes from.
    pub module: String,
    pub imports: Vec<ImportRename>,
    /// Old export name → new.
    pub exports: BTreeMap<String, String>,
}

impl Renames {
    /// Checks that `map` describes `wasm` (the same import and export names, one module), so that
    /// a glue rewritten by it instantiates that file.
    pub fn new(map: NameMap, wasm: &WasmNames) -> Result<Renames> {
        let modules: BTreeSet<&str> = wasm.imports.iter().map(|(module, _)| module.as_str()).collect();
        let module = match modules.into_iter().collect::<Vec<_>>()[..] {
            [one] => one.to_owned(),
            ref other => return Err(format!("the minified wasm should import from one module, not {other:?}")),
        };
        let wasm_imports: BTreeSet<&str> = wasm.imports.iter().map(|(_, name)| name.as_str()).collect();
        let mapped_imports: BTreeSet<&str> = map.imports.iter().map(|i| i.new_name.as_str()).collect();
        if wasm_imports.len() != wasm.imports.len() || mapped_imports.len() != map.imports.len() {
            return Err("an import name occurs twice in the minified wasm or in wasm-opt's name map".into());
        }
        if wasm_imports != mapped_imports {
            return Err(format!(
                "wasm-opt's name map does not describe the wasm's imports: only in the map {:?}, only in the wasm {:?}",
                mapped_imports.difference(&wasm_imports).collect::<Vec<_>>(),
                wasm_imports.difference(&mapped_imports).collect::<Vec<_>>()
            ));
        }
        let old_imports: BTreeSet<(&str, &str)> = map.imports.iter().map(|i| (i.module.as_str(), i.name.as_str())).collect();
        if old_imports.len() != map.imports.len() {
            return Err("wasm-opt's name map renames one import twice".into());
        }
        let wasm_exports: BTreeSet<&str> = wasm.exports.iter().map(String::as_str).collect();
        let mapped_exports: BTreeSet<&str> = map.exports.iter().map(|(_, new)| new.as_str()).collect();
        if wasm_exports != mapped_exports || mapped_exports.len() != map.exports.len() || wasm_exports.len() != wasm.exports.len() {
            return Err(format!(
                "wasm-opt's name map does not describe the wasm's exports: the map gives {:?}, the wasm has {:?}",
                mapped_exports, wasm_exports
            ));
        }
        if let Some(both) = wasm_imports.intersection(&wasm_exports).next() {
            return Err(format!("`{both}` names both an import and an export of the minified wasm"));
        }
        for new in wasm_imports.iter().chain(&wasm_exports) {
            if !is_identifier(new) {
                return Err(format!("the minified name `{new}` is not a JS identifier"));
            }
        }
        let exports: BTreeMap<String, String> = map.exports.into_iter().collect();
        if exports.len() != wasm_exports.len() {
            return Err("wasm-opt's name map renames one export twice".into());
        }
        Ok(Renames { module, imports: map.imports, exports })
    }
}

impl Renames {
    /// One line per renamed name, `import <module> <name> -> <new>` or `export <old> -> <new>`.
    pub fn listing(&self) -> String {
        let imports = self.imports.iter().map(|i| format!("import {} {} -> {}\n", i.module, i.name, i.new_name));
        let exports = self.exports.iter().map(|(old, new)| format!("export {old} -> {new}\n"));
        imports.chain(exports).collect()
    }
}

/// Parses what wasm-opt printed: one map per run of the pass, each
/// `{"imports": [[module, name, new], …], "exports": [[old, new], …]}`, and composes them into
/// one from wasm-bindgen's names to the last. (With `--converge` wasm-opt runs all its passes
/// again until the file stops shrinking, the minifying one too: the later maps rename the
/// names it gave before, so far each to itself.)
pub fn parse_name_maps(text: &str) -> Result<NameMap> {
    let mut parser = JsonParser { text: text.as_bytes(), at: 0 };
    let mut maps = Vec::new();
    loop {
        parser.skip_space();
        if parser.at == text.len() {
            break;
        }
        let value = parser.value().map_err(|e| format!("wasm-opt's name map: {e}"))?;
        maps.push(name_map(value).map_err(|e| format!("wasm-opt's name map {}: {e}", maps.len() + 1))?);
    }
    let mut maps = maps.into_iter();
    let mut composed = maps.next().ok_or("wasm-opt printed no name map")?;
    for (run, next) in maps.enumerate() {
        let bad = |why: String| format!("wasm-opt's name map {} does not follow the one before: {why}", run + 2);
        let imports: BTreeMap<&str, &str> = next.imports.iter().map(|i| (i.name.as_str(), i.new_name.as_str())).collect();
        if imports.len() != next.imports.len() || imports.len() != composed.imports.len() {
            return Err(bad(format!("{} imports after {}", next.imports.len(), composed.imports.len())));
        }
        for import in &mut composed.imports {
            import.new_name =
                imports.get(import.new_name.as_str()).ok_or_else(|| bad(format!("no import {:?}", import.new_name)))?.to_string();
        }
        let exports: BTreeMap<&str, &str> = next.exports.iter().map(|(old, new)| (old.as_str(), new.as_str())).collect();
        if exports.len() != next.exports.len() || exports.len() != composed.exports.len() {
            return Err(bad(format!("{} exports after {}", next.exports.len(), composed.exports.len())));
        }
        for (_, new) in &mut composed.exports {
            *new = exports.get(new.as_str()).ok_or_else(|| bad(format!("no export {new:?}")))?.to_string();
        }
    }
    Ok(composed)
}

fn name_map(value: Json) -> Result<NameMap> {
    let Json::Object(fields) = value else { return Err("not a JSON object".into()) };
    let field = |name: &str| match fields.iter().find(|(key, _)| key == name) {
        Some((_, Json::Array(rows))) => Ok(rows),
        Some(_) => Err(format!("\"{name}\" is not an array")),
        None => Err(format!("no \"{name}\"")),
    };
    let strings = |row: &Json, len: usize, what: &str| -> Result<Vec<String>> {
        match row {
            Json::Array(items) if items.len() == len => items
                .iter()
                .map(|item| match item {
                    Json::String(s) => Ok(s.clone()),
                    _ => Err(format!("{what} {row:?} holds a non-string")),
                })
                .collect(),
            _ => Err(format!("{what} {row:?} is not an array of {len} strings")),
        }
    };
    let mut imports = Vec::new();
    for row in field("imports")? {
        if let [module, name, new_name] = &strings(row, 3, "import")?[..] {
            imports.push(ImportRename { module: module.clone(), name: name.clone(), new_name: new_name.clone() });
        }
    }
    let mut exports = Vec::new();
    for row in field("exports")? {
        if let [old, new] = &strings(row, 2, "export")?[..] {
            exports.push((old.clone(), new.clone()));
        }
    }
    Ok(NameMap { imports, exports })
}

/// The import and export names of a wasm binary (its other sections skipped unread).
pub fn wasm_names(bytes: &[u8]) -> Result<WasmNames> {
    let mut r = WasmReader { bytes, at: 0 };
    if r.take(8)? != b"\0asm\x01\0\0\0" {
        return Err("not a wasm binary (version 1)".into());
    }
    let mut names = WasmNames { imports: Vec::new(), exports: Vec::new() };
    while r.at < bytes.len() {
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let mut section = WasmReader { bytes: r.take(size)?, at: 0 };
        match id {
            IMPORT_SECTION => {
                for _ in 0..section.leb()? {
                    let module = section.name()?;
                    let name = section.name()?;
                    section.skip_import_kind().map_err(|e| format!("import {module:?} {name:?}: {e}"))?;
                    names.imports.push((module, name));
                }
            }
            EXPORT_SECTION => {
                for _ in 0..section.leb()? {
                    names.exports.push(section.name()?);
                    section.byte()?; // kind
                    section.leb()?; // index
                }
            }
            _ => {}
        }
    }
    Ok(names)
}

const IMPORT_SECTION: u8 = 2;
const EXPORT_SECTION: u8 = 7;

/// The glue rewritten for the minified wasm: every `wasm.<export>` read by its new name, and the
/// object `__wbg_get_imports()` returns keyed by the new module with the new import names. The
/// glue's own imports (wasm-bindgen's object `import0`) are renamed in place; those the wasm
/// takes straight from a snippet module (wasm-bindgen passes that module's namespace object,
/// `import * as import1 from "./snippets/…"`) become entries `<new>: import1.<name>` in it.
pub fn rewrite_glue(glue: &str, renames: &Renames) -> Result<String> {
    let glue = rename_export_reads(glue, &renames.exports)?;
    let (glue, own_module) = rewrite_import_object(&glue, renames)?;
    check_rewritten(&glue, renames, &own_module)?;
    Ok(glue)
}

/// `wasm.<old>` → `wasm.<new>` for every export read; an export the wasm does not have is an error.
fn rename_export_reads(glue: &str, exports: &BTreeMap<String, String>) -> Result<String> {
    let mut out = String::with_capacity(glue.len());
    let mut copied = 0;
    for (at, name) in export_reads(glue)? {
        let new = exports.get(name).ok_or_else(|| format!("the glue reads `wasm.{name}`, which the wasm does not export"))?;
        out.push_str(&glue[copied..at]);
        out.push_str(new);
        copied = at + name.len();
    }
    out.push_str(&glue[copied..]);
    Ok(out)
}

/// Every `wasm.<name>` of the glue: (byte offset of `name`, `name`). A computed `wasm[…]` is an
/// error: its name cannot be renamed here.
fn export_reads(glue: &str) -> Result<Vec<(usize, &str)>> {
    let mut reads = Vec::new();
    for (at, _) in glue.match_indices("wasm") {
        let before = glue[..at].chars().next_back();
        if before.is_some_and(|c| is_identifier_char(c) || c == '.') {
            continue; // part of another name (`WebAssembly`, `_bg.wasm`, `x.wasm`)
        }
        let rest = &glue[at + 4..];
        if rest.starts_with('[') {
            return Err(format!("the glue reads an export by a computed name (`{}`)", line_at(glue, at)));
        }
        let Some(after_dot) = rest.strip_prefix('.') else { continue };
        let name = identifier_prefix(after_dot);
        if name.is_empty() {
            return Err(format!("`wasm.` without a name in the glue: `{}`", line_at(glue, at)));
        }
        reads.push((at + 5, name));
    }
    Ok(reads)
}

/// The glue with the import object rewritten, and the module wasm-bindgen named the glue's own.
fn rewrite_import_object(glue: &str, renames: &Renames) -> Result<(String, String)> {
    const FUNCTION: &str = "function __wbg_get_imports() {";
    let start = match glue.match_indices(FUNCTION).map(|(at, _)| at).collect::<Vec<_>>()[..] {
        [one] => one,
        ref found => return Err(format!("expected one `{FUNCTION}` in the glue, found {}", found.len())),
    };
    // wasm-bindgen closes a top-level function with a `}` at the start of a line.
    let end = glue[start..].find("\n}").map(|i| start + i).ok_or("`__wbg_get_imports()` has no closing `}` at the start of a line")?;
    let body = &glue[start..end];

    let return_at = body.rfind("return {").ok_or("`__wbg_get_imports()` returns no object literal")?;
    let (modules, return_len) = module_entries(&body[return_at + "return {".len()..])?;
    let return_end = return_at + "return {".len() + return_len;
    if !body[return_end..].trim().is_empty() {
        return Err("`__wbg_get_imports()` goes on after its `return {…};`".into());
    }

    // Each module's object: the glue's own literal (`const import0 = {…}`) or a snippet module's
    // namespace (`import * as import1 from "…"`).
    let mut literal: Option<(&str, &str, usize)> = None; // (module, variable, offset in `body`)
    let mut namespaces: BTreeMap<&str, &str> = BTreeMap::new();
    for (module, variable) in &modules {
        if let Some(at) = body.find(&format!("const {variable} = {{")) {
            if let Some((other, _, _)) = literal {
                return Err(format!("two import object literals in `__wbg_get_imports()` (for {other:?} and {module:?})"));
            }
            literal = Some((module, variable, at));
        } else if [format!("import * as {variable} from \"{module}\""), format!("import * as {variable} from '{module}'")]
            .iter()
            .any(|import| glue[..start].contains(import.as_str()))
        {
            namespaces.insert(module, variable);
        } else {
            return Err(format!("`__wbg_get_imports()` passes `{variable}` as {module:?}, which is neither its object literal nor that module's namespace import"));
        }
    }
    let (own_module, own_variable, literal_at) = literal.ok_or("`__wbg_get_imports()` builds no import object literal of its own")?;

    let opening = format!("const {own_variable} = {{");
    let line_start = body[..literal_at].rfind('\n').map_or(0, |i| i + 1);
    let indent = &body[line_start..literal_at];
    if !indent.chars().all(|c| c == ' ') {
        return Err(format!("`{opening}` does not start its line"));
    }
    let closing = format!("\n{indent}}};");
    let literal_end =
        body[literal_at..].find(&closing).map(|i| literal_at + i).ok_or_else(|| format!("`{opening}` has no `{}`", closing.trim()))?;
    let literal_body = &body[literal_at + opening.len()..literal_end];

    let own: BTreeMap<&str, &str> =
        renames.imports.iter().filter(|i| i.module == own_module).map(|i| (i.name.as_str(), i.new_name.as_str())).collect();
    let (renamed_literal, key_indent) = rename_keys(literal_body, &own, own_module)?;

    let mut added = String::new();
    for import in renames.imports.iter().filter(|i| i.module != own_module) {
        let variable = namespaces
            .get(import.module.as_str())
            .ok_or_else(|| format!("the wasm imports {:?} from {:?}, a module the glue does not provide", import.name, import.module))?;
        if !is_identifier(&import.name) {
            return Err(format!("the wasm imports {:?} from {:?}: not a JS identifier", import.name, import.module));
        }
        added.push_str(&format!("\n{key_indent}{}: {variable}.{},", import.new_name, import.name));
    }

    let mut out = String::with_capacity(glue.len());
    out.push_str(&glue[..start + literal_at + opening.len()]);
    out.push_str(&renamed_literal);
    out.push_str(&added);
    out.push_str(&body[literal_end..return_at]);
    out.push_str(&format!("return {{ __proto__: null, {}: {own_variable} }};", json_string(&renames.module)));
    out.push_str(&glue[end..]);
    Ok((out, own_module.to_owned()))
}

/// The entries of `__wbg_get_imports()`'s returned object, `"<module>": <variable>` (its
/// `__proto__: null` left out), and the length of the text up to and including its `};`.
fn module_entries(text: &str) -> Result<(Vec<(String, String)>, usize)> {
    let bad = |why: &str| format!("the object `__wbg_get_imports()` returns: {why}");
    let mut entries = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('}') {
            let after = after.trim_start().strip_prefix(';').ok_or_else(|| bad("no `;` after its `}`"))?;
            return Ok((entries, text.len() - after.len()));
        }
        let (key, after_key) = if let Some(quote @ ('"' | '\'')) = rest.chars().next() {
            let close = rest[1..].find(quote).ok_or_else(|| bad("an unterminated string"))?;
            let key = &rest[1..1 + close];
            if key.contains('\\') {
                return Err(bad(&format!("an escape in the key {key:?}")));
            }
            (key, &rest[close + 2..])
        } else {
            let key = identifier_prefix(rest);
            if key.is_empty() {
                return Err(bad(&format!("unexpected `{}`", rest.chars().take(20).collect::<String>())));
            }
            (key, &rest[key.len()..])
        };
        let after_colon = after_key.trim_start().strip_prefix(':').ok_or_else(|| bad(&format!("no `:` after {key:?}")))?.trim_start();
        let value = identifier_prefix(after_colon);
        if value.is_empty() {
            return Err(bad(&format!("{key:?} is not given a variable")));
        }
        rest = after_colon[value.len()..].trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest);
        match (key, value) {
            ("__proto__", "null") => {}
            ("__proto__", _) => return Err(bad("a `__proto__` other than null")),
            _ => entries.push((key.to_owned(), value.to_owned())),
        }
    }
}

/// Renames the keys of the glue's own import object (`literal_body`, between its `{` and `}`),
/// each by `renames` (old → new): one entry per line at the first entry's indentation, the
/// functions' bodies deeper. A key the wasm does not import, or an import with no key, is an
/// error. Returns the renamed text and the entries' indentation.
fn rename_keys<'a>(literal_body: &'a str, renames: &BTreeMap<&str, &str>, module: &str) -> Result<(String, &'a str)> {
    let first_entry = literal_body.trim_start_matches([' ', '\n']);
    let entry_line = &literal_body[..literal_body.len() - first_entry.len()];
    let key_indent = entry_line.rsplit('\n').next().unwrap_or_default();
    if key_indent.is_empty() {
        return Err(format!("the import object for {module:?} is not one entry per line"));
    }
    let mut out = String::with_capacity(literal_body.len());
    let mut placed = BTreeSet::new();
    for (i, line) in literal_body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let Some(entry) = line.strip_prefix(key_indent).filter(|e| !e.starts_with(' ')) else {
            out.push_str(line);
            continue;
        };
        if entry.starts_with('}') || entry.starts_with("//") {
            out.push_str(line);
            continue;
        }
        let key = identifier_prefix(entry);
        if key.is_empty() || !entry[key.len()..].starts_with(':') {
            return Err(format!("unexpected line in the import object for {module:?}: `{line}`"));
        }
        if key == "__proto__" {
            out.push_str(line);
            continue;
        }
        let new = renames
            .get(key)
            .ok_or_else(|| format!("the glue's import object gives {key:?} to {module:?}, which the wasm does not import"))?;
        if !placed.insert(key) {
            return Err(format!("the glue's import object gives {key:?} twice"));
        }
        out.push_str(key_indent);
        out.push_str(new);
        out.push_str(&entry[key.len()..]);
    }
    if let Some(missing) = renames.keys().find(|name| !placed.contains(*name)) {
        return Err(format!("the wasm imports {missing:?} from {module:?}, which the glue's import object does not define"));
    }
    Ok((out, key_indent))
}

/// After the rewrite: every `wasm.<name>` is a new export name, and no old name of the glue's own
/// imports is left (the snippet modules' names stay: they are those modules' exports).
fn check_rewritten(glue: &str, renames: &Renames, own_module: &str) -> Result {
    let new_exports: BTreeSet<&str> = renames.exports.values().map(String::as_str).collect();
    if let Some((_, stale)) = export_reads(glue)?.into_iter().find(|(_, name)| !new_exports.contains(name)) {
        return Err(format!("the rewritten glue still reads `wasm.{stale}`"));
    }
    let identifiers: BTreeSet<&str> = identifiers(glue).collect();
    for import in &renames.imports {
        if import.module == own_module && identifiers.contains(import.name.as_str()) {
            return Err(format!("the rewritten glue still names the import `{}`", import.name));
        }
        if glue.contains(&format!("\"{}\":", import.module)) || glue.contains(&format!("'{}':", import.module)) {
            return Err(format!("the rewritten glue still keys an import object by {:?}", import.module));
        }
    }
    Ok(())
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_identifier_char(c)).filter(|word| word.chars().next().is_some_and(|c| !c.is_ascii_digit()))
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty() && identifier_prefix(name) == name && !name.starts_with(|c: char| c.is_ascii_digit())
}

fn identifier_prefix(text: &str) -> &str {
    let end = text.find(|c: char| !is_identifier_char(c)).unwrap_or(text.len());
    &text[..end]
}

fn line_at(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[start..end].trim()
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The JSON wasm-opt prints: objects, arrays and strings (no numbers, booleans or null).
#[derive(Debug)]
enum Json {
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

struct JsonParser<'a> {
    text: &'a [u8],
    at: usize,
}

impl JsonParser<'_> {
    fn skip_space(&mut self) {
        while self.text.get(self.at).is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result {
        self.skip_space();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", byte as char, self.at))
        }
    }

    /// At an array's or object's opening byte: steps past it, and past `close` too when that
    /// follows at once (true: it is empty).
    fn opens_empty(&mut self, close: u8) -> bool {
        self.at += 1;
        self.skip_space();
        let empty = self.text.get(self.at) == Some(&close);
        if empty {
            self.at += 1;
        }
        empty
    }

    /// After an item of an array or object: true at its closing `close`, false after a `,`.
    fn closes(&mut self, close: u8) -> Result<bool> {
        self.skip_space();
        match self.text.get(self.at) {
            Some(&b) if b == close => {
                self.at += 1;
                Ok(true)
            }
            Some(b',') => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(format!("expected `,` or `{}` at byte {}", close as char, self.at)),
        }
    }

    fn value(&mut self) -> Result<Json> {
        self.skip_space();
        match self.text.get(self.at) {
            Some(b'"') => self.string().map(Json::String),
            Some(b'[') => {
                let mut items = Vec::new();
                if !self.opens_empty(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.closes(b']')? {
                            break;
                        }
                    }
                }
                Ok(Json::Array(items))
            }
            Some(b'{') => {
                let mut fields = Vec::new();
                if !self.opens_empty(b'}') {
                    loop {
                        self.skip_space();
                        let key = self.string()?;
                        self.expect(b':')?;
                        fields.push((key, self.value()?));
                        if self.closes(b'}')? {
                            break;
                        }
                    }
                }
                Ok(Json::Object(fields))
            }
            Some(_) => Err(format!("expected a string, array or object at byte {}", self.at)),
            None => Err("unexpected end".into()),
        }
    }

    fn string(&mut self) -> Result<String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let byte = *self.text.get(self.at).ok_or("unterminated string")?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).map_err(|_| "a string that is not UTF-8".to_owned()),
                b'\\' => {
                    let escape = *self.text.get(self.at).ok_or("unterminated escape")?;
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        other => return Err(format!("unknown escape `\\{}` at byte {}", other as char, self.at - 1)),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                b if b < 0x20 => return Err(format!("a control character in a string at byte {}", self.at - 1)),
                b => out.push(b),
            }
        }
    }

    /// The character of `\uXXXX` (after the `\u`), a surrogate pair's second half included.
    fn unicode_escape(&mut self) -> Result<char> {
        let high = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&high) {
            if self.text.get(self.at..self.at + 2) != Some(b"\\u") {
                return Err(format!("an unpaired surrogate at byte {}", self.at));
            }
            self.at += 2;
            let low = self.hex4()?;
            if !(0xdc00..0xe000).contains(&low) {
                return Err(format!("an unpaired surrogate at byte {}", self.at));
            }
            0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| format!("an invalid \\u escape at byte {}", self.at))
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.text.get(self.at..self.at + 4).ok_or("a short \\u escape")?;
        let digits = std::str::from_utf8(digits).map_err(|_| "a bad \\u escape")?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| format!("a bad \\u escape `{digits}`"))
    }
}

struct WasmReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> WasmReader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let taken = self.bytes.get(self.at..self.at.saturating_add(len)).ok_or("the wasm ends inside a section")?;
        self.at += len;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128 of up to 64 bits.
    fn leb(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a LEB128 number longer than 64 bits in the wasm".into())
    }

    fn name(&mut self) -> Result<String> {
        let len = self.leb()? as usize;
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| "a name in the wasm that is not UTF-8".to_owned())
    }

    /// Skips an import's description (what it imports), by kind.
    fn skip_import_kind(&mut self) -> Result {
        match self.byte()? {
            0x00 => self.leb().map(drop), // function: type index
            0x01 => {
                self.value_type()?; // table: element type, limits
                self.limits()
            }
            0x02 => self.limits(), // memory
            0x03 => {
                self.value_type()?; // global: type, mutability
                self.byte().map(drop)
            }
            0x04 => {
                self.byte()?; // tag: attribute, type index
                self.leb().map(drop)
            }
            kind => Err(format!("an import of unknown kind {kind:#x}")),
        }
    }

    /// A value or reference type: one byte, or a typed reference (0x63/0x64, then a heap type).
    fn value_type(&mut self) -> Result {
        if let 0x63 | 0x64 = self.byte()? {
            self.leb()?; // a heap type's (signed) LEB128 reads as well unsigned: only its length matters
        }
        Ok(())
    }

    fn limits(&mut self) -> Result {
        let flags = self.byte()?;
        if flags & !0x07 != 0 {
            return Err(format!("limits with unknown flags {flags:#x}"));
        }
        self.leb()?;
        if flags & 0x01 != 0 {
            self.leb()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "/* @ts-self-types=\"./okta_direct_auth.d.ts\" */
import { json, send } from './snippets/okta-direct-auth-063afdb0533f0217/src/web/web.js';
import * as import1 from \"./snippets/okta-direct-auth-063afdb0533f0217/src/api/api.js\"
import * as import2 from \"./snippets/okta-direct-auth-063afdb0533f0217/src/web/session.js\"

export class DirectAuth {
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_directauth_free(ptr, 0);
    }
    signInWithPassword(args) {
        const ret = wasm.directauth_signInWithPassword(this.__wbg_ptr, args);
        return ret;
    }
}
export function session(op, text) {
    const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const ret = wasm.session(op, ptr0, WASM_VECTOR_LEN);
    return ret;
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_json_d56466d9d0fe229d: function(arg0, arg1) {
            const ret = json(arg1);
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg_send_8e0e2a1e017c1928: function() { return handleError(function (arg0, arg1) {
            const ret = send(getStringFromWasm0(arg0, arg1));
            return ret;
        }, arguments); },
        __wbindgen_generic_0000000000000001: function(arg0, arg1) {
            // Cast intrinsic for `Closure(Closure { owned: true }) -> Externref`.
            const ret = makeMutClosure(arg0, arg1, wasm_bindgen_c7f54fa5b2fa4a6e___convert__closures_____invoke___true_);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
        },
    };
    return {
        __proto__: null,
        \"./okta_direct_auth_bg.js\": import0,
        \"./snippets/okta-direct-auth-063afdb0533f0217/src/api/api.js\": import1,
        \"./snippets/okta-direct-auth-063afdb0533f0217/src/web/session.js\": import2,
    };
}

function wasm_bindgen_c7f54fa5b2fa4a6e___convert__closures_____invoke___true_(arg0, arg1, arg2) {
    const ret = wasm.wasm_bindgen_c7f54fa5b2fa4a6e___convert__closures_____invoke___true_(arg0, arg1, arg2);
}
function getDataViewMemory0() {
    return new DataView(wasm.memory.buffer);
}
async function __wbg_load(module, imports) {
    if (typeof WebAssembly.instantiateStreaming === 'function') {
        console.warn(\"your server does not serve Wasm with `application/wasm` MIME type\");
    }
}
function __wbg_finalize_init(instance, module) {
    wasm = instance.exports;
    wasm.__wbindgen_start();
    return wasm;
}
";

    const API: &str = "./snippets/okta-direct-auth-063afdb0533f0217/src/api/api.js";
    const SESSION: &str = "./snippets/okta-direct-auth-063afdb0533f0217/src/web/session.js";
    const OWN: &str = "./okta_direct_auth_bg.js";

    fn import(module: &str, name: &str, new_name: &str) -> ImportRename {
        ImportRename { module: module.into(), name: name.into(), new_name: new_name.into() }
    }

    fn map() -> NameMap {
        NameMap {
            imports: vec![
                import(OWN, "__wbg_json_d56466d9d0fe229d", "a"),
                import(OWN, "__wbg_send_8e0e2a1e017c1928", "b"),
                import(API, "errorClass", "c"),
                import(SESSION, "sessionClass", "d"),
                import(OWN, "__wbindgen_generic_0000000000000001", "e"),
                import(OWN, "__wbindgen_init_externref_table", "f"),
            ],
            exports: [
                ("memory", "g"),
                ("__wbg_directauth_free", "h"),
                ("directauth_signInWithPassword", "i"),
                ("session", "j"),
                ("wasm_bindgen_c7f54fa5b2fa4a6e___convert__closures_____invoke___true_", "k"),
                ("__wbindgen_malloc", "l"),
                ("__wbindgen_realloc", "m"),
                ("__wbindgen_externrefs", "n"),
                ("__wbindgen_start", "o"),
                ("__instance_terminated", "p"),
            ]
            .into_iter()
            .map(|(old, new)| (old.to_owned(), new.to_owned()))
            .collect(),
        }
    }

    /// The names of the wasm `map` came with.
    fn wasm_of(map: &NameMap) -> WasmNames {
        WasmNames {
            imports: map.imports.iter().map(|i| ("a".to_owned(), i.new_name.clone())).collect(),
            exports: map.exports.iter().map(|(_, new)| new.clone()).collect(),
        }
    }

    fn renames() -> Renames {
        let map = map();
        let wasm = wasm_of(&map);
        Renames::new(map, &wasm).unwrap()
    }

    #[test]
    fn the_glue_reads_the_new_exports_and_gives_the_new_imports() {
        let glue = rewrite_glue(GLUE, &renames()).unwrap();
        for read in ["wasm.h(ptr, 0)", "wasm.i(this.__wbg_ptr, args)", "passStringToWasm0(text, wasm.l, wasm.m)", "wasm.j(op,"] {
            assert!(glue.contains(read), "{read} in\n{glue}");
        }
        assert!(glue.contains("const ret = wasm.k(arg0, arg1, arg2);"), "{glue}");
        assert!(glue.contains("new DataView(wasm.g.buffer)"));
        assert!(glue.contains("const table = wasm.n;") && glue.contains("wasm.o();"));
        // The JS function of the same name as an export is the glue's own (esbuild renames it).
        assert!(glue.contains("function wasm_bindgen_c7f54fa5b2fa4a6e___convert__closures_____invoke___true_(arg0"));

        let imports = &glue[glue.find("function __wbg_get_imports").unwrap()..];
        for entry in [
            "\n        __proto__: null,\n        a: function(arg0, arg1) {\n            const ret = json(arg1);",
            "\n        b: function() { return handleError(function (arg0, arg1) {",
            "\n        e: function(arg0, arg1) {\n            // Cast intrinsic",
            "\n        f: function() {\n            const table = wasm.n;",
            "\n        c: import1.errorClass,\n        d: import2.sessionClass,\n    };\n",
            "return { __proto__: null, \"a\": import0 };\n}\n",
        ] {
            assert!(imports.contains(entry), "{entry:?} in\n{imports}");
        }
        for old in ["__wbg_json_", "__wbg_send_", "__wbindgen_generic_", "__wbindgen_init_externref_table", "\"./okta_direct_auth_bg.js\""]
        {
            assert!(!glue.contains(old), "{old} left in\n{glue}");
        }
        // Untouched: the snippet imports esbuild bundles, and text that only looks like a read.
        assert!(glue.contains("import * as import1 from \"./snippets/okta-direct-auth-063afdb0533f0217/src/api/api.js\""));
        assert!(glue.contains("WebAssembly.instantiateStreaming") && glue.contains("`application/wasm` MIME type"));
        assert!(glue.contains("wasm = instance.exports;"));
    }

    #[test]
    fn exports_the_glue_does_not_read_are_renamed_in_the_wasm_only() {
        // `__instance_terminated` is exported and never read: nothing in the glue to rename.
        let glue = rewrite_glue(GLUE, &renames()).unwrap();
        assert!(!glue.contains("wasm.p"));
    }

    fn rewrite_error(glue: &str, map: NameMap) -> String {
        let wasm = wasm_of(&map);
        let renames = Renames::new(map, &wasm).unwrap();
        rewrite_glue(glue, &renames).unwrap_err()
    }

    #[test]
    fn a_read_of_an_export_the_wasm_does_not_have_fails() {
        let glue = GLUE.replace("wasm.session(op", "wasm.session2(op");
        assert_eq!(rewrite_error(&glue, map()), "the glue reads `wasm.session2`, which the wasm does not export");
        let glue = GLUE.replace("wasm.session(op", "wasm['session'](op");
        assert!(rewrite_error(&glue, map()).contains("computed name (`const ret = wasm['session'](op"));
    }

    #[test]
    fn an_import_the_glue_does_not_provide_fails() {
        let mut map = map();
        map.imports.push(import(OWN, "__wbg_now_463ac581d2fc7ea3", "q"));
        assert_eq!(
            rewrite_error(GLUE, map),
            "the wasm imports \"__wbg_now_463ac581d2fc7ea3\" from \"./okta_direct_auth_bg.js\", which the glue's import object does not define"
        );
        let mut map = self::map();
        map.imports.push(import("./snippets/other.js", "other", "q"));
        assert_eq!(rewrite_error(GLUE, map), "the wasm imports \"other\" from \"./snippets/other.js\", a module the glue does not provide");
    }

    #[test]
    fn an_import_object_entry_the_wasm_does_not_import_fails() {
        let mut map = map();
        map.imports.retain(|i| i.name != "__wbg_send_8e0e2a1e017c1928");
        assert_eq!(
            rewrite_error(GLUE, map),
            "the glue's import object gives \"__wbg_send_8e0e2a1e017c1928\" to \"./okta_direct_auth_bg.js\", which the wasm does not import"
        );
    }

    #[test]
    fn a_glue_of_another_shape_fails() {
        let no_function = GLUE.replace("function __wbg_get_imports()", "function getImports()");
        assert_eq!(rewrite_error(&no_function, map()), "expected one `function __wbg_get_imports() {` in the glue, found 0");
        let unknown_variable = GLUE.replace("js\": import2,", "js\": import3,");
        assert!(
            rewrite_error(&unknown_variable, map()).contains("passes `import3` as \"./snippets/"),
            "{}",
            rewrite_error(&unknown_variable, map())
        );
        let shorthand =
            GLUE.replace("        __proto__: null,\n        __wbg_json", "        __proto__: null,\n        now,\n        __wbg_json");
        assert_eq!(
            rewrite_error(&shorthand, map()),
            "unexpected line in the import object for \"./okta_direct_auth_bg.js\": `        now,`"
        );
        let spread = GLUE.replace("        \"./okta_direct_auth_bg.js\": import0,", "        ...import0,");
        assert!(rewrite_error(&spread, map()).starts_with("the object `__wbg_get_imports()` returns: unexpected `...import0"));
        let unclosed = GLUE.replace("    };\n    return {", "    }\n    return {");
        // Its entries then run on into the returned object's, which are no import entries.
        assert_eq!(
            rewrite_error(&unclosed, map()),
            "unexpected line in the import object for \"./okta_direct_auth_bg.js\": `        \"./okta_direct_auth_bg.js\": import0,`"
        );
        let twice = GLUE.replace("__wbg_send_8e0e2a1e017c1928: function()", "__wbg_json_d56466d9d0fe229d: function()");
        let mut map = self::map();
        map.imports.retain(|i| i.name != "__wbg_send_8e0e2a1e017c1928");
        assert_eq!(rewrite_error(&twice, map), "the glue's import object gives \"__wbg_json_d56466d9d0fe229d\" twice");
    }

    #[test]
    fn an_old_import_name_left_in_the_glue_fails() {
        let glue = GLUE.replace("function getDataViewMemory0() {", "function getDataViewMemory0() {\n    __wbg_send_8e0e2a1e017c1928;");
        assert_eq!(rewrite_error(&glue, map()), "the rewritten glue still names the import `__wbg_send_8e0e2a1e017c1928`");
    }

    #[test]
    fn a_map_that_does_not_describe_the_wasm_is_refused() {
        let map = self::map();
        let mut wasm = wasm_of(&map);
        wasm.imports[0].0 = "b".into();
        assert_eq!(Renames::new(self::map(), &wasm).unwrap_err(), "the minified wasm should import from one module, not [\"a\", \"b\"]");
        let mut wasm = wasm_of(&map);
        wasm.imports.pop();
        assert!(Renames::new(self::map(), &wasm).unwrap_err().contains("only in the map [\"f\"], only in the wasm []"));
        let mut wasm = wasm_of(&map);
        wasm.exports.push("q".into());
        assert!(Renames::new(self::map(), &wasm).unwrap_err().starts_with("wasm-opt's name map does not describe the wasm's exports"));
        let mut bad_name = self::map();
        bad_name.exports[0].1 = "1x".into();
        let wasm = wasm_of(&bad_name);
        assert_eq!(Renames::new(bad_name, &wasm).unwrap_err(), "the minified name `1x` is not a JS identifier");
    }

    #[test]
    fn the_map_wasm_opt_prints_parses() {
        let text = "{\n \"imports\": [\n  [\"./okta_direct_auth_bg.js\", \"__wbg_send_8e0e2a1e017c1928\", \"A\"],\n  [\"./snippets/x/src/api/api.js\", \"err\\u00f6r\\\"Class\", \"a\"]\n ],\n\"exports\": [\n  [\"directauth_userinfo\", \"$\"],\n  [\"memory\", \"M\"]\n ]\n}\n";
        assert_eq!(
            parse_name_maps(text).unwrap(),
            NameMap {
                imports: vec![import(OWN, "__wbg_send_8e0e2a1e017c1928", "A"), import("./snippets/x/src/api/api.js", "errör\"Class", "a")],
                exports: vec![("directauth_userinfo".into(), "$".into()), ("memory".into(), "M".into())],
            }
        );
        assert_eq!(parse_name_maps("{\"imports\": [], \"exports\": []}").unwrap(), NameMap { imports: vec![], exports: vec![] });
    }

    #[test]
    fn the_maps_of_later_runs_are_composed() {
        // As `-Oz --converge` prints them: the first from wasm-bindgen's names, the next from
        // those it gave (here permuted, to tell composing from taking the first).
        let text = "{\"imports\": [[\"./okta_direct_auth_bg.js\", \"__wbg_now\", \"A\"], [\"./snippets/x.js\", \"sessionClass\", \"B\"]],
            \"exports\": [[\"memory\", \"M\"], [\"session\", \"N\"]]}
            {\"imports\": [[\"a\", \"A\", \"B\"], [\"a\", \"B\", \"A\"]], \"exports\": [[\"M\", \"M\"], [\"N\", \"O\"]]}
            {\"imports\": [[\"a\", \"A\", \"A\"], [\"a\", \"B\", \"B\"]], \"exports\": [[\"M\", \"M\"], [\"O\", \"O\"]]}\n";
        assert_eq!(
            parse_name_maps(text).unwrap(),
            NameMap {
                imports: vec![import(OWN, "__wbg_now", "B"), import("./snippets/x.js", "sessionClass", "A")],
                exports: vec![("memory".into(), "M".into()), ("session".into(), "O".into())],
            }
        );
        let first = "{\"imports\": [[\"m\", \"x\", \"A\"]], \"exports\": [[\"memory\", \"M\"]]}";
        for (next, error) in [
            ("{\"imports\": [[\"a\", \"C\", \"A\"]], \"exports\": [[\"M\", \"M\"]]}", "no import \"A\""),
            ("{\"imports\": [], \"exports\": [[\"M\", \"M\"]]}", "0 imports after 1"),
            ("{\"imports\": [[\"a\", \"A\", \"A\"]], \"exports\": [[\"N\", \"M\"]]}", "no export \"M\""),
        ] {
            assert_eq!(
                parse_name_maps(&format!("{first}\n{next}")).unwrap_err(),
                format!("wasm-opt's name map 2 does not follow the one before: {error}")
            );
        }
    }

    #[test]
    fn a_map_of_another_shape_is_refused() {
        for (text, error) in [
            ("", "wasm-opt printed no name map"),
            ("{\"imports\": [", "wasm-opt's name map: unexpected end"),
            ("{\"imports\": []}", "wasm-opt's name map 1: no \"exports\""),
            ("{\"imports\": [], \"exports\": {}}", "wasm-opt's name map 1: \"exports\" is not an array"),
            (
                "{\"imports\": [[\"m\", \"n\"]], \"exports\": []}",
                "wasm-opt's name map 1: import Array([String(\"m\"), String(\"n\")]) is not an array of 3 strings",
            ),
            ("{\"imports\": [], \"exports\": [[\"a\", 1]]}", "wasm-opt's name map: expected a string, array or object at byte 34"),
            ("{\"imports\": [], \"exports\": []} [\"warning\"]", "wasm-opt's name map 2: not a JSON object"),
            ("{\"imports\": [], \"exports\": []} warning", "wasm-opt's name map: expected a string, array or object at byte 31"),
            ("{\"imports\": [\"a\\q\"], \"exports\": []}", "wasm-opt's name map: unknown escape `\\q` at byte 16"),
        ] {
            assert_eq!(parse_name_maps(text).unwrap_err(), error, "{text}");
        }
    }

    /// A wasm binary with these function imports and function exports (and a type section).
    fn wasm_binary(imports: &[(&str, &str)], exports: &[&str]) -> Vec<u8> {
        fn name(out: &mut Vec<u8>, s: &str) {
            out.push(s.len() as u8);
            out.extend_from_slice(s.as_bytes());
        }
        fn section(out: &mut Vec<u8>, id: u8, content: &[u8]) {
            out.push(id);
            out.push(content.len() as u8);
            out.extend_from_slice(content);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        section(&mut wasm, 1, &[1, 0x60, 0, 0]); // one type: () -> ()
        let mut import_section = vec![imports.len() as u8 + 1];
        for (module, field) in imports {
            name(&mut import_section, module);
            name(&mut import_section, field);
            import_section.extend_from_slice(&[0x00, 0]);
        }
        name(&mut import_section, "a");
        name(&mut import_section, "table");
        import_section.extend_from_slice(&[0x01, 0x6f, 0x01, 0x80, 0x08, 0x80, 0x08]); // externref table, limits 1024..1024
        section(&mut wasm, 2, &import_section);
        let mut export_section = vec![exports.len() as u8];
        for (index, export) in exports.iter().enumerate() {
            name(&mut export_section, export);
            export_section.extend_from_slice(&[0x00, index as u8]);
        }
        section(&mut wasm, 7, &export_section);
        section(&mut wasm, 0, b"\x04namexyz"); // a custom section, skipped
        wasm
    }

    #[test]
    fn the_wasm_names_are_read_from_its_sections() {
        let wasm = wasm_binary(&[("a", "A"), ("a", "b")], &["M", "$"]);
        assert_eq!(
            wasm_names(&wasm).unwrap(),
            WasmNames {
                imports: vec![("a".into(), "A".into()), ("a".into(), "b".into()), ("a".into(), "table".into())],
                exports: vec!["M".into(), "$".into()],
            }
        );
    }

    #[test]
    fn a_truncated_or_foreign_wasm_is_refused() {
        let wasm = wasm_binary(&[("a", "A")], &["M"]);
        assert_eq!(wasm_names(&wasm[..wasm.len() - 3]).unwrap_err(), "the wasm ends inside a section");
        assert_eq!(wasm_names(b"\0asm\x0d\0\x01\0").unwrap_err(), "not a wasm binary (version 1)");
        let mut unknown_kind = wasm.clone();
        let kind_at = unknown_kind.windows(3).position(|w| w == [1, b'A', 0x00]).unwrap() + 2;
        unknown_kind[kind_at] = 0x09;
        assert_eq!(wasm_names(&unknown_kind).unwrap_err(), "import \"a\" \"A\": an import of unknown kind 0x9");
    }
}
