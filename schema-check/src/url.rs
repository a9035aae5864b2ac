//! Database URLs that never show their password.

use std::fmt;

/// A connection string (`postgres://…` URL or `key=value` pairs).
///
/// `Display` and `Debug` print it redacted, so it cannot leak into a message
/// by accident; [`DatabaseUrl::expose`] is the one way to the raw text.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
}

impl DatabaseUrl {
    pub fn new(raw: impl Into<String>) -> DatabaseUrl {
        DatabaseUrl { raw: raw.into() }
    }

    /// The raw connection string, password included.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The same server and credentials, another database.
    pub fn with_database(&self, name: &str) -> DatabaseUrl {
        match url_parts(&self.raw) {
            Some(parts) => {
                let authority_end = self.raw[parts.authority_start..parts.query_start]
                    .find('/')
                    .map_or(parts.query_start, |i| parts.authority_start + i);
                DatabaseUrl::new(format!(
                    "{}/{name}{}",
                    &self.raw[..authority_end],
                    &self.raw[parts.query_start..]
                ))
            }
            None => DatabaseUrl::new(format!("{} dbname={name}", self.raw)),
        }
    }

    /// The same server and database as another role.
    pub fn with_user(&self, user: &str, password: &str) -> DatabaseUrl {
        let credentials = if password.is_empty() {
            user.to_owned()
        } else {
            format!("{user}:{password}")
        };
        match url_parts(&self.raw) {
            Some(parts) => {
                let authority = &self.raw[parts.authority_start..parts.query_start];
                let host_start = parts.authority_start + authority.find('@').map_or(0, |at| at + 1);
                DatabaseUrl::new(format!(
                    "{}{credentials}@{}",
                    &self.raw[..parts.authority_start],
                    &self.raw[host_start..]
                ))
            }
            None => DatabaseUrl::new(format!("{} user={user} password='{password}'", self.raw)),
        }
    }

    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }

    /// Removes every occurrence of this URL's password from `text`, for
    /// messages that come from elsewhere (a driver, a server).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.replace(&self.raw, &self.redacted());
        for secret in secrets(&self.raw) {
            if secret.len() >= 3 {
                out = out.replace(&secret, "***");
            }
        }
        out
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({:?})", self.redacted())
    }
}

/// Replaces the password of a URL (`user:PASSWORD@`, `?password=`) or of a
/// `key=value` string (`password=…`) with `***`.
pub fn redact(raw: &str) -> String {
    match url_parts(raw) {
        Some(parts) => {
            let mut out = String::with_capacity(raw.len());
            out.push_str(&raw[..parts.password.start]);
            if !parts.password.is_empty() {
                out.push_str("***");
            }
            out.push_str(&raw[parts.password.end..parts.query_start]);
            out.push_str(&redact_query(&raw[parts.query_start..]));
            redact_userinfo(&out)
        }
        None => redact_userinfo(&redact_key_values(raw)),
    }
}

/// In text that is not a URL but looks like one gone wrong
/// (`postgres:secret@host`), what stands between a `:` and the `@` after
/// it (in one word, with no `/` between), which could be a password.
fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (at, _) in text.match_indices('@') {
        if at < done {
            continue;
        }
        let word_start = text[done..at]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || matches!(c, '/' | '`' | '"' | '\''))
            .map_or(done, |(i, c)| done + i + c.len_utf8());
        if let Some(colon) = text[word_start..at].rfind(':').map(|i| word_start + i) {
            let secret = &text[colon + 1..at];
            if !secret.is_empty() && secret != "***" {
                out.push_str(&text[done..=colon]);
                out.push_str("***");
                done = at;
            }
        }
    }
    out.push_str(&text[done..]);
    out
}

/// `text` with the password of every URL in it (`scheme://user:PASSWORD@`)
/// and every `password=…` value replaced by `***`: for messages that echo
/// a file or a variable that may hold a connection string.
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let authority_start = at + 3;
        let authority_len = rest[authority_start..]
            .find(|c: char| {
                c == '/'
                    || c == '?'
                    || c == '#'
                    || c.is_whitespace()
                    || c == '"'
                    || c == '\''
                    || c == '`'
            })
            .unwrap_or(rest.len() - authority_start);
        let authority = &rest[authority_start..authority_start + authority_len];
        out.push_str(&rest[..authority_start]);
        match authority.rfind('@') {
            Some(userinfo_end) => {
                let userinfo = &authority[..userinfo_end];
                match userinfo.split_once(':') {
                    Some((user, _)) => {
                        out.push_str(user);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(&authority[userinfo_end..]);
            }
            None => out.push_str(authority),
        }
        rest = &rest[authority_start + authority_len..];
    }
    out.push_str(rest);
    redact_userinfo(&redact_password_values(&out))
}

