//! PostgreSQL type names as users write them in attributes (`sql_type`,
//! `type_name`) and in `SqlType::SQL_TYPE`: an identifier, possibly
//! schema-qualified, each part quoted or not (`media_kind`, `app.status`,
//! `"RoutingApproach"`, `public."RoutingApproach"`), then optional type
//! modifiers and array brackets (`varchar(200)`, `int4[]`).
//!
//! How a written name names a type of the catalog:
//!
//! - a quoted part is exact: `"RoutingApproach"` names `RoutingApproach`;
//! - an unquoted part is folded to lower case, as PostgreSQL folds it:
//!   `Media_Kind` names `media_kind`;
//! - when no type has the folded name, an unquoted part names the one type
//!   whose name equals it ignoring case, if there is exactly one. diesel and
//!   sqlx users write a type's name as it is spelt (`RoutingApproach`, for a
//!   type created as `"RoutingApproach"`), and nothing else could be meant;
//! - without a schema, the name is looked up in `public` (and `pg_catalog`
//!   for built-in types).

use std::fmt;

use crate::catalog::{quote_ident, Catalog, Schema, TypeName};

/// One part of a written name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePart {
    /// Without quotes; a quoted part's `""` is one `"`.
    pub text: String,
    pub quoted: bool,
}

/// A type name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenTypeName {
    pub schema: Option<NamePart>,
    pub name: NamePart,
    /// How many `[]` follow the name.
    pub dimensions: usize,
}

/// Why a written type name does not parse, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    pub at: usize,
    pub why: &'static str,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.why, self.at)
    }
}

impl std::error::Error for NameError {}

impl NamePart {
    /// The name PostgreSQL reads: a quoted part as written, an unquoted
    /// one in lower case.
    pub fn folded(&self) -> String {
        if self.quoted {
            self.text.clone()
        } else {
            self.text.to_ascii_lowercase()
        }
    }

