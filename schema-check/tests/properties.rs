//! Properties of every parser that user input reaches: it never panics, and
//! it either parses or says where it failed. Where a format is written by
//! pgdrift and read back (snapshots, the docs), what is written reads back
//! as it was, whatever the identifiers and comments hold.

use std::path::Path;

use proptest::prelude::*;
use schema_check::catalog::Catalog;
use schema_check::docs::{self, Segment};
use schema_check::url::{self, DatabaseUrl};
use schema_check::{snapshot, Env, ModelDef, ProjectConfig};

/// Names a database can hold: ordinary ones, any printable text, and the
/// characters that have broken files and terminals before.
fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,12}",
        "[^\u{0}]{1,16}",
        "[ .\"'<>|`\\\\%!#*~=\u{1b}\u{7}\r\n\t\u{202e}-]{1,8}",
        Just("<!-- pgdrift:end public.users -->".to_owned()),
        Just("x/../../../tmp/pwn".to_owned()),
    ]
}

fn comment() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        identifier(),
        "[^\u{0}]{0,60}",
        Just("<script>alert(1)</script>\n```\n# h\n| a | b |".to_owned()),
    ])
}

/// A catalog of a few schemas, tables, columns, enums and domains with
/// generated names and comments, built through the snapshot's JSON form so
/// that it holds exactly what a snapshot can.
fn catalog() -> impl Strategy<Value = Catalog> {
    let column = (
        identifier(),
        any::<bool>(),
        comment(),
        proptest::option::of(identifier()),
    )
        .prop_map(|(name, nullable, comment, default)| {
            serde_json::json!({
                "name": name, "type": "text", "udt": "text", "nullable": nullable,
                "comment": comment, "default": default,
            })
        });
    let relation = (identifier(), comment(), proptest::collection::vec(column, 1..4))
        .prop_map(|(name, comment, columns)| {
            serde_json::json!({"name": name, "kind": "table", "comment": comment, "columns": columns})
        });
    let enum_type = (identifier(), proptest::collection::vec(identifier(), 1..4), comment())
        .prop_map(|(name, labels, comment)| {
            serde_json::json!({"name": name, "labels": labels, "comment": comment})
        });
    let schema = (
        identifier(),
        proptest::collection::vec(relation, 0..3),
        proptest::collection::vec(enum_type, 0..2),
    )
        .prop_map(|(name, relations, enums)| {
            serde_json::json!({"name": name, "relations": relations, "enums": enums})
        });
    proptest::collection::vec(schema, 1..3).prop_filter_map("unique names", |schemas| {
        let mut value = serde_json::json!({"format": 1, "schemas": schemas});
        strip_nulls(&mut value);
        let catalog =
            snapshot::from_bytes(value.to_string().as_bytes(), Path::new("gen.json")).ok()?;
        let mut keys: Vec<String> = docs::sections(&catalog, &Default::default())
            .into_iter()
            .map(|s| s.key)
            .collect();
        let count = keys.len();
        keys.sort();
        keys.dedup();
        (keys.len() == count).then_some(catalog)
    })
}

fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Lines that look like docs, markers (good and garbled), fences and text.
fn docs_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[^\u{0}\n]{0,30}",
        identifier().prop_map(|k| format!("<!-- pgdrift:begin {k} -->")),
        identifier().prop_map(|k| format!("<!-- pgdrift:end {k} -->")),
        Just("<!-- pgdrift:begin public.a -->".to_owned()),
        Just("<!-- pgdrift:end public.a -->".to_owned()),
        Just("<!-- pgdrift:begn public.a -->".to_owned()),
        Just("```".to_owned()),
        Just("~~~~ md".to_owned()),
        Just("\u{feff}".to_owned()),
    ];
    (
        proptest::collection::vec(line, 0..20),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(lines, newline)| lines.join(newline))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn catalog_snapshot_catalog_is_lossless(catalog in catalog()) {
        let bytes = snapshot::to_bytes(&catalog);
        let back = snapshot::from_bytes(&bytes, Path::new("s.json")).unwrap();
        prop_assert_eq!(&back, &catalog);
        prop_assert_eq!(snapshot::to_bytes(&back), bytes);
    }

    #[test]
    fn snapshot_loading_never_panics_and_names_file_and_line(
        catalog in catalog(),
        cut in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = snapshot::to_bytes(&catalog);
        let at = cut.index(bytes.len());
        bytes[at] = byte;
        if let Err(e) = snapshot::from_bytes(&bytes, Path::new("dir/s.json")) {
            let message = e.to_string();
            prop_assert!(message.contains("dir/s.json") && message.contains("line"), "{}", message);
        }
        bytes.truncate(at);
        if let Err(e) = snapshot::from_bytes(&bytes, Path::new("dir/s.json")) {
            prop_assert!(e.to_string().contains("dir/s.json"));
        }
    }

    #[test]
    fn rendered_docs_parse_back_to_their_sections(catalog in catalog(), user in "[^\u{0}]{0,40}") {
        let sections = docs::sections(&catalog, &Default::default());
        let path = Path::new("docs/schema.md");
        let first = docs::render_document(None, path, &sections).unwrap();
        let with_user_text = format!("{first}\n```\n<!-- pgdrift:begin public.x -->\n```\n{user}\n");
        for text in [first.clone(), with_user_text] {
            let parsed = docs::parse_document(&text, path);
            prop_assert!(parsed.is_ok(), "{:?}", parsed.err());
            let found: Vec<(String, String)> = parsed
                .unwrap()
                .into_iter()
                .filter_map(|s| match s {
                    Segment::Section { key, body, .. } => Some((key, body)),
                    Segment::Text(_) => None,
                })
                .collect();
            let wanted: Vec<(String, String)> =
                sections.iter().map(|s| (s.key.clone(), s.body.clone())).collect();
            prop_assert_eq!(found, wanted);
            prop_assert!(docs::staleness(&text, path, &sections).unwrap().is_clean());
            prop_assert_eq!(docs::render_document(Some(&text), path, &sections).unwrap(), text);
        }
        prop_assert!(!first.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
    }

    #[test]
    fn any_docs_text_parses_or_names_its_line(text in docs_text()) {
        match docs::parse_document(&text, Path::new("d.md")) {
            Ok(segments) => {
                let sections = segments.iter().filter(|s| matches!(s, Segment::Section { .. })).count();
                prop_assert!(sections <= text.matches("pgdrift:begin").count());
            }
            Err(e) => prop_assert!(e.to_string().starts_with("d.md line "), "{}", e),
        }
    }

    #[test]
    fn any_pgdrift_toml_loads_or_names_the_file(text in "[^\u{0}]{0,80}|[a-z]{1,8} = \"[^\"\u{0}]{0,20}\"") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgdrift.toml");
        std::fs::write(&path, &text).unwrap();
        if let Err(e) = ProjectConfig::load(&path, true) {
            prop_assert!(e.to_string().contains("pgdrift.toml"), "{}", e);
        }
    }

    #[test]
    fn any_env_file_loads_or_names_the_file_never_the_secret(
        text in "[^\u{0}]{0,60}",
        secret in "[A-Za-z0-9]{12}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let content = format!("{text}\nDATABASE_URL=\"postgres://u:{secret}@h/db\n");
        std::fs::write(dir.path().join(".env"), content).unwrap();
        if let Err(e) = Env::load(dir.path()) {
            let message = e.to_string();
            prop_assert!(message.contains(".env"), "{}", message);
            prop_assert!(!message.contains(&secret), "{}", message);
        }
    }

    #[test]
    fn any_url_query_reads_as_options_or_names_the_option_that_fails(
        query in "[^\u{0}]{0,40}|((sslmode|sslrootcert|password|[a-z]{1,6})(=([a-z0-9./-]|%[0-9A-Fa-f]{2}|%[^\u{0}]?){0,6})?&{0,2}){0,5}",
        secret in "[A-Za-z0-9]{12}",
    ) {
        let mut read = Vec::new();
        for option in url::query_options(&query) {
            prop_assert!(!option.text.is_empty());
            prop_assert_eq!(&query[option.start..][..option.text.len()], option.text);
            match option.value() {
                Ok(value) => prop_assert!(option.raw_value.is_some() || value.is_empty()),
                Err(e) => {
                    prop_assert_eq!(e.to_string(), format!("{} is not valid UTF-8", option.key));
                    let raw = option.raw_value.unwrap_or_default();
                    prop_assert!(query[e.at..].starts_with(raw), "{} at {}", raw, e.at);
                }
            }
            read.push(option.text);
        }
        let written: Vec<&str> = query.split('&').filter(|o| !o.is_empty()).collect();
        prop_assert_eq!(read, written);
        let url = DatabaseUrl::new(format!("postgres://u@h/db?{query}&password={secret}"));
        prop_assert!(!url.redacted().contains(&secret), "{}", url.redacted());
    }

    #[test]
    fn any_pgdrift_attribute_parses_or_is_reported_at_a_place(
        args in proptest::collection::vec(
            prop_oneof![
                Just("table = \"users\"".to_owned()),
                Just("schema".to_owned()),
                Just("rename_all = \"camelCase\"".to_owned()),
                Just("partial".to_owned()),
                Just("strict".to_owned()),
                Just("= = ,".to_owned()),
                Just("table(\"x\")".to_owned()),
                "[a-z_]{1,8}( = \"[^\"\\\\\u{0}]{0,8}\")?",
                "[0-9]{1,4}",
            ],
            0..5,
        ),
        field_args in proptest::collection::vec(
            prop_oneof![
                Just("column = \"pw\"".to_owned()),
                Just("skip".to_owned()),
                Just("sql_type = \"bigint\"".to_owned()),
                "[a-z_]{1,8}( = \"[^\"\\\\\u{0}]{0,8}\")?",
            ],
            0..3,
        ),
    ) {
        let source = format!(
            "#[pgdrift({})]\nstruct S {{\n    #[pgdrift({})]\n    a: i32,\n    b: Option<String>,\n}}",
            args.join(", "),
            field_args.join(", ")
        );
        if let Ok(input) = syn::parse_str::<syn::DeriveInput>(&source) {
            if let Err(findings) = ModelDef::parse(&input) {
                prop_assert!(!findings.is_empty());
                for finding in findings {
                    let span = finding.span.expect("an attribute finding points at its token");
                    prop_assert!(span.start().line >= 1, "{}", finding.text());
                    prop_assert!(!finding.message.is_empty());
                }
            }
        }
    }
}