/// Every `password=VALUE` (a URL query, a key=value string) with `***`.
fn redact_password_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.to_ascii_lowercase().find("password=") {
        let value_start = at + "password=".len();
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..];
        let value_len = match value.strip_prefix('\'') {
            Some(quoted) => quoted.find('\'').map_or(value.len(), |end| end + 2),
            None => value
                .find(|c: char| c == '&' || c.is_whitespace() || c == '"' || c == '`')
                .unwrap_or(value.len()),
        };
        if value_len > 0 {
            out.push_str("***");
        }
        rest = &value[value_len..];
    }
    out.push_str(rest);
    out
}

/// The password spans (raw, possibly percent-encoded and decoded) in `raw`.
fn secrets(raw: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut push = |s: &str| {
        if !s.is_empty() {
            found.push(s.to_owned());
            if let Ok(decoded) = percent_decode(s) {
                found.push(decoded);
            }
        }
    };
    match url_parts(raw) {
        Some(parts) => {
            push(&raw[parts.password.clone()]);
            for option in query_options(raw[parts.query_start..].trim_start_matches('?')) {
                if option.name() == "password" {
                    push(option.raw_value.unwrap_or_default());
                }
            }
        }
        None => {
            for (value, _) in key_value_passwords(raw) {
                push(value.trim_matches('\''));
            }
        }
    }
    found
}

struct UrlParts {
    authority_start: usize,
    /// The password's byte range (empty when there is none).
    password: std::ops::Range<usize>,
    /// Where `?query` starts (or the end of the string).
    query_start: usize,
}

fn url_parts(raw: &str) -> Option<UrlParts> {
    let scheme_end = raw.find("://")?;
    let scheme = &raw[..scheme_end];
    if !scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let authority_start = scheme_end + 3;
    let rest = &raw[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let query_start = raw[authority_start..]
        .find('?')
        .map_or(raw.len(), |i| authority_start + i);
    let password = match authority.rfind('@') {
        Some(at) => match authority[..at].find(':') {
            Some(colon) => authority_start + colon + 1..authority_start + at,
            None => authority_start + at..authority_start + at,
        },
        None => authority_start..authority_start,
    };
    Some(UrlParts {
        authority_start,
        password,
        query_start,
    })
}

fn redact_query(query: &str) -> String {
    let Some(options) = query.strip_prefix('?') else {
        return query.to_owned();
    };
    let mut out = String::with_capacity(query.len());
    out.push('?');
    let mut done = 0;
    for option in query_options(options) {
        if let (Some(value), "password") = (option.value_span(), &*option.name()) {
            out.push_str(&options[done..value.start]);
            out.push_str("***");
            done = value.end;
        }
    }
    out.push_str(&options[done..]);
    out
}

/// The options of a URL query, `key=value&key=value` (the text after the
/// `?`), in the order written.
///
/// Options are separated by `&`; empty ones (`&&`, a trailing `&`) are
/// skipped. An option's key runs to its first `=` (percent-decoded by
/// [`QueryOption::name`], as the driver decodes it); its value is the rest, decoded only when asked for
/// ([`QueryOption::value`]), so that one option's bad encoding does not stop
/// the others from being read. Never fails and never panics, whatever the
/// text.
pub fn query_options(query: &str) -> impl Iterator<Item = QueryOption<'_>> {
    query
        .split('&')
        .scan(0, |start, text| {
            let option_start = *start;
            *start += text.len() + 1;
            Some((option_start, text))
        })
        .filter(|(_, text)| !text.is_empty())
        .map(|(start, text)| {
            let (key, raw_value) = match text.split_once('=') {
                Some((key, value)) => (key, Some(value)),
                None => (text, None),
            };
            QueryOption {
                text,
                key,
                raw_value,
                start,
            }
        })
}

