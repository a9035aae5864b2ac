//! Finding the `#[derive(Model)]` structs of a project in its source files,
//! read with the derive's own [`ModelDef::parse`], with file and position.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use syn::punctuated::Punctuated;

use crate::cfg::Cfg;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::fix::place::place;
use crate::input::{EnumDef, ModelDef, NewtypeDef, NewtypeSqlType};

/// A model found in a source file.
pub struct FoundModel {
    /// Relative to the project root.
    pub file: PathBuf,
    pub model: ModelDef,
}

/// A `#[derive(Enum)]` enum found in a source file.
pub struct FoundEnum {
    /// Relative to the project root.
    pub file: PathBuf,
    pub def: EnumDef,
}

/// A `#[derive(SqlType)]` newtype, or a type with a hand-written
/// `impl SqlType` whose `SQL_TYPE` is a string literal, found in a source
/// file.
pub struct FoundNewtype {
    /// Relative to the project root.
    pub file: PathBuf,
    pub def: NewtypeDef,
}

/// What the model paths hold: the models, and the structs whose
/// `#[pgdrift(...)]` attributes are wrong (reported as the derive would).
#[derive(Default)]
pub struct Discovered {
    pub models: Vec<FoundModel>,
    pub enums: Vec<FoundEnum>,
    /// The newtypes deriving `SqlType` whose attributes parse (the derive
    /// reports the others), and the types whose hand-written `impl SqlType`
    /// gives `SQL_TYPE` as a string literal.
    pub newtypes: Vec<FoundNewtype>,
    /// Types that implement `pgdrift::SqlType` (derived or by hand), by name:
    /// fields of these types are checked by the build, not reported unchecked.
    pub sql_types: HashSet<String>,
    /// Their findings are placed in their files (without the texts: no
    /// fixes).
    pub attribute_findings: Vec<Finding>,
    pub files: usize,
    /// Files that could not be read as Rust: `file line L, column C: why`.
    /// The other files are still read.
    pub unreadable: Vec<String>,
    /// What a default build of the package does not compile, so neither is
    /// it checked: models, modules and files under a `#[cfg(...)]` that
    /// does not hold.
    pub skipped: Vec<Skipped>,
    /// The text of every file read, by its path relative to the root.
    pub sources: std::collections::BTreeMap<PathBuf, String>,
}

/// A model, module or file left out because its `#[cfg(...)]` does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Relative to the project root.
    pub file: PathBuf,
    /// 1-based; 0 for a whole file.
    pub line: usize,
    /// `struct User`, `mod admin`, or `file` for a file out of the build.
    pub what: String,
    /// The predicate as written, e.g. `#[cfg(feature = "admin")]`.
    pub cfg: String,
}

impl Discovered {
    /// An error naming every file that could not be read, if any.
    pub fn require_readable(&self) -> Result<()> {
        match self.unreadable.as_slice() {
            [] => Ok(()),
            files => Err(Error::Config(format!(
                "cannot parse {}",
                files.join("; cannot parse ")
            ))),
        }
    }
}

