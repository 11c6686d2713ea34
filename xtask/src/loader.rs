//! The glue's loader replaced by a smaller one (`loader.js`), on wasm-bindgen's raw output.
//!
//! wasm-bindgen's `--target web` glue exports `__wbg_init` (the default export) and `initSync`.
//! `__wbg_init` takes a URL, a `Request`, a `Response`, bytes or a module, in two calling
//! conventions (one deprecated, with a console warning), keeps its own single-flight promise,
//! and on a failed `instantiateStreaming` checks the response type before falling back to the
//! bytes with another console warning. index.js passes a `URL` and already loads once
//! (`ready()`), so the package needs only the fetch, the compile while the bytes arrive, and the
//! fallback for a server that does not send `application/wasm` (-170 B gzip). The glue's
//! `__wbg_get_imports()` and `__wbg_finalize_init(instance, module)` do the rest, as for
//! `__wbg_init`.

use crate::Result;

/// The loader that becomes the glue's default export.
const LOADER: &str = include_str!("loader.js");

/// The glue's own export statement, as wasm-bindgen 0.2.130 writes it.
const GLUE_EXPORT: &str = "export { initSync, __wbg_init as default };";

/// `glue` (wasm-bindgen's raw `--target web` output) with `loader.js` as its default export
/// and no `initSync`: bundling it then leaves `__wbg_init`, `__wbg_load` and `initSync` out.
pub fn replace_loader(glue: &str) -> Result<String> {
    for needed in ["function __wbg_get_imports()", "function __wbg_finalize_init(instance, module)"] {
        if !glue.contains(needed) {
            return Err(format!("the glue has no `{needed}`: a wasm-bindgen other than 0.2.130?"));
        }
    }
    let at = match glue.match_indices(GLUE_EXPORT).map(|(at, _)| at).collect::<Vec<_>>()[..] {
        [at] => at,
        _ => return Err(format!("expected the glue to end with `{GLUE_EXPORT}` once")),
    };
    if !glue[at + GLUE_EXPORT.len()..].trim().is_empty() {
        return Err(format!("the glue has code after `{GLUE_EXPORT}`"));
    }
    Ok(format!("{}{LOADER}", &glue[..at]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "function __wbg_get_imports() { return {}; }\nfunction __wbg_finalize_init(instance, module) { return instance.exports; }\nasync function __wbg_init(module_or_path) {}\nexport { initSync, __wbg_init as default };\n";

    #[test]
    fn the_loader_becomes_the_default_export() {
        let glue = replace_loader(GLUE).unwrap();
        assert!(glue.starts_with("function __wbg_get_imports()"), "{glue}");
        assert!(glue.trim_end().ends_with("export { instantiate as default };"), "{glue}");
        assert!(!glue.contains("initSync") && glue.contains("async function instantiate(url)"), "{glue}");
        assert_eq!(glue.matches("export {").count(), 1, "{glue}");
    }

    #[test]
    fn a_glue_of_another_shape_fails() {
        assert_eq!(
            replace_loader(&GLUE.replace("function __wbg_get_imports()", "function getImports()")).unwrap_err(),
            "the glue has no `function __wbg_get_imports()`: a wasm-bindgen other than 0.2.130?"
        );
        assert_eq!(
            replace_loader(&GLUE.replace("initSync, ", "")).unwrap_err(),
            "expected the glue to end with `export { initSync, __wbg_init as default };` once"
        );
        assert_eq!(
            replace_loader(&format!("{GLUE}console.log(1);\n")).unwrap_err(),
            "the glue has code after `export { initSync, __wbg_init as default };`"
        );
    }
}