/// One option of a URL query, as written; see [`query_options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOption<'a> {
    /// The whole option, `key=value`.
    pub text: &'a str,
    /// What stands before the first `=` (all of `text` when there is none).
    pub key: &'a str,
    /// What follows the first `=`, still percent-encoded; `None` when the
    /// option has no `=`.
    pub raw_value: Option<&'a str>,
    /// Where `text` starts in the query, in bytes.
    pub start: usize,
}

impl QueryOption<'_> {
    /// The key percent-decoded, as the driver reads it (`pass%77ord` is
    /// `password`); the key as written when it does not decode to UTF-8.
    pub fn name(&self) -> std::borrow::Cow<'_, str> {
        match percent_decode(self.key) {
            Ok(name) => name.into(),
            Err(_) => self.key.into(),
        }
    }

    /// Where the raw value is in the query, in bytes (`None` without `=`).
    pub fn value_span(&self) -> Option<std::ops::Range<usize>> {
        let value = self.raw_value?;
        let value_start = self.start + self.key.len() + 1;
        Some(value_start..value_start + value.len())
    }

    /// The value percent-decoded (empty when the option has no `=`), or an
    /// error naming the option whose value is not UTF-8 once decoded.
    pub fn value(&self) -> Result<String, QueryValueError> {
        let (Some(raw), Some(span)) = (self.raw_value, self.value_span()) else {
            return Ok(String::new());
        };
        percent_decode(raw).map_err(|_| QueryValueError {
            key: self.key.to_owned(),
            at: span.start,
        })
    }
}

/// A query option's value that does not percent-decode to UTF-8.
///
/// Displayed as `KEY is not valid UTF-8`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryValueError {
    /// The key of the option, as written.
    pub key: String,
    /// Where the option's value starts in the query, in bytes.
    pub at: usize,
}

impl fmt::Display for QueryValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not valid UTF-8", self.key)
    }
}

impl std::error::Error for QueryValueError {}

/// `(value, range)` of every `password=value` in a `key=value` string; a
/// value is a single-quoted string or runs to the next whitespace.
fn key_value_passwords(raw: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(i) = raw[search..].find("password") {
        let key_start = search + i;
        let mut j = key_start + "password".len();
        search = j;
        let at_word_start =
            key_start == 0 || raw[..key_start].ends_with(|c: char| c.is_whitespace());
        let after_key = raw[j..].trim_start();
        if !at_word_start || !after_key.starts_with('=') {
            continue;
        }
        j = raw.len() - after_key.len() + 1;
        j += raw[j..].len() - raw[j..].trim_start().len();
        let value_len = if raw[j..].starts_with('\'') {
            let mut end = j + 1;
            let bytes = raw.as_bytes();
            while end < raw.len() && bytes[end] != b'\'' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            (end + 1).min(raw.len()) - j
        } else {
            raw[j..].find(char::is_whitespace).unwrap_or(raw.len() - j)
        };
        found.push((&raw[j..j + value_len], j..j + value_len));
        search = j + value_len;
    }
    found
}

fn redact_key_values(raw: &str) -> String {
    let mut out = raw.to_owned();
    for (_, range) in key_value_passwords(raw).into_iter().rev() {
        out.replace_range(range, "***");
    }
    out
}

