//! Reading the caller's objects (JSON text from `JSON.stringify`) member by member: what the
//! option and argument readers need beyond [`Value::get`].

use crate::protocol::json::Value;

/// The JSON type a caller's member must have ([`Members::wrong_member`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Str,
    Num,
    /// An array of strings.
    Strs,
}

/// A caller's object, read by member.
pub trait Members {
    /// A string member; anything else (missing, a number…) reads as empty, which the checks
    /// made before sending then refuse with the right error.
    fn text(&self, key: &str) -> &str;
    /// Checks the caller's optional members in order, one loop over a table: the index of the
    /// first one present (and not `null`) with another type than its [`Kind`].
    fn wrong_member(&self, members: &[(&str, Kind)]) -> Option<usize>;
    /// A string member as an owned `String` (`None` when missing or of another type).
    fn string(&self, key: &str) -> Option<String>;
    /// A number member (`None` when missing or of another type).
    fn number(&self, key: &str) -> Option<f64>;
    /// An array member's strings (`None` when missing or not an array).
    fn strings(&self, key: &str) -> Option<Vec<String>>;
}

impl Members for Value {
    fn text(&self, key: &str) -> &str {
        self.get(key).and_then(Value::as_str).unwrap_or("")
    }

    fn wrong_member(&self, members: &[(&str, Kind)]) -> Option<usize> {
        members.iter().position(|&(key, kind)| match self.get(key) {
            None | Some(Value::Null) => false,
            Some(value) => !match kind {
                Kind::Str => matches!(value, Value::String(_)),
                Kind::Num => matches!(value, Value::Number(_)),
                Kind::Strs => matches!(value, Value::Array(items) if items.iter().all(|item| matches!(item, Value::String(_)))),
            },
        })
    }

    fn string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Value::as_str).map(str::to_owned)
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::as_f64)
    }

    fn strings(&self, key: &str) -> Option<Vec<String>> {
        match self.get(key) {
            Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
            _ => None,
        }
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))] // proptest is native-only
mod tests {
    use super::*;
    use crate::protocol::json::parse;

    #[test]
    fn caller_members_by_type() {
        let v = parse(br#"{"s":"x","n":5,"z":null,"l":["a","b"],"bad":[1]}"#).unwrap();
        assert_eq!(v.text("s"), "x");
        assert_eq!(v.text("n"), "", "not a string reads as empty");
        assert_eq!(v.string("s").as_deref(), Some("x"));
        assert_eq!(v.string("n"), None);
        assert_eq!(v.number("n"), Some(5.0));
        assert_eq!(v.number("s"), None);
        assert_eq!(v.strings("l"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(v.strings("s"), None);
        let kinds = [("s", Kind::Str), ("z", Kind::Num), ("missing", Kind::Str), ("n", Kind::Num), ("l", Kind::Strs)];
        assert_eq!(v.wrong_member(&kinds), None, "null and missing members are not wrong");
        assert_eq!(v.wrong_member(&[("s", Kind::Str), ("n", Kind::Str)]), Some(1));
        assert_eq!(v.wrong_member(&[("bad", Kind::Strs)]), Some(0));
        assert_eq!(v.wrong_member(&[("s", Kind::Strs)]), Some(0));
        assert_eq!(Value::Null.wrong_member(&[("s", Kind::Str)]), None);
    }
}