    /// Which of `names` this part names, by the rules of this module.
    pub fn pick<'a>(&self, names: impl IntoIterator<Item = &'a str> + Clone) -> Option<&'a str> {
        let folded = self.folded();
        if let Some(exact) = names.clone().into_iter().find(|n| *n == folded) {
            return Some(exact);
        }
        if self.quoted {
            return None;
        }
        let mut alike = names
            .into_iter()
            .filter(|n| n.to_ascii_lowercase() == folded);
        match (alike.next(), alike.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

/// Reads a written type name; says where it fails to.
pub fn parse_type_name(text: &str) -> Result<WrittenTypeName, NameError> {
    let mut reader = Reader { text, at: 0 };
    let mut parts = vec![reader.part()?];
    while reader.eat('.') {
        parts.push(reader.part()?);
    }
    if parts.len() > 2 {
        return Err(NameError {
            at: 0,
            why: "a type name is `name` or `schema.name`",
        });
    }
    reader.modifiers()?;
    let dimensions = reader.brackets()?;
    reader.skip_space();
    if reader.at < text.len() {
        return Err(reader.error("unexpected text after the type name"));
    }
    let name = parts.pop().expect("one part");
    Ok(WrittenTypeName {
        schema: parts.pop(),
        name,
        dimensions,
    })
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn error(&self, why: &'static str) -> NameError {
        NameError { at: self.at, why }
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// A quoted part, or an unquoted run up to `.`, `"`, `(` or `[`
    /// (spaces included: `double precision`).
    fn part(&mut self) -> Result<NamePart, NameError> {
        self.skip_space();
        if self.eat('"') {
            return self.quoted();
        }
        let rest = self.rest();
        let end = rest.find(['.', '"', '(', '[']).unwrap_or(rest.len());
        let text = rest[..end].trim_end().to_owned();
        if text.is_empty() {
            return Err(self.error("expected a name"));
        }
        self.at += end;
        if self.rest().starts_with('"') {
            return Err(self.error("a quote inside an unquoted name"));
        }
        Ok(NamePart {
            text,
            quoted: false,
        })
    }

    /// After the opening quote: up to the closing one, `""` being a quote.
    fn quoted(&mut self) -> Result<NamePart, NameError> {
        let mut text = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '"' {
                text.push(c);
                continue;
            }
            if self.rest()[i + 1..].starts_with('"') {
                text.push('"');
                chars.next();
                continue;
            }
            if text.is_empty() {
                return Err(self.error("a quoted name is empty"));
            }
            self.at += i + 1;
            return Ok(NamePart { text, quoted: true });
        }
        Err(NameError {
            at: self.at - 1,
            why: "a quote that is never closed",
        })
    }

    /// `(200)`, `(10, 2)`: skipped.
    fn modifiers(&mut self) -> Result<(), NameError> {
        if !self.eat('(') {
            return Ok(());
        }
        let open = self.at - 1;
        match self.rest().find(')') {
            Some(end) => {
                self.at += end + 1;
                Ok(())
            }
            None => Err(NameError {
                at: open,
                why: "a `(` that is never closed",
            }),
        }
    }

    /// `[]`, `[3]`, as many as there are.
    fn brackets(&mut self) -> Result<usize, NameError> {
        let mut dimensions = 0;
        while self.eat('[') {
            let open = self.at - 1;
            let rest = self.rest();
            let end = rest.find(']').ok_or(NameError {
                at: open,
                why: "a `[` that is never closed",
            })?;
            if !rest[..end].trim().chars().all(|c| c.is_ascii_digit()) {
                return Err(self.error("an array bound is a number"));
            }
            self.at += end + 1;
            dimensions += 1;
        }
        Ok(dimensions)
    }
}

/// How pgdrift spells a type for PostgreSQL and in `SqlType::SQL_TYPE`:
/// each part quoted where PostgreSQL needs it, the schema left out in
/// `public` and `pg_catalog` (whose type names, `varchar` and `char`
/// among them, are written bare).
pub fn spell(name: &TypeName) -> String {
    if name.schema == "pg_catalog" {
        name.name.to_string()
    } else if name.schema == "public" {
        quote_ident(&name.name).into_owned()
    } else {
        qualified(name)
    }
}

/// `schema.name`, each part quoted where PostgreSQL needs it.
pub fn qualified(name: &TypeName) -> String {
    format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
}

/// The names of the user-defined types (enums, domains, composites) of a
/// schema of `catalog`.
fn type_names<'a>(catalog: &'a Catalog, schema: &str) -> Vec<&'a str> {
    catalog
        .schema(schema)
        .map(|schema| {
            // Every field is named, so that a kind of type added to schemas
            // does not compile until it is named here too.
            let Schema {
                name: _,
                comment: _,
                relations: _,
                enums,
                domains,
                composites,
                extension: _,
            } = schema;
            enums
                .iter()
                .map(|e| e.name.as_str())
                .chain(domains.iter().map(|d| d.name.as_str()))
                .chain(composites.iter().map(|c| c.name.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

impl WrittenTypeName {
    /// The user-defined type of `catalog` this name names, if any.
    pub fn resolve(&self, catalog: &Catalog) -> Option<TypeName> {
        let schemas: Vec<&str> = catalog.schemas.iter().map(|s| s.name.as_str()).collect();
        let schema = match &self.schema {
            Some(part) => part.pick(schemas.iter().copied())?,
            None => "public",
        };
        let names = type_names(catalog, schema);
        let name = self.name.pick(names.iter().copied())?;
        Some(TypeName::new(schema, name))
    }

    /// The type this name would name in a catalog that has it, read as
    /// PostgreSQL reads it (each part folded; `public` without a schema).
    pub fn folded(&self) -> TypeName {
        let schema = self
            .schema
            .as_ref()
            .map_or_else(|| "public".to_owned(), NamePart::folded);
        TypeName::new(schema, self.name.folded())
    }

    /// Whether this unquoted name reaches `name` only by ignoring case (so
    /// that spelling it as written is accepted as well).
    fn alike(name: &TypeName, catalog: &Catalog) -> bool {
        let folded = name.name.to_ascii_lowercase();
        if folded == name.name {
            return false;
        }
        let names = type_names(catalog, &name.schema);
        !names.contains(&folded.as_str())
            && names
                .iter()
                .filter(|n| n.to_ascii_lowercase() == folded)
                .count()
                == 1
    }
}

/// Every spelling of `name` that the rules of this module let name it, as
/// `SqlType::SQL_TYPE` is compared (unquoted letters folded): quoted where
/// needed, qualified or not, and its lower-case form when only case sets it
/// apart.
pub fn spellings(name: &TypeName, catalog: &Catalog) -> Vec<String> {
    let mut out = vec![spell(name)];
    let qualified = qualified(name);
    if !out.contains(&qualified) {
        out.push(qualified);
    }
    let lower = name.name.to_ascii_lowercase();
    if quote_ident(&lower) == lower && WrittenTypeName::alike(name, catalog) {
        if name.schema == "public" {
            out.push(lower.clone());
        }
        out.push(format!("{}.{lower}", quote_ident(&name.schema)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{EnumType, Schema};

    fn part(text: &str, quoted: bool) -> NamePart {
        NamePart {
            text: text.into(),
            quoted,
        }
    }

    #[test]
    fn parts_quotes_modifiers_and_brackets() {
        let name = parse_type_name(r#" public . "Routing""Approach" [] "#).unwrap();
        assert_eq!(name.schema, Some(part("public", false)));
        assert_eq!(name.name, part("Routing\"Approach", true));
        assert_eq!(name.dimensions, 1);
        let name = parse_type_name("character varying(200)[][3]").unwrap();
        assert_eq!(
            (name.name, name.dimensions),
            (part("character varying", false), 2)
        );
        let error = |text: &str| parse_type_name(text).unwrap_err();
        assert_eq!(error(r#""open"#).why, "a quote that is never closed");
        assert_eq!(error("a.b.c").why, "a type name is `name` or `schema.name`");
        assert_eq!(error(r#"ab"c""#).at, 2);
        assert_eq!(error("").why, "expected a name");
        assert_eq!(error(r#""""#).why, "a quoted name is empty");
        assert_eq!(error("int4[x]").why, "an array bound is a number");
    }

    fn catalog(names: &[&str]) -> Catalog {
        Catalog {
            schemas: vec![Schema {
                name: "public".into(),
                enums: names
                    .iter()
                    .map(|n| EnumType {
                        name: (*n).into(),
                        labels: Vec::new(),
                        comment: None,
                        extension: None,
                    })
                    .collect(),
                ..Schema::default()
            }],
        }
    }

    fn resolve(catalog: &Catalog, text: &str) -> Option<String> {
        parse_type_name(text)
            .unwrap()
            .resolve(catalog)
            .map(|t| format!("{}.{}", t.schema, t.name))
    }

    #[test]
    fn unquoted_names_fold_then_match_ignoring_case_when_alone() {
        let only_mixed = catalog(&["RoutingApproach"]);
        assert_eq!(
            resolve(&only_mixed, "RoutingApproach").as_deref(),
            Some("public.RoutingApproach")
        );
        assert_eq!(
            resolve(&only_mixed, r#"public."RoutingApproach""#).as_deref(),
            Some("public.RoutingApproach")
        );
        assert_eq!(resolve(&only_mixed, r#""routingapproach""#), None);
        // Folding wins: `RoutingApproach` unquoted is `routingapproach`.
        let both = catalog(&["RoutingApproach", "routingapproach"]);
        assert_eq!(
            resolve(&both, "RoutingApproach").as_deref(),
            Some("public.routingapproach")
        );
        assert_eq!(
            resolve(&both, r#""RoutingApproach""#).as_deref(),
            Some("public.RoutingApproach")
        );
        // Two names alike but for case, neither folded: nothing is meant.
        let twins = catalog(&["Shape", "SHAPE"]);
        assert_eq!(resolve(&twins, "shape"), None);
        assert_eq!(
            resolve(&twins, r#""SHAPE""#).as_deref(),
            Some("public.SHAPE")
        );
    }

    #[test]
    fn spellings_are_what_postgres_and_the_rules_accept() {
        let only_mixed = catalog(&["RoutingApproach"]);
        let name = TypeName::new("public", "RoutingApproach");
        assert_eq!(
            spellings(&name, &only_mixed),
            [
                r#""RoutingApproach""#,
                r#"public."RoutingApproach""#,
                "routingapproach",
                "public.routingapproach"
            ]
        );
        let both = catalog(&["RoutingApproach", "routingapproach"]);
        assert_eq!(spellings(&name, &both).len(), 2);
        assert_eq!(spell(&TypeName::new("app", "status")), "app.status");
    }
}