/// The files matching `patterns` (globs relative to `root`), sorted.
pub fn model_files(root: &Path, patterns: &[String]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for pattern in patterns {
        let full = root.join(pattern);
        let paths = glob::glob(&full.to_string_lossy())
            .map_err(|e| Error::Config(format!("invalid model path pattern {pattern:?}: {e}")))?;
        for path in paths.flatten() {
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Reads every file matching `patterns` (globs relative to `root`), as a
/// default build of the package in `root` sees them.
pub fn discover(root: &Path, patterns: &[String]) -> Result<Discovered> {
    discover_with(root, patterns, &Cfg::for_package(root, &[])?)
}

/// Reads every file matching `patterns`, leaving out what `cfg` does not
/// compile: items and modules under a failing `#[cfg(...)]`, the files of
/// such modules, and files whose `#![cfg(...)]` fails. `#[cfg_attr(...)]`
/// is expanded the same way.
pub fn discover_with(root: &Path, patterns: &[String], cfg: &Cfg) -> Result<Discovered> {
    Ok(discover_texts(read_model_files(root, patterns)?, cfg))
}

/// The text of every file matching `patterns`, by its path relative to `root`.
pub fn read_model_files(root: &Path, patterns: &[String]) -> Result<Vec<(PathBuf, String)>> {
    let mut texts = Vec::new();
    for path in model_files(root, patterns)? {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        texts.push((relative, text));
    }
    Ok(texts)
}

/// The models of files already read (pairs of a path relative to the root
/// and the file's text), as [`discover_with`] finds them.
pub fn discover_texts(texts: Vec<(PathBuf, String)>, cfg: &Cfg) -> Discovered {
    let mut found = Discovered {
        files: texts.len(),
        ..Discovered::default()
    };
    let mut files = Vec::new();
    for (relative, text) in texts {
        match parse_source(text.clone()) {
            Ok(file) => {
                found.sources.insert(relative.clone(), text);
                files.push((relative, file));
            }
            Err(why) => found
                .unreadable
                .push(format!("{} {why}", relative.display())),
        }
    }
    let mut excluded: Vec<(PathBuf, String)> = Vec::new();
    for (relative, file) in &files {
        if let Some(failing) = cfg.failing(&file.attrs) {
            excluded.push((module_dir(relative), failing.clone()));
            excluded.push((relative.clone(), failing));
        }
        excluded_modules(cfg, &file.items, &module_dir(relative), &mut excluded);
    }
    for (relative, file) in &files {
        if let Some((_, failing)) = excluded.iter().find(|(out, _)| relative.starts_with(out)) {
            found.skipped.push(Skipped {
                file: relative.clone(),
                line: 0,
                what: "file".to_owned(),
                cfg: failing.clone(),
            });
            continue;
        }
        let aliases = Aliases::of(&file.items);
        collect(&file.items, cfg, &aliases, relative, &mut found);
    }
    // A parsed file may nest deeply; its tree is not walked again, so the
    // process's end frees it rather than a recursive drop.
    std::mem::forget(files);
    found
}

/// The most tokens a file may hold between two `,` or `;` (at any depth),
/// and the deepest it may nest brackets. Parsing recurses once per level of
/// nesting, and a hostile file (`((((…))))` twenty thousand deep, long
/// operator chains) would overflow the stack; real model files stay far
/// below both.
const MAX_TOKENS_BETWEEN_SEPARATORS: usize = 10_000;
const MAX_BRACKET_DEPTH: usize = 256;

/// The stack [`discover`] needs for files at the limits above: the
/// `schema-check` CLI and `pgdrift::build` run on one this large (see
/// [`with_parse_stack`]).
pub const PARSE_STACK: usize = 256 << 20;

/// Runs `work` on a thread with a [`PARSE_STACK`] stack (reserved address
/// space; only what is used is committed).
pub fn with_parse_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("pgdrift".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, work)
            .expect("a thread can be started")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Parses a Rust source file, or says where and why it cannot: a syntax
/// error, or nesting beyond what pgdrift reads (which keeps parsing within
/// [`PARSE_STACK`]).
fn parse_source(text: String) -> std::result::Result<syn::File, String> {
    let tokens: proc_macro2::TokenStream = strip_shebang(&text)
        .parse()
        .map_err(|e: proc_macro2::LexError| at(e.span(), &e.to_string()))?;
    check_nesting(&tokens)?;
    syn::parse2::<syn::File>(tokens).map_err(|e| at(e.span(), &e.to_string()))
}

fn at(span: proc_macro2::Span, why: &str) -> String {
    let start = span.start();
    format!("line {}, column {}: {why}", start.line, start.column + 1)
}

/// The text without a leading byte-order mark and `#!` line (a shebang, not
/// an inner attribute `#![…]`), which the lexer does not take; the shebang
/// line is blanked, so positions stay right.
fn strip_shebang(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.strip_prefix("#!") {
        Some(rest) if !rest.trim_start().starts_with('[') => {
            let end = text.find('\n').unwrap_or(text.len());
            format!("{}{}", " ".repeat(end), &text[end..])
        }
        _ => text.to_owned(),
    }
}

/// Refuses token trees nested or chained beyond the limits, walking them
/// without recursion.
fn check_nesting(tokens: &proc_macro2::TokenStream) -> std::result::Result<(), String> {
    use proc_macro2::TokenTree;
    let mut stack = vec![tokens.clone().into_iter()];
    let mut run = 0usize;
    while let Some(top) = stack.last_mut() {
        let Some(token) = top.next() else {
            stack.pop();
            continue;
        };
        run += 1;
        match &token {
            TokenTree::Punct(p) if matches!(p.as_char(), ',' | ';') => run = 0,
            TokenTree::Group(group) => {
                if stack.len() >= MAX_BRACKET_DEPTH {
                    return Err(at(
                        group.span_open(),
                        &format!("brackets nest more than {MAX_BRACKET_DEPTH} deep, more than pgdrift reads"),
                    ));
                }
                stack.push(group.stream().into_iter());
            }
            _ => {}
        }
        if run > MAX_TOKENS_BETWEEN_SEPARATORS {
            return Err(at(
                token.span(),
                &format!(
                    "more than {MAX_TOKENS_BETWEEN_SEPARATORS} tokens without a `,` or `;`, more than pgdrift reads"
                ),
            ));
        }
    }
    Ok(())
}

/// The directory holding the files of `file`'s child modules: its own
/// directory for `lib.rs`, `main.rs` and `mod.rs`, else `dir/name/`.
fn module_dir(file: &Path) -> PathBuf {
    let parent = file.parent().unwrap_or(Path::new(""));
    match file.file_stem().and_then(|s| s.to_str()) {
        Some("lib" | "main" | "mod") | None => parent.to_path_buf(),
        Some(stem) => parent.join(stem),
    }
}

/// The files of `mod name;` declarations under a failing `#[cfg(...)]`
/// (`name.rs`, `name/mod.rs`, the `name/` directory, or `#[path]`), with the
/// predicate.
fn excluded_modules(cfg: &Cfg, items: &[syn::Item], dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for item in items {
        let syn::Item::Mod(m) = item else {
            continue;
        };
        let name = m.ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let attrs = cfg.expand_cfg_attr(&m.attrs);
        match (&m.content, cfg.failing(&attrs)) {
            (None, Some(failing)) => {
                if let Some(path) = path_attr(&attrs) {
                    out.push((dir.join(path), failing.clone()));
                }
                out.push((dir.join(format!("{name}.rs")), failing.clone()));
                out.push((dir.join(&name), failing));
            }
            (Some((_, inner)), None) => excluded_modules(cfg, inner, &dir.join(&name), out),
            _ => {}
        }
    }
}

/// `#[path = "…"]`.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .find(|a| a.path().is_ident("path"))
        .and_then(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value()),
            _ => None,
        })
}

