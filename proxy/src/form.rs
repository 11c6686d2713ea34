//! `application/x-www-form-urlencoded` bodies: parsed strictly (a parameter given twice is
//! refused, so the proxy and Okta can never read different values) and written back.

use crate::errors::ProxyError;
use axum::http::StatusCode;

#[derive(Default, Debug, Clone)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    pub fn parse(body: &[u8]) -> Result<Form, ProxyError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(body) {
            if pairs.iter().any(|(name, _)| *name == k) {
                return Err(ProxyError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "duplicate_parameter",
                    format!("The parameter '{k}' appears more than once; send each parameter once."),
                ));
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(Form { pairs })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn set(&mut self, name: &str, value: &str) {
        match self.pairs.iter_mut().find(|(k, _)| k == name) {
            Some(pair) => pair.1 = value.to_owned(),
            None => self.pairs.push((name.to_owned(), value.to_owned())),
        }
    }

    pub fn encode(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            s.append_pair(k, v);
        }
        s.finish()
    }
}
