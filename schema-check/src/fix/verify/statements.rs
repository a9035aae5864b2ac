//! The statements of a SQL text, split where PostgreSQL would end them: at
//! a `;` outside comments (`--`, nested `/* */`), quoted text (`'…'`,
//! `E'…'` with backslash escapes, `"…"`, `$tag$…$tag$`), parentheses and a
//! `BEGIN ATOMIC … END` function body.
//!
//! Every delimiter is ASCII, and no byte of a multi-byte UTF-8 character
//! is, so the text is scanned byte by byte and cut only at ASCII bytes.

/// One statement of a SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Statement<'a> {
    /// From its first word or symbol (comments before it left out) to the
    /// byte before its `;`.
    pub(super) text: &'a str,
    /// Its first two words outside comments and quotes, upper-cased.
    pub(super) lead: Vec<String>,
}

impl Statement<'_> {
    /// The words that open this statement when it controls the transaction
    /// (`BEGIN`, `COMMIT`, `PREPARE TRANSACTION`…), else `None`.
    pub(super) fn transaction_control(&self) -> Option<String> {
        let first = self.lead.first()?.as_str();
        let second = self.lead.get(1).map(String::as_str);
        let control = matches!(
            first,
            "BEGIN" | "START" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE"
        ) || (first == "PREPARE" && second == Some("TRANSACTION"));
        control.then(|| self.lead.join(" "))
    }
}

/// The statements of `sql`, in order; a part with nothing but blanks and
/// comments is none.
pub(super) fn split(sql: &str) -> Vec<Statement<'_>> {
    let mut scan = Scan {
        sql,
        at: 0,
        statements: Vec::new(),
        current: Current::default(),
    };
    while scan.at < sql.len() {
        scan.step();
    }
    scan.finish(sql.len());
    scan.statements
}

/// The statement being read.
#[derive(Default)]
struct Current {
    /// Where its first word or symbol starts.
    start: Option<usize>,
    lead: Vec<String>,
    /// Whether it creates a function or procedure, whose `BEGIN ATOMIC`
    /// body holds `;`s.
    routine: bool,
    parens: i64,
    blocks: i64,
}

struct Scan<'a> {
    sql: &'a str,
    at: usize,
    statements: Vec<Statement<'a>>,
    current: Current,
}

impl<'a> Scan<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.sql.as_bytes().get(at).copied()
    }

    /// Reads one token (or blank) at `self.at` and moves past it.
    fn step(&mut self) {
        let at = self.at;
        let (byte, next) = (self.byte(at).unwrap_or(0), self.byte(at + 1));
        self.at = match byte {
            b'-' if next == Some(b'-') => line_end(self.sql, at),
            b'/' if next == Some(b'*') => comment_end(self.sql.as_bytes(), at),
            b if b.is_ascii_whitespace() => at + 1,
            b';' if self.current.parens <= 0 && self.current.blocks <= 0 => {
                self.finish(at);
                at + 1
            }
            _ => self.token(at, byte),
        };
    }

    /// Reads the token starting at `at`, part of the current statement.
    fn token(&mut self, at: usize, byte: u8) -> usize {
        self.current.start.get_or_insert(at);
        match byte {
            b'\'' => quoted_end(self.sql.as_bytes(), at, b'\'', false),
            b'"' => quoted_end(self.sql.as_bytes(), at, b'"', false),
            b'$' => dollar_end(self.sql, at).unwrap_or(at + 1),
            b'(' => {
                self.current.parens += 1;
                at + 1
            }
            b')' => {
                self.current.parens -= 1;
                at + 1
            }
            b if is_word_byte(b) => self.word(at),
            _ => at + 1,
        }
    }

    /// Reads the word at `at` (or an `E'…'` string it opens).
    fn word(&mut self, at: usize) -> usize {
        let bytes = self.sql.as_bytes();
        let end = (at..bytes.len())
            .find(|&i| !is_word_byte(bytes[i]))
            .unwrap_or(bytes.len());
        let word = self.sql[at..end].to_ascii_uppercase();
        if word == "E" && self.byte(end) == Some(b'\'') {
            return quoted_end(bytes, end, b'\'', true);
        }
        self.count(word);
        end
    }

    /// Keeps the statement's first words, and its `BEGIN … END` depth in
    /// a function body (`CASE` opens one there too).
    fn count(&mut self, word: String) {
        let current = &mut self.current;
        match word.as_str() {
            "BEGIN" if current.routine => current.blocks += 1,
            "CASE" if current.blocks > 0 => current.blocks += 1,
            "END" if current.blocks > 0 => current.blocks -= 1,
            _ => {}
        }
        if current.lead.len() < 4 {
            current.lead.push(word);
            let lead: Vec<&str> = current.lead.iter().map(String::as_str).collect();
            current.routine = matches!(
                lead.as_slice(),
                ["CREATE", "FUNCTION" | "PROCEDURE", ..]
                    | ["CREATE", "OR", "REPLACE", "FUNCTION" | "PROCEDURE"]
            );
        }
    }

    /// Ends the current statement before `end`, keeping it when it has a token.
    fn finish(&mut self, end: usize) {
        let current = std::mem::take(&mut self.current);
        if let Some(start) = current.start {
            let mut lead = current.lead;
            lead.truncate(2);
            self.statements.push(Statement {
                text: self.sql[start..end].trim_end(),
                lead,
            });
        }
    }
}