fn percent_decode(s: &str) -> Result<String, std::str::Utf8Error> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_url_passwords_everywhere() {
        assert_eq!(
            redact("postgres://app:s3cr%40t@db.example:5432/app?sslmode=require"),
            "postgres://app:***@db.example:5432/app?sslmode=require"
        );
        assert_eq!(
            redact("postgresql://app@db/app?password=hunter2&sslmode=disable"),
            "postgresql://app@db/app?password=***&sslmode=disable"
        );
        assert_eq!(redact("postgres://db/app"), "postgres://db/app");
        assert_eq!(redact("postgres://u:p@w@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u:@h/db"), "postgres://u:@h/db");
        // The driver decodes keys, so an encoded `password` is one too.
        assert_eq!(
            redact("postgres://h/db?pass%77ord=hunter2"),
            "postgres://h/db?pass%77ord=***"
        );
        let url = DatabaseUrl::new("postgres://h/db?pass%77ord=hunter2");
        assert!(!url.scrub("failed: hunter2").contains("hunter2"));
    }

    #[test]
    fn query_options_are_read_once_in_order_and_decoded_on_demand() {
        let query = "sslmode=require&&password=p%40ss&flag&=x&sslcert=%FF%FE&";
        let options: Vec<QueryOption> = query_options(query).collect();
        let written: Vec<(&str, Option<&str>, usize)> = options
            .iter()
            .map(|o| (o.key, o.raw_value, o.start))
            .collect();
        assert_eq!(
            written,
            [
                ("sslmode", Some("require"), 0),
                ("password", Some("p%40ss"), 17),
                ("flag", None, 33),
                ("", Some("x"), 38),
                ("sslcert", Some("%FF%FE"), 41),
            ]
        );
        for option in &options {
            assert_eq!(&query[option.start..][..option.text.len()], option.text);
            if let (Some(span), Some(raw)) = (option.value_span(), option.raw_value) {
                assert_eq!(&query[span], raw);
            }
        }
        assert_eq!(options[1].value().unwrap(), "p@ss");
        assert_eq!(options[2].value().unwrap(), "");
        let error = options[4].value().unwrap_err();
        assert_eq!(error.to_string(), "sslcert is not valid UTF-8");
        assert_eq!(&query[error.at..], "%FF%FE&");
        assert_eq!(query_options("").count(), 0);
        assert_eq!(
            redact_query("?password&password=&&a=b&password=x=y"),
            "?password&password=***&&a=b&password=***"
        );
    }

    #[test]
    fn redacts_key_value_passwords() {
        assert_eq!(
            redact("host=db user=app password=hunter2 dbname=app"),
            "host=db user=app password=*** dbname=app"
        );
        assert_eq!(
            redact("host=db password = 'a b\\'c' dbname=app"),
            "host=db password = *** dbname=app"
        );
        assert_eq!(redact("host=db passwordless=1"), "host=db passwordless=1");
    }

    #[test]
    fn redacts_every_url_and_password_in_free_text() {
        assert_eq!(
            redact_text("line \"DATABASE_URL=\"postgres://u:SECRET@h/db\" and mysql://a:b@c:1/x?password=p2&x=1 password='p 3' ok://host/path"),
            "line \"DATABASE_URL=\"postgres://u:***@h/db\" and mysql://a:***@c:1/x?password=***&x=1 password=*** ok://host/path"
        );
        assert_eq!(redact_text("no secrets"), "no secrets");
    }

    proptest::proptest! {
        #[test]
        fn redact_text_never_panics_and_never_keeps_a_password(text in "\\PC*", secret in "[a-zA-Z0-9]{6,12}") {
            let _ = redact_text(&text);
            let line = format!("{text} postgres://user:{secret}@host/db {text}");
            let kept = format!(":{}@", secret);
            proptest::prop_assert!(!redact_text(&line).contains(&kept));
        }
    }

    #[test]
    fn swaps_database_and_user() {
        let url = DatabaseUrl::new("postgres://u:pw@h:5432/app?sslmode=disable");
        assert_eq!(
            url.with_database("t1").expose(),
            "postgres://u:pw@h:5432/t1?sslmode=disable"
        );
        assert_eq!(
            url.with_user("ro", "x").expose(),
            "postgres://ro:x@h:5432/app?sslmode=disable"
        );
        let bare = DatabaseUrl::new("postgres://h");
        assert_eq!(bare.with_database("t1").expose(), "postgres://h/t1");
        assert_eq!(bare.with_user("ro", "").expose(), "postgres://ro@h");
    }

    #[test]
    fn display_and_debug_never_show_the_password() {
        let url = DatabaseUrl::new("postgres://u:topsecret@h/db");
        assert_eq!(url.to_string(), "postgres://u:***@h/db");
        assert!(!format!("{url:?}").contains("topsecret"));
        assert_eq!(
            url.scrub("failed for postgres://u:topsecret@h/db (topsecret)"),
            "failed for postgres://u:***@h/db (***)"
        );
        let encoded = DatabaseUrl::new("postgres://u:p%40ss@h/db");
        assert_eq!(encoded.scrub("pw was p@ss"), "pw was ***");
    }
}
