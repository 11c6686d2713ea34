//! One module instead of two: the glue (bundled with its snippets, so one ESM module with no
//! imports) inlined into index.js where index.js imports it, in a function scope of its own:
//!
//! ```js
//! import init,*as wasm from"./okta_direct_auth.js";      // index.js, minified alone
//! const wasm=/* @__PURE__ */(()=>{<the glue>;return{DirectAuth:F,default:tt,…}})(),init=wasm.default;
//! ```
//!
//! Not `esbuild --bundle` of index.js: bundling, esbuild turns every top-level class into
//! `var X = class …`, naming a class that refers to itself `_X` and one whose name a snippet
//! already took `X2`, so the classes apps see would be `_DirectAuth`, `_DirectAuthError` and
//! `Session2` (`.name`, and what a console shows). And the bundle was larger: 7,570 B gzip,
//! against 7,511 joined this way and 7,929 as two modules.
//!
//! The glue then runs where the import was, before index.js's own code, as an imported module
//! would; `/* @__PURE__ */` lets an app's bundler leave it out when nothing uses it, as it left
//! out the glue module (the package has `sideEffects: false`).

use crate::Result;

/// The final `export{…};` esbuild writes at the end of a module: the text before it and its
/// (local, exported) names.
pub fn split_final_export(module: &str) -> Result<(&str, Vec<(String, String)>)> {
    let trimmed = module.trim_end();
    let statement = trimmed.strip_suffix(';').unwrap_or(trimmed);
    let list_end = statement.strip_suffix('}').ok_or("the module does not end with an `export{…}` statement")?;
    let start = list_end.rfind("export{").ok_or("the module does not end with an `export{…}` statement")?;
    let before = &module[..start];
    if !before.trim_end().is_empty() && !before.trim_end().ends_with([';', '}']) {
        return Err(format!("its last `export{{` does not start a statement (after `{}`)", tail(before)));
    }
    let mut names = Vec::new();
    for entry in list_end[start + "export{".len()..].split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (local, exported) = match entry.split_once(" as ") {
            Some((local, exported)) => (local.trim(), exported.trim()),
            None => (entry, entry),
        };
        if !is_identifier(local) || !is_identifier(exported) {
            return Err(format!("an export entry other than `local as name`: `{entry}`"));
        }
        names.push((local.to_owned(), exported.to_owned()));
    }
    Ok((before, names))
}

/// `module` with only the exports `keep` accepts (by exported name) left in its final
/// `export{…};`, so that bundling it leaves the code only the others used out.
pub fn keep_exports(module: &str, keep: impl Fn(&str) -> bool) -> Result<String> {
    let (before, names) = split_final_export(module)?;
    let kept: Vec<String> = names
        .iter()
        .filter(|(_, exported)| keep(exported))
        .map(|(local, exported)| if local == exported { local.clone() } else { format!("{local} as {exported}") })
        .collect();
    Ok(format!("{before}export{{{}}};\n", kept.join(",")))
}

/// Whether `name` occurs in `js` as a whole word (an identifier, a property or inside a string):
/// what an export must do to be possibly used.
pub fn mentions(js: &str, name: &str) -> bool {
    js.match_indices(name).any(|(at, _)| {
        let before = js[..at].chars().next_back();
        let after = js[at + name.len()..].chars().next();
        !before.is_some_and(is_identifier_char) && !after.is_some_and(is_identifier_char)
    })
}