/// Letters, digits, `_`, `$` and every byte of a non-ASCII character: what
/// a word (an identifier, a keyword, a number) is made of.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80
}

/// After the `--` comment at `at`: its line end.
fn line_end(sql: &str, at: usize) -> usize {
    sql[at..].find('\n').map_or(sql.len(), |n| at + n + 1)
}

/// After the `/* */` comment at `at`, which may nest.
fn comment_end(bytes: &[u8], at: usize) -> usize {
    let mut depth = 0;
    let mut i = at;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'/', Some(b'*')) => {
                depth += 1;
                i += 2;
            }
            (b'*', Some(b'/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// After the text quoted by `quote` at `at` (a doubled quote stands for
/// one; with `backslash`, a backslash escapes the next byte).
fn quoted_end(bytes: &[u8], at: usize, quote: u8, backslash: bool) -> usize {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if backslash => i += 2,
            b if b == quote && bytes.get(i + 1) == Some(&quote) => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// After the dollar-quoted text at `at` (`$$…$$`, `$tag$…$tag$`); `None`
/// when no dollar quote opens there (a parameter such as `$1`).
fn dollar_end(sql: &str, at: usize) -> Option<usize> {
    let bytes = sql.as_bytes();
    let close = at + 1 + bytes[at + 1..].iter().position(|&b| b == b'$')?;
    let tag = &bytes[at + 1..close];
    let opens_tag = |b: &u8| b.is_ascii_alphabetic() || *b == b'_' || *b >= 0x80;
    let valid =
        tag.first().is_none_or(opens_tag) && tag.iter().all(|&b| is_word_byte(b) && b != b'$');
    if !valid {
        return None;
    }
    let delimiter = &sql[at..=close];
    let body = close + 1;
    Some(
        sql[body..]
            .find(delimiter)
            .map_or(sql.len(), |n| body + n + delimiter.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn splits_at_semicolons_outside_comments_quotes_and_bodies() {
        let sql = "-- a comment; still\nALTER TABLE \"a;b\" ADD COLUMN c text DEFAULT 'x;''y';\n\
                   /* outer /* inner; */ still; */ COMMENT ON TABLE t IS E'it\\'s; fine';\n\
                   CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;\n\
                   CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);\n\
                   CREATE PROCEDURE p() BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;\n\
                   SELECT $1, a$b FROM t;;  -- trailing\n";
        assert_eq!(
            texts(sql),
            [
                "ALTER TABLE \"a;b\" ADD COLUMN c text DEFAULT 'x;''y'",
                "COMMENT ON TABLE t IS E'it\\'s; fine'",
                "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql",
                "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)",
                "CREATE PROCEDURE p() BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END",
                "SELECT $1, a$b FROM t",
            ]
        );
    }

    #[test]
    fn transaction_control_is_told_by_its_first_words_outside_comments_and_quotes() {
        let control = |sql: &str| -> Vec<Option<String>> {
            split(sql)
                .iter()
                .map(Statement::transaction_control)
                .collect()
        };
        assert_eq!(
            control("/* x */ commit; SELECT 'COMMIT'; -- COMMIT\nprepare transaction 'x'; PREPARE q AS SELECT 1; End"),
            [
                Some("COMMIT".to_owned()),
                None,
                Some("PREPARE TRANSACTION".to_owned()),
                None,
                Some("END".to_owned()),
            ]
        );
        for sql in [
            "BEGIN",
            "start transaction",
            "ROLLBACK",
            "abort",
            "SAVEPOINT s",
            "RELEASE s",
        ] {
            assert!(control(sql)[0].is_some(), "{sql}");
        }
        assert_eq!(control("CREATE TABLE \"commit\" (a int)"), [None]);
    }

    #[test]
    fn unterminated_quotes_and_comments_run_to_the_end() {
        assert_eq!(texts("SELECT 'a; COMMIT"), ["SELECT 'a; COMMIT"]);
        assert_eq!(texts("SELECT $$a; COMMIT"), ["SELECT $$a; COMMIT"]);
        assert_eq!(texts("SELECT 1 /* ; COMMIT"), ["SELECT 1 /* ; COMMIT"]);
        assert!(texts(" -- only a comment\n /* and another */ ").is_empty());
        assert_eq!(
            texts("SELECT 'é;'; SELECT \"ü\""),
            ["SELECT 'é;'", "SELECT \"ü\""]
        );
    }
}