/// Adds the models, `#[derive(Enum)]` enums and SQL types of `items` of
/// `file`, and of the inline modules among them, to `found`, leaving out
/// (and listing) what `cfg` does not compile.
fn collect(items: &[syn::Item], cfg: &Cfg, aliases: &Aliases, file: &Path, found: &mut Discovered) {
    for item in items {
        if let Some(name) = sql_type_of(item, cfg, aliases) {
            found.sql_types.insert(name);
        }
        if let syn::Item::Impl(i) = item {
            let compiled = cfg.failing(&cfg.expand_cfg_attr(&i.attrs)).is_none();
            if let Some(def) = hand_written_sql_type(i).filter(|_| compiled) {
                found.newtypes.push(FoundNewtype {
                    file: file.to_path_buf(),
                    def,
                });
            }
            continue;
        }
        let (attrs, ident, kind) = match item {
            syn::Item::Struct(s) => (&s.attrs, &s.ident, "struct"),
            syn::Item::Enum(e) => (&e.attrs, &e.ident, "enum"),
            syn::Item::Mod(m) => (&m.attrs, &m.ident, "mod"),
            _ => continue,
        };
        let attrs = cfg.expand_cfg_attr(attrs);
        let is_model = aliases.derives_model(&attrs);
        if let Some(failing) = cfg.failing(&attrs) {
            if is_model || matches!(item, syn::Item::Mod(m) if m.content.is_some()) {
                found.skipped.push(Skipped {
                    file: file.to_path_buf(),
                    line: ident.span().start().line,
                    what: format!("{kind} {ident}"),
                    cfg: failing,
                });
            }
            continue;
        }
        match item {
            syn::Item::Struct(s) if is_model => {
                collect_model(&compiled_struct(s, attrs, cfg), file, found);
            }
            syn::Item::Struct(s) if aliases.derives(&attrs, "SqlType") => {
                collect_newtype(s, attrs, file, found);
            }
            syn::Item::Enum(e) if aliases.derives(&attrs, "Enum") => {
                collect_enum(e, attrs, cfg, file, found);
            }
            syn::Item::Enum(e) if is_model => {
                let mut e = e.clone();
                e.attrs = attrs;
                collect_model(&e.into(), file, found);
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, cfg, aliases, file, found);
                }
            }
            _ => {}
        }
    }
}