/// Type names as they are written: plain, quoted (with doubled quotes),
/// qualified, with modifiers and brackets, and any text at all.
fn type_name_text() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        "[A-Za-z_][A-Za-z0-9_ ]{0,10}",
        "\"([^\"\u{0}]|\"\"){0,10}\"",
        "[^\u{0}]{0,6}",
    ];
    (
        proptest::collection::vec(part, 1..4),
        "(\\([0-9, ]{0,5}\\)?)?",
        "(\\[[0-9]{0,2}\\]?){0,3}",
    )
        .prop_map(|(parts, modifiers, brackets)| {
            format!("{}{modifiers}{brackets}", parts.join("."))
        })
}

proptest! {
    /// Any text parses as a type name or says at which byte it fails; a
    /// name that parses resolves against any catalog without panicking, and
    /// every spelling pgdrift gives a type of the catalog names that type.
    #[test]
    fn any_type_name_parses_or_says_where_it_fails(
        text in type_name_text(),
        catalog in catalog(),
    ) {
        match schema_check::sql_name::parse_type_name(&text) {
            Ok(name) => {
                prop_assert!(!name.name.text.is_empty());
                let _ = name.resolve(&catalog);
            }
            Err(e) => prop_assert!(e.at <= text.len(), "{e} in {text:?}"),
        }
        let mut names: Vec<&str> = catalog.schemas.iter().map(|s| s.name.as_str()).collect();
        names.sort();
        names.dedup();
        prop_assume!(names.len() == catalog.schemas.len(), "a database's schema names differ");
        for schema in &catalog.schemas {
            for enum_type in &schema.enums {
                let name = schema_check::catalog::TypeName::new(&schema.name, &enum_type.name);
                for spelling in schema_check::sql_name::spellings(&name, &catalog) {
                    let parsed = schema_check::sql_name::parse_type_name(&spelling);
                    prop_assert!(parsed.is_ok(), "{spelling:?}: {parsed:?}");
                    let resolved = parsed.unwrap().resolve(&catalog);
                    prop_assert_eq!(resolved.as_ref(), Some(&name), "{:?}", spelling);
                }
            }
        }
    }
}