/// `importer` with its import of `specifier` — `import D,*as N from"specifier";` as esbuild
/// writes it, `D,` optional — replaced by `module` (an ESM module without imports that ends with
/// its `export{…};`) run in an arrow function whose result is the namespace `N`.
pub fn inline_module(importer: &str, specifier: &str, module: &str) -> Result<String> {
    // The specifier once in all: no other import or re-export of it is left behind.
    let quoted = [format!("\"{specifier}\""), format!("'{specifier}'")];
    let found: Vec<usize> = quoted.iter().flat_map(|q| importer.match_indices(q.as_str()).map(|(at, _)| at)).collect();
    let specifier_at = match found[..] {
        [one] => one,
        _ => return Err(format!("expected the importer to name {specifier:?} once, in its import, not {} times", found.len())),
    };
    let from_at = importer[..specifier_at]
        .trim_end()
        .strip_suffix("from")
        .map(str::len)
        .ok_or_else(|| format!("{specifier:?} is not the `from` of an import"))?;
    let import_at = importer[..from_at].rfind("import").ok_or_else(|| format!("no `import` before `from\"{specifier}\"`"))?;
    let before = importer[..import_at].trim_end();
    if !before.is_empty() && !before.ends_with([';', '}']) {
        return Err(format!("the import of {specifier:?} does not start a statement"));
    }
    let clause = importer[import_at + "import".len()..from_at].trim();
    let (default, namespace) = match clause.split_once(',') {
        Some((default, namespace)) => (Some(default.trim()), namespace.trim()),
        None => (None, clause),
    };
    let namespace = namespace
        .strip_prefix('*')
        .and_then(|n| n.trim_start().strip_prefix("as"))
        .map(str::trim)
        .filter(|n| is_identifier(n))
        .ok_or_else(|| format!("the importer imports {specifier:?} as `{clause}`: only `D, * as N` or `* as N` is inlined"))?;
    if default.is_some_and(|d| !is_identifier(d)) {
        return Err(format!("the importer imports {specifier:?} as `{clause}`: only `D, * as N` or `* as N` is inlined"));
    }
    let statement_end = specifier_at + specifier.len() + 2;
    let rest = importer[statement_end..].strip_prefix(';').unwrap_or(&importer[statement_end..]);

    let (body, exports) = split_final_export(module).map_err(|e| format!("the inlined module: {e}"))?;
    if default.is_some() && !exports.iter().any(|(_, exported)| exported == "default") {
        return Err(format!("the importer takes the default export of {specifier:?}, which has none"));
    }
    // A plain object stands for the namespace: it reads each binding once, so each must be one
    // that is never reassigned (a function, or a class esbuild turned into `var X=class`).
    for (local, _) in &exports {
        let declared_once =
            [format!("function {local}("), format!("{local}=class ")].iter().any(|declaration| mentions_at_word_start(body, declaration))
                || mentions_at_word_start(body, &format!("{local}=class{{"));
        if !declared_once {
            return Err(format!("the inlined module exports `{local}`, which is not a function or class declaration (it might change)"));
        }
    }
    let fields: Vec<String> =
        exports.iter().map(|(local, exported)| if local == exported { local.clone() } else { format!("{exported}:{local}") }).collect();
    let default_binding = default.map(|d| format!(",{d}={namespace}.default")).unwrap_or_default();
    Ok(format!(
        "{}const {namespace}=/* @__PURE__ */(()=>{{{};return{{{}}}}})(){default_binding};{rest}",
        &importer[..import_at],
        body.trim_end(),
        fields.join(",")
    ))
}

/// Whether `text` contains `needle` starting at a word boundary.
fn mentions_at_word_start(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| !text[..at].chars().next_back().is_some_and(is_identifier_char))
}