/// The struct `s` as `cfg` compiles it: its expanded attributes `attrs`,
/// and only the fields whose `#[cfg(...)]` holds.
fn compiled_struct(s: &syn::ItemStruct, attrs: Vec<syn::Attribute>, cfg: &Cfg) -> syn::DeriveInput {
    let mut s = s.clone();
    s.attrs = attrs;
    if let syn::Fields::Named(named) = &mut s.fields {
        named.named = compiled(std::mem::take(&mut named.named), cfg, |f| &mut f.attrs);
    }
    s.into()
}

/// The fields or variants of `items` whose `#[cfg(...)]` holds, each with
/// its `#[cfg_attr(...)]` expanded.
fn compiled<T, P: Default>(
    items: Punctuated<T, P>,
    cfg: &Cfg,
    attrs: impl Fn(&mut T) -> &mut Vec<syn::Attribute>,
) -> Punctuated<T, P> {
    items
        .into_iter()
        .filter_map(|mut item| {
            let expanded = cfg.expand_cfg_attr(attrs(&mut item));
            *attrs(&mut item) = expanded;
            cfg.enabled(attrs(&mut item)).then_some(item)
        })
        .collect()
}

/// Adds the model `input` of `file` to `found`, or the problems of its
/// attributes.
fn collect_model(input: &syn::DeriveInput, file: &Path, found: &mut Discovered) {
    match ModelDef::parse(input) {
        Ok(model) => found.models.push(FoundModel {
            file: file.to_path_buf(),
            model,
        }),
        Err(findings) => found
            .attribute_findings
            .extend(findings.into_iter().map(|f| place(f, file, None))),
    }
}

/// Adds the `#[derive(Enum)]` enum `e` of `file` (with its expanded
/// attributes `attrs`, and only the variants whose `#[cfg(...)]` holds) to
/// `found`, or the problems of its attributes.
fn collect_enum(
    e: &syn::ItemEnum,
    attrs: Vec<syn::Attribute>,
    cfg: &Cfg,
    file: &Path,
    found: &mut Discovered,
) {
    let mut e = e.clone();
    e.attrs = attrs;
    e.variants = compiled(std::mem::take(&mut e.variants), cfg, |v| &mut v.attrs);
    match EnumDef::parse(&e.into()) {
        Ok(def) => found.enums.push(FoundEnum {
            file: file.to_path_buf(),
            def,
        }),
        Err(findings) => found
            .attribute_findings
            .extend(findings.into_iter().map(|f| place(f, file, None))),
    }
}

fn collect_newtype(
    s: &syn::ItemStruct,
    attrs: Vec<syn::Attribute>,
    file: &Path,
    found: &mut Discovered,
) {
    let mut s = s.clone();
    s.attrs = attrs;
    if let Ok(def) = NewtypeDef::parse(&s.into()) {
        found.newtypes.push(FoundNewtype {
            file: file.to_path_buf(),
            def,
        });
    }
}