/// The words PostgreSQL would read in `sql`, upper-cased: everything
/// outside comments, string literals and quoted identifiers.
fn sql_words(sql: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        let skip_to = |end: char, chars: &mut std::iter::Peekable<std::str::Chars>| {
            while let Some(c) = chars.next() {
                if c == end && (end == '\n' || chars.peek() != Some(&end)) {
                    return;
                }
                if c == end {
                    chars.next();
                }
            }
        };
        match c {
            '-' if chars.peek() == Some(&'-') => skip_to('\n', &mut chars),
            '\'' | '"' => skip_to(c, &mut chars),
            c if c.is_ascii_alphanumeric() || c == '_' => {
                word.push(c.to_ascii_uppercase());
                continue;
            }
            _ => {}
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    words.push(word);
    words
}

/// A model struct: schema, table (`None`: the catalog's first table), a
/// direction or flag, a doc comment, and fields.
type ModelSpec = (
    Option<String>,
    Option<String>,
    &'static str,
    Option<String>,
    Vec<FieldSpec>,
);

/// A field: column, Rust type, `renamed_from`, doc comment, `primary_key`.
type FieldSpec = (String, &'static str, Option<String>, Option<String>, bool);

fn model_specs() -> impl Strategy<Value = (Vec<ModelSpec>, String, Vec<String>)> {
    let ty = proptest::sample::select(vec![
        "i64",
        "i32",
        "Option<String>",
        "String",
        "Vec<i32>",
        "Option<Kind>",
        "Kind",
        "Vec<Kind>",
        "geo::Point",
        "serde_json::Value",
        "Option<Option<i32>>",
        "Email",
    ]);
    let field = (
        identifier(),
        ty,
        proptest::option::of(identifier()),
        comment(),
        any::<bool>(),
    );
    let flags = proptest::sample::select(vec!["", "partial", "strict", "insert", "update"]);
    let model = (
        proptest::option::of(identifier()),
        proptest::option::of(identifier()),
        flags,
        comment(),
        proptest::collection::vec(field, 0..5),
    );
    (
        proptest::collection::vec(model, 1..3),
        identifier(),
        proptest::collection::vec(identifier(), 1..4),
    )
}

/// `text` as a Rust string literal.
fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

/// The model source file of `specs`, with an enum `Kind` over the type
/// `kind` (quoted) with `labels`, and a newtype `Email`.
fn model_source(specs: &[ModelSpec], kind: &str, labels: &[String], catalog: &Catalog) -> String {
    let first = catalog
        .relations()
        .next()
        .map(|(schema, r)| (schema.to_owned(), r.name.clone()));
    let quoted = format!("\"{}\"", kind.replace('"', "\"\""));
    let mut out = format!(
        "use pgdrift::Model;\n#[derive(pgdrift::SqlType)]\npub struct Email(String);\n\
         #[derive(pgdrift::Enum)]\n#[pgdrift(type_name = {})]\npub enum Kind {{\n",
        rust_string(&quoted)
    );
    for (i, label) in labels.iter().enumerate() {
        out.push_str(&format!(
            "    #[pgdrift(rename = {})]\n    V{i},\n",
            rust_string(label)
        ));
    }
    out.push_str("}\n");
    for (i, (schema, table, flag, doc, fields)) in specs.iter().enumerate() {
        let (schema, table) = match (table, &first) {
            (None, Some((s, t))) => (Some(s.clone()), t.clone()),
            (t, _) => (schema.clone(), t.clone().unwrap_or_else(|| "t".to_owned())),
        };
        let mut attrs = vec![format!("table = {}", rust_string(&table))];
        attrs.extend(schema.map(|s| format!("schema = {}", rust_string(&s))));
        attrs.extend((!flag.is_empty()).then(|| flag.to_string()));
        if let Some(doc) = doc {
            out.push_str(&format!("#[doc = {}]\n", rust_string(doc)));
        }
        out.push_str(&format!(
            "#[derive(Model)]\n#[pgdrift({})]\npub struct S{i} {{\n",
            attrs.join(", ")
        ));
        for (j, (column, ty, renamed, doc, key)) in fields.iter().enumerate() {
            if let Some(doc) = doc {
                out.push_str(&format!("    #[doc = {}]\n", rust_string(doc)));
            }
            let mut attrs = vec![format!("column = {}", rust_string(column))];
            attrs.extend(
                renamed
                    .as_ref()
                    .map(|r| format!("renamed_from = {}", rust_string(r))),
            );
            attrs.extend(key.then(|| "primary_key".to_owned()));
            out.push_str(&format!(
                "    #[pgdrift({})]\n    pub f{j}: {ty},\n",
                attrs.join(", ")
            ));
        }
        out.push_str("}\n");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the schema and the models hold, the up part of a draft
    /// runs no `DROP` but its own temporary check's and `DROP NOT NULL`
    /// (its drops of columns stay commented out), and the same input
    /// drafts the same bytes.
    #[test]
    fn a_draft_never_drops_data(
        catalog in catalog(),
        (specs, kind, labels) in model_specs(),
    ) {
        let source = model_source(&specs, &kind, &labels, &catalog);
        let found = schema_check::discover::discover_texts(
            vec![("src/models.rs".into(), source.clone())],
            &schema_check::cfg::Cfg::default(),
        );
        let drafted = schema_check::fix::sql::draft(&catalog, &found);
        let up = drafted.up();
        let words = sql_words(&up);
        for (i, word) in words.iter().enumerate() {
            if word != "DROP" {
                continue;
            }
            let next = words.get(i + 1).map(String::as_str);
            let then = words.get(i + 2).map(String::as_str).unwrap_or_default();
            let allowed = next == Some("NOT")
                || (next == Some("CONSTRAINT") && then.starts_with("PGDRIFT_NOT_NULL"));
            prop_assert!(allowed, "DROP {next:?} {then}\n{up}\n{source}");
        }
        prop_assert_eq!(&schema_check::fix::sql::draft(&catalog, &found).up(), &up);
    }
}

#[test]
fn sql_words_skip_comments_literals_and_quoted_names() {
    assert_eq!(
        sql_words("-- DROP TABLE x\nALTER \"DROP\" 'it''s DROP' x-1 ;\"a\"\"DROP\""),
        ["ALTER", "X", "1", ""]
    );
}