fn tail(text: &str) -> String {
    let chars: Vec<char> = text.trim_end().chars().collect();
    chars[chars.len().saturating_sub(30)..].iter().collect()
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| !c.is_ascii_digit()) && name.chars().all(is_identifier_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The glue as esbuild leaves it: minified, its snippets bundled in, one final export.
    const GLUE: &str = "var DirectAuthError=class extends Error{constructor(kind){super(kind),this.name=\"DirectAuthError\"}},errorClass=()=>DirectAuthError;var F=class _F{static __wrap(t){return new _F}};function it(){return s.P()}function Z(e){return D(e)}async function tt(e){return D(e)}export{F as DirectAuth,tt as default,it as directAuthErrorClass,Z as initSync};\n";

    /// index.js as esbuild minifies it alone.
    const INDEX: &str = "import init,*as wasm from\"./okta_direct_auth.js\";let loading,WasmError;function ready(){return loading||=init({module_or_path:new URL(\"./okta_direct_auth_bg.wasm\",import.meta.url)}).then(()=>{WasmError=wasm.directAuthErrorClass()})}export class DirectAuthError extends Error{}export class DirectAuth{constructor(inner){if(!(inner instanceof wasm.DirectAuth))throw 0}}const lazy=name=>async(o,a)=>(await ready(),wasm[name](o,a));export const passwordGrant=lazy(\"passwordGrant\");export{ready};\n";

    #[test]
    fn the_glue_runs_in_place_of_its_import() {
        let joined = inline_module(INDEX, "./okta_direct_auth.js", GLUE).unwrap();
        assert_eq!(
            joined,
            "const wasm=/* @__PURE__ */(()=>{var DirectAuthError=class extends Error{constructor(kind){super(kind),this.name=\"DirectAuthError\"}},errorClass=()=>DirectAuthError;var F=class _F{static __wrap(t){return new _F}};function it(){return s.P()}function Z(e){return D(e)}async function tt(e){return D(e)};return{DirectAuth:F,default:tt,directAuthErrorClass:it,initSync:Z}})(),init=wasm.default;let loading,WasmError;function ready(){return loading||=init({module_or_path:new URL(\"./okta_direct_auth_bg.wasm\",import.meta.url)}).then(()=>{WasmError=wasm.directAuthErrorClass()})}export class DirectAuthError extends Error{}export class DirectAuth{constructor(inner){if(!(inner instanceof wasm.DirectAuth))throw 0}}const lazy=name=>async(o,a)=>(await ready(),wasm[name](o,a));export const passwordGrant=lazy(\"passwordGrant\");export{ready};\n"
        );
        let namespace_only = INDEX.replace("import init,*as wasm", "import*as wasm").replace("loading||=init(", "loading||=wasm.default(");
        assert!(inline_module(&namespace_only, "./okta_direct_auth.js", GLUE).unwrap().starts_with("const wasm=/* @__PURE__ */(()=>{var "));
    }

    #[test]
    fn exports_index_js_never_names_are_dropped() {
        let kept = keep_exports(GLUE, |name| name == "default" || mentions(INDEX, name)).unwrap();
        assert!(kept.ends_with("export{F as DirectAuth,tt as default,it as directAuthErrorClass};\n"), "{kept}");
        assert!(mentions(INDEX, "passwordGrant") && mentions(INDEX, "DirectAuth") && !mentions(INDEX, "initSync"));
        assert!(!mentions("wasm.passwordGrants", "passwordGrant") && !mentions("_DirectAuth", "DirectAuth"));
    }

    #[test]
    fn an_importer_of_another_shape_fails() {
        let expected_once = |n| format!("expected the importer to name \"./okta_direct_auth.js\" once, in its import, not {n} times");
        for also in ["import\"./okta_direct_auth.js\";", "export*from\"./okta_direct_auth.js\";", "import('./okta_direct_auth.js');"] {
            assert_eq!(inline_module(&format!("{INDEX}{also}"), "./okta_direct_auth.js", GLUE).unwrap_err(), expected_once(2));
        }
        let bare = INDEX.replace("import init,*as wasm from\"./okta_direct_auth.js\"", "import\"./okta_direct_auth.js\"");
        assert_eq!(
            inline_module(&bare, "./okta_direct_auth.js", GLUE).unwrap_err(),
            "\"./okta_direct_auth.js\" is not the `from` of an import"
        );
        let named = INDEX.replace("import init,*as wasm", "import{DirectAuth as D}");
        assert_eq!(
            inline_module(&named, "./okta_direct_auth.js", GLUE).unwrap_err(),
            "the importer imports \"./okta_direct_auth.js\" as `{DirectAuth as D}`: only `D, * as N` or `* as N` is inlined"
        );
        let none = INDEX.replace("./okta_direct_auth.js", "./other.js");
        assert_eq!(inline_module(&none, "./okta_direct_auth.js", GLUE).unwrap_err(), expected_once(0));
    }

    #[test]
    fn a_module_of_another_shape_fails() {
        // (what the glue's text is changed from, to, and the error the change must give)
        let cases = [
            (
                "export{F as DirectAuth,tt as default,it as directAuthErrorClass,Z as initSync};",
                "",
                "the inlined module: the module does not end with an `export{…}` statement",
            ),
            (
                "export{F as DirectAuth,",
                "export{\"x y\" as DirectAuth,",
                "the inlined module: an export entry other than `local as name`: `\"x y\" as DirectAuth`",
            ),
            ("tt as default,", "", "the importer takes the default export of \"./okta_direct_auth.js\", which has none"),
            (
                "function Z(e){return D(e)}",
                "let Z=1;",
                "the inlined module exports `Z`, which is not a function or class declaration (it might change)",
            ),
        ];
        for (from, to, error) in cases {
            assert!(GLUE.contains(from), "{from}");
            assert_eq!(inline_module(INDEX, "./okta_direct_auth.js", &GLUE.replace(from, to)).unwrap_err(), error, "{from} -> {to}");
        }
        let inside = GLUE.replace("}export{", "}(export{");
        assert!(split_final_export(&inside).unwrap_err().starts_with("its last `export{` does not start a statement"));
    }
}