/// A hand-written `impl SqlType for Name { const SQL_TYPE: &str = "…"; }`
/// as the newtype the derive would have read: its SQL type as written.
/// `None` for another impl, or one whose `SQL_TYPE` is not a string literal.
fn hand_written_sql_type(i: &syn::ItemImpl) -> Option<NewtypeDef> {
    let ident = sql_type_impl_for(i)?.clone();
    let written = i.items.iter().find_map(|item| match item {
        syn::ImplItem::Const(c) if c.ident == "SQL_TYPE" => match &c.expr {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })?;
    Some(NewtypeDef {
        ident,
        generics: i.generics.clone(),
        sql_type: NewtypeSqlType::Named(crate::types::canonical_sql_name(&written)),
        written_sql_type: Some(written),
    })
}

/// The type that `item` gives `pgdrift::SqlType`: a struct or enum deriving
/// `SqlType` or `Enum`, or `impl SqlType for Name`, when compiled.
fn sql_type_of(item: &syn::Item, cfg: &Cfg, aliases: &Aliases) -> Option<String> {
    let derived = |attrs: &[syn::Attribute], ident: &syn::Ident| {
        let attrs = cfg.expand_cfg_attr(attrs);
        (cfg.failing(&attrs).is_none()
            && (aliases.derives(&attrs, "SqlType") || aliases.derives(&attrs, "Enum")))
        .then(|| ident.to_string())
    };
    match item {
        syn::Item::Struct(s) => derived(&s.attrs, &s.ident),
        syn::Item::Enum(e) => derived(&e.attrs, &e.ident),
        syn::Item::Impl(i) => sql_type_impl_for(i).map(syn::Ident::to_string),
        _ => None,
    }
}

/// The type `impl SqlType for Name` is for: `Name`; `None` for another impl.
fn sql_type_impl_for(i: &syn::ItemImpl) -> Option<&syn::Ident> {
    let (path, _) = i.trait_.as_ref()?;
    if path.segments.last()?.ident != "SqlType" {
        return None;
    }
    match &*i.self_ty {
        syn::Type::Path(p) => Some(&p.path.segments.last()?.ident),
        _ => None,
    }
}

/// The names under which a file can write pgdrift's derives.
struct Aliases {
    /// `use pgdrift::Model;` and `use pgdrift::Model as Other;`: (derive, name).
    ours: HashSet<(String, String)>,
    /// `Model`, `Enum` or `SqlType` imported from another crate.
    foreign: HashSet<String>,
}

impl Aliases {
    fn of(items: &[syn::Item]) -> Aliases {
        let mut aliases = Aliases {
            ours: HashSet::new(),
            foreign: HashSet::new(),
        };
        for item in items {
            if let syn::Item::Use(u) = item {
                aliases.walk(&u.tree, &mut Vec::new());
            }
        }
        aliases
    }

    fn walk(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        let mut record = |path: &[String], name: &syn::Ident, alias: String| {
            if name == "Model" || name == "Enum" || name == "SqlType" {
                if path.first().is_some_and(|p| p == "pgdrift") {
                    self.ours.insert((name.to_string(), alias));
                } else {
                    self.foreign.insert(alias);
                }
            }
        };
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.walk(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => record(prefix, &n.ident, n.ident.to_string()),
            syn::UseTree::Rename(r) => record(prefix, &r.ident, r.rename.to_string()),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.walk(tree, prefix);
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }

    /// Whether `#[derive(...)]` names pgdrift's `Model`: `pgdrift::Model`,
    /// an alias imported from pgdrift, or a bare `Model` no other crate's
    /// import claims.
    fn derives_model(&self, attrs: &[syn::Attribute]) -> bool {
        self.derives(attrs, "Model")
    }

    /// Whether `#[derive(...)]` names pgdrift's `derive` (`Model`, `Enum`,
    /// `SqlType`): `pgdrift::Model`, an alias imported from pgdrift, or a
    /// bare `Model` no other crate's import claims.
    fn derives(&self, attrs: &[syn::Attribute], derive: &str) -> bool {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("derive"))
            .any(|attr| {
                let paths = attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                );
                paths.into_iter().flatten().any(|path| {
                    let segments: Vec<String> =
                        path.segments.iter().map(|s| s.ident.to_string()).collect();
                    match segments.as_slice() {
                        [name] => {
                            self.ours.contains(&(derive.to_owned(), name.clone()))
                                || (name == derive && !self.foreign.contains(name))
                        }
                        [krate, name] => krate == "pgdrift" && name == derive,
                        _ => false,
                    }
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<String> {
        let file = syn::parse_file(src).unwrap();
        let aliases = Aliases::of(&file.items);
        let mut found = Discovered::default();
        collect(
            &file.items,
            &Cfg::default(),
            &aliases,
            Path::new("src/models.rs"),
            &mut found,
        );
        found.models.iter().map(|m| m.model.name()).collect()
    }

    #[test]
    fn finds_models_under_every_name_pgdrift_allows() {
        let src = r#"
            use pgdrift::Model;
            use pgdrift::{Model as PgModel};
            #[derive(Debug, Model)] struct A { id: i64 }
            #[derive(pgdrift::Model)] struct B { id: i64 }
            #[derive(PgModel)] struct C { id: i64 }
            #[derive(Debug)] struct NotAModel { id: i64 }
            mod inner { #[derive(::pgdrift::Model)] struct D { id: i64 } }
        "#;
        assert_eq!(names(src), ["A", "B", "C", "D"]);
    }

    #[test]
    fn another_crates_model_is_not_ours() {
        let src = r#"
            use sea_orm::Model;
            #[derive(Model)] struct Foreign { id: i64 }
            #[derive(pgdrift::Model)] struct Ours { id: i64 }
        "#;
        assert_eq!(names(src), ["Ours"]);
    }

    fn found(src: &str) -> Discovered {
        let file = syn::parse_file(src).unwrap();
        let mut found = Discovered::default();
        collect(
            &file.items,
            &Cfg::default(),
            &Aliases::of(&file.items),
            Path::new("m.rs"),
            &mut found,
        );
        found
    }

    fn sorted(names: &HashSet<String>) -> Vec<&str> {
        let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn finds_enums_deriving_pgdrifts_enum() {
        let found = found(
            r#"
            use pgdrift::Enum as PgEnum;
            use enum_map::Enum;
            #[derive(PgEnum)] enum A { X }
            #[derive(pgdrift::Enum)] enum B { X }
            #[derive(Enum)] enum NotOurs { X }
            mod inner { #[derive(Debug, pgdrift::Enum)] enum C { X } }
        "#,
        );
        let enums: Vec<String> = found
            .enums
            .iter()
            .map(|e| e.def.ident.to_string())
            .collect();
        assert_eq!(enums, ["A", "B", "C"]);
        assert!(found.models.is_empty());
        assert_eq!(sorted(&found.sql_types), ["A", "B", "C"]);
    }

    #[test]
    fn an_enums_variants_are_those_the_build_compiles() {
        let found = found(
            r#"
            #[derive(pgdrift::Enum)]
            enum Kind {
                Site,
                #[cfg(not(feature = "full"))] Lite,
                #[cfg(any())] Never,
                #[cfg_attr(any(), pgdrift(rename = "gone"))] Person,
            }
        "#,
        );
        let labels: Vec<&str> = found.enums[0]
            .def
            .variants
            .iter()
            .map(|v| v.label.as_str())
            .collect();
        assert_eq!(labels, ["site", "lite", "person"]);
        let full = Cfg {
            features: ["full".to_owned()].into(),
        };
        let file = syn::parse_file(
            "#[derive(pgdrift::Enum)] enum Kind { Site, #[cfg(not(feature = \"full\"))] Lite }",
        )
        .unwrap();
        let mut with_full = Discovered::default();
        collect(
            &file.items,
            &full,
            &Aliases::of(&file.items),
            Path::new("m.rs"),
            &mut with_full,
        );
        assert_eq!(with_full.enums[0].def.variants.len(), 1);
    }

    #[test]
    fn finds_types_with_an_sql_type() {
        let found = found(
            r#"
            use pgdrift::SqlType;
            #[derive(SqlType)] struct Email(String);
            #[derive(pgdrift::SqlType)] struct Id(i64);
            struct Address;
            impl pgdrift::SqlType for Address { const SQL_TYPE: &'static str = "address"; }
            struct Plain(i32);
            impl Clone for Plain { fn clone(&self) -> Self { Plain(self.0) } }
        "#,
        );
        assert_eq!(sorted(&found.sql_types), ["Address", "Email", "Id"]);
    }

    #[test]
    fn positions_are_one_based() {
        let src = "use pgdrift::Model;\n\n#[derive(Model)]\n#[pgdrift(tabel = \"x\")]\nstruct A { id: i64 }\n";
        let found = found(src);
        assert_eq!(found.attribute_findings.len(), 1);
        let place = found.attribute_findings[0].place.as_ref().unwrap();
        assert_eq!((place.line, place.col), (Some(4), Some(11)));
    }
}
