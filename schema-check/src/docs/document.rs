//! The docs document: its sections for a whole catalog, the markers that
//! hold them in the user's file, fragment files, and how stale a file is.
//! (The derive needs only one section at a time, from the parent module.)

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::*;
use crate::catalog::{Catalog, CompositeType, Domain, EnumType, Schema};
use crate::error::{Error, Result};

/// The models of each table, by `(schema, table)`, sorted by struct name.
pub fn models_by_table<'a>(
    models: impl IntoIterator<Item = &'a ModelDef>,
) -> HashMap<(String, String), Vec<DocModel>> {
    let mut by_table: HashMap<(String, String), Vec<DocModel>> = HashMap::new();
    for model in models {
        by_table
            .entry((model.schema.clone(), model.table.clone()))
            .or_default()
            .push(DocModel::from(model));
    }
    for models in by_table.values_mut() {
        models.sort_by(|a, b| a.name.cmp(&b.name));
    }
    by_table
}

/// One marker-delimited section: its key (`schema.name`) and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: String,
    pub body: String,
}

/// Every section the docs hold for `catalog`, in catalog order: each
/// schema's relations, then its enums, domains and composite types. What an
/// extension owns is not the user's schema and has no section, except a
/// relation a model maps.
pub fn sections(
    catalog: &Catalog,
    models: &HashMap<(String, String), Vec<DocModel>>,
) -> Vec<Section> {
    let mut out = Vec::new();
    // Every field is named, so that a kind of object added to the catalog
    // does not compile until the docs say whether it has sections.
    let Catalog { schemas } = catalog;
    for schema in schemas {
        let Schema {
            name,
            // The docs are about relations and types; `COMMENT ON SCHEMA`
            // is not part of them.
            comment: _,
            relations,
            enums,
            domains,
            composites,
            extension,
        } = schema;
        let key = |object: &str| escape::marker_key(name, object);
        let owned = |own: &Option<String>| extension.is_some() || own.is_some();
        for relation in relations {
            let of_table = models
                .get(&(name.clone(), relation.name.clone()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            if of_table.is_empty() && owned(&relation.extension) {
                continue;
            }
            out.push(Section {
                key: key(&relation.name),
                body: relation_section(name, relation, of_table),
            });
        }
        for e in enums.iter().filter(|e| !owned(&e.extension)) {
            out.push(Section {
                key: key(&e.name),
                body: enum_section(name, e),
            });
        }
        for d in domains.iter().filter(|d| !owned(&d.extension)) {
            out.push(Section {
                key: key(&d.name),
                body: domain_section(name, d),
            });
        }
        for c in composites.iter().filter(|c| !owned(&c.extension)) {
            out.push(Section {
                key: key(&c.name),
                body: composite_section(name, c),
            });
        }
    }
    out
}

/// Orders sections as [`sections`] makes them: by schema; relations, then
/// enums, domains, composite types; by name.
pub fn sort_like_catalog(sections: &mut [Section]) {
    let order = |s: &Section| {
        let (schema, name) = split_key(&s.key);
        let kind = if s.body.starts_with("### Enum ") {
            1
        } else if s.body.starts_with("### Domain ") {
            2
        } else if s.body.starts_with("### Composite type ") {
            3
        } else {
            0
        };
        (schema, kind, name)
    };
    sections.sort_by_key(order);
}

/// The schema and name a section key stands for (see
/// [`escape::marker_key`]); a key pgdrift did not write is taken as it is.
pub fn split_key(key: &str) -> (String, String) {
    key.split_once('.')
        .and_then(|(schema, name)| {
            Some((
                escape::parse_marker_component(schema)?,
                escape::parse_marker_component(name)?,
            ))
        })
        .unwrap_or_else(|| (String::new(), key.to_owned()))
}

fn enum_section(schema: &str, e: &EnumType) -> String {
    let mut out = format!("### Enum {}\n\n", code(&format!("{schema}.{}", e.name)));
    if let Some(comment) = &e.comment {
        let _ = writeln!(out, "{}\n", prose(comment));
    }
    let labels: Vec<String> = e.labels.iter().map(|l| code(l)).collect();
    let _ = writeln!(out, "Labels, in order: {}", labels.join(", "));
    out
}

fn domain_section(schema: &str, d: &Domain) -> String {
    let mut out = format!("### Domain {}\n\n", code(&format!("{schema}.{}", d.name)));
    if let Some(comment) = &d.comment {
        let _ = writeln!(out, "{}\n", prose(comment));
    }
    let _ = write!(
        out,
        "Base type {}, {}",
        code(&d.data_type),
        if d.not_null { "not null" } else { "nullable" }
    );
    if let Some(default) = &d.default {
        let _ = write!(out, ", default {}", code(default));
    }
    out.push('\n');
    let checks: Vec<String> = d
        .checks
        .iter()
        .map(|c| format!("- {}: {}", code(&c.name), code(&c.definition)))
        .collect();
    list(&mut out, "Checks", &checks);
    out
}

fn composite_section(schema: &str, c: &CompositeType) -> String {
    let mut out = format!(
        "### Composite type {}\n\n",
        code(&format!("{schema}.{}", c.name))
    );
    if let Some(comment) = &c.comment {
        let _ = writeln!(out, "{}\n", prose(comment));
    }
    out.push_str("| Attribute | Type | Description |\n| --- | --- | --- |\n");
    for attribute in &c.attributes {
        let description = attribute.comment.as_deref().map(cell).unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {description} |",
            code(&attribute.name),
            code(&attribute.data_type)
        );
    }
    out
}

/// The start of a new docs file.
pub const HEADER: &str = "# Database schema

Generated from the database by `schema-check generate-docs`. Write freely
outside the `pgdrift:begin` / `pgdrift:end` markers: that text is kept.
Everything between them is rewritten from the schema on every run.
";

/// A docs file split into the user's text and pgdrift's sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Section {
        key: String,
        body: String,
        line: usize,
    },
}

const BEGIN: &str = "<!-- pgdrift:begin ";
const END: &str = "<!-- pgdrift:end ";

/// An open fenced code block of the user's text: its character and length.
#[derive(Clone, Copy)]
struct Fence {
    marker: char,
    len: usize,
}

impl Fence {
    /// The fence a line opens: three or more backticks or tildes, indented
    /// at most three spaces (a backtick fence's info string holds no backtick).
    fn opened_by(line: &str) -> Option<Fence> {
        let (marker, len, rest) = Fence::parts(line)?;
        (marker == '~' || !rest.contains('`')).then_some(Fence { marker, len })
    }

    /// Whether `line` closes this fence: the same character, at least as
    /// many, nothing after but spaces.
    fn closed_by(self, line: &str) -> bool {
        Fence::parts(line).is_some_and(|(marker, len, rest)| {
            marker == self.marker && len >= self.len && rest.trim().is_empty()
        })
    }

    fn parts(line: &str) -> Option<(char, usize, &str)> {
        let line = line.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            return None;
        }
        let rest = &line[indent..];
        let marker = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let len = rest.len() - rest.trim_start_matches(marker).len();
        (len >= 3).then(|| (marker, len, &rest[len..]))
    }
}

/// Splits a docs file at its markers; unbalanced, nested, duplicated or
/// garbled markers are an error naming the line. A marker is a line of its
/// own; inside a fenced code block of the user's text it is the user's text.
pub fn parse_document(text: &str, path: &Path) -> Result<Vec<Segment>> {
    let fail = |(line, what): Failure| {
        Error::Config(format!(
            "{} line {line}: {what}; fix the markers by hand (pgdrift never overwrites a file it cannot read)",
            escape::one_line(&path.display().to_string())
        ))
    };
    // A byte-order mark stays where it is, before everything else.
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let mut parsing = Parsing {
        text_run: String::from(bom),
        ..Parsing::default()
    };
    for (i, line) in text.split_inclusive('\n').enumerate() {
        parsing.line(i + 1, line).map_err(fail)?;
    }
    parsing.finish().map_err(fail)
}

/// Why a docs file cannot be split: the line, and what is wrong there.
type Failure = (usize, String);

/// A marker line of a docs file.
enum Marker {
    Begin(String),
    End(String),
    /// A line that starts like a marker but is none.
    Malformed,
}

impl Marker {
    /// The marker `trimmed` (a line without its surrounding spaces) is, if
    /// it is one: a key is one word.
    fn of(trimmed: &str) -> Option<Marker> {
        let key = |prefix: &str| {
            trimmed
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix("-->"))
                .map(|key| key.trim().to_owned())
                .filter(|key| !key.is_empty() && !key.contains(char::is_whitespace))
        };
        if let Some(key) = key(BEGIN) {
            Some(Marker::Begin(key))
        } else if let Some(key) = key(END) {
            Some(Marker::End(key))
        } else {
            trimmed
                .starts_with("<!-- pgdrift:")
                .then_some(Marker::Malformed)
        }
    }
}

/// A key as an error message shows it, on one line.
fn shown(key: &str) -> String {
    escape::one_line(key).into_owned()
}

/// What [`parse_document`] has read so far.
#[derive(Default)]
struct Parsing {
    segments: Vec<Segment>,
    /// The user's text since the last section.
    text_run: String,
    /// The open section: its key, the line of its begin marker, its body.
    open: Option<(String, usize, String)>,
    /// The fenced code block of the user's text the lines are in.
    fence: Option<Fence>,
    /// The line of each section's begin marker, by key.
    seen: HashMap<String, usize>,
}

impl Parsing {
    /// Reads line `number`.
    fn line(&mut self, number: usize, line: &str) -> std::result::Result<(), Failure> {
        if self.fenced(line) {
            return Ok(());
        }
        let trimmed = line.trim();
        match Marker::of(trimmed) {
            Some(Marker::Begin(key)) => self.begin(key, number),
            Some(Marker::End(key)) => self.end(key, number),
            Some(Marker::Malformed) => Err((number, format!("malformed marker {:?}: write `<!-- pgdrift:begin schema.name -->` or `<!-- pgdrift:end schema.name -->`", shown(trimmed)))),
            None => {
                match &mut self.open {
                    Some((_, _, body)) => body.push_str(line),
                    None => self.text_run.push_str(line),
                }
                Ok(())
            }
        }
    }

    /// Takes `line` as the user's text when, outside every section, it is
    /// in, opens or closes a fenced code block.
    fn fenced(&mut self, line: &str) -> bool {
        if self.open.is_some() {
            return false;
        }
        if let Some(f) = self.fence {
            if f.closed_by(line) {
                self.fence = None;
            }
        } else if let Some(f) = Fence::opened_by(line) {
            self.fence = Some(f);
        } else {
            return false;
        }
        self.text_run.push_str(line);
        true
    }

    /// Opens section `key` at line `number`.
    fn begin(&mut self, key: String, number: usize) -> std::result::Result<(), Failure> {
        if let Some((open_key, open_line, _)) = &self.open {
            return Err((number, format!("`pgdrift:begin {}` inside section `{}` opened at line {open_line}, which has no `pgdrift:end`", shown(&key), shown(open_key))));
        }
        if let Some(first) = self.seen.insert(key.clone(), number) {
            return Err((
                number,
                format!(
                    "section `{}` appears twice (first at line {first})",
                    shown(&key)
                ),
            ));
        }
        self.segments
            .push(Segment::Text(std::mem::take(&mut self.text_run)));
        self.open = Some((key, number, String::new()));
        Ok(())
    }

    /// Closes section `key` at line `number`.
    fn end(&mut self, key: String, number: usize) -> std::result::Result<(), Failure> {
        match self.open.take() {
            Some((open_key, open_line, body)) if open_key == key => {
                self.segments.push(Segment::Section {
                    key,
                    body: body.replace("\r\n", "\n"),
                    line: open_line,
                });
                Ok(())
            }
            Some((open_key, open_line, _)) => Err((
                number,
                format!(
                    "`pgdrift:end {}` closes section `{}` opened at line {open_line}",
                    shown(&key),
                    shown(&open_key)
                ),
            )),
            None => Err((
                number,
                format!(
                    "`pgdrift:end {}` has no `pgdrift:begin {}` before it",
                    shown(&key),
                    shown(&key)
                ),
            )),
        }
    }

    /// The segments, once every line is read.
    fn finish(mut self) -> std::result::Result<Vec<Segment>, Failure> {
        if let Some((key, line, _)) = self.open {
            return Err((
                line,
                format!(
                    "section `{}` is never closed with `pgdrift:end {}`",
                    shown(&key),
                    shown(&key)
                ),
            ));
        }
        self.segments.push(Segment::Text(self.text_run));
        Ok(self.segments)
    }
}

/// The longest file name most file systems take.
const MAX_FILE_NAME: usize = 255;

/// Where the section `key` is kept as a fragment file, relative to the
/// fragments directory: `<schema>.<name>.md`, both names escaped by
/// [`escape::file_component`] (so `public.users.md` for most tables, and a
/// name never reaches outside the directory); `<schema>/<name>.md` when that
/// name would be too long for a file system. Different keys never share a
/// path.
pub fn fragment_path(key: &str) -> PathBuf {
    let (schema, name) = split_key(key);
    if schema.is_empty() {
        return PathBuf::from(format!("{}.md", escape::file_component(&name)));
    }
    let (schema, name) = (
        escape::file_component(&schema),
        escape::file_component(&name),
    );
    let flat = format!("{schema}.{name}.md");
    if flat.len() <= MAX_FILE_NAME {
        PathBuf::from(flat)
    } else {
        Path::new(&schema).join(format!("{name}.md"))
    }
}

/// The section key of a fragment file (the reverse of [`fragment_path`]).
pub fn fragment_key(relative: &Path) -> Option<String> {
    let parts: Vec<&str> = relative
        .iter()
        .map(|part| part.to_str())
        .collect::<Option<_>>()?;
    let (schema, name) = match parts.as_slice() {
        [file] => match file.strip_suffix(".md")?.split_once('.') {
            Some((schema, name)) => (Some(schema), name),
            None => (None, file.strip_suffix(".md")?),
        },
        [schema, file] => (Some(*schema), file.strip_suffix(".md")?),
        _ => return None,
    };
    let name = escape::parse_file_component(name)?;
    match schema {
        Some(schema) => Some(escape::marker_key(
            &escape::parse_file_component(schema)?,
            &name,
        )),
        None => Some(name),
    }
}

/// Whether a file's lines end in CRLF: most of its line ends do.
fn uses_crlf(text: &str) -> bool {
    let crlf = text.matches("\r\n").count();
    crlf > 0 && crlf * 2 >= text.matches('\n').count()
}

/// A section with its markers, in the file's line endings.
fn fragment(out: &mut String, section: &Section, crlf: bool) {
    let text = format!(
        "{BEGIN}{} -->\n{}{END}{} -->\n",
        section.key, section.body, section.key
    );
    if crlf {
        out.push_str(&text.replace("\r\n", "\n").replace('\n', "\r\n"));
    } else {
        out.push_str(&text);
    }
}

/// The docs file with `sections`: the existing file's text kept, its sections
/// rewritten, dropped relations' sections removed, new ones appended.
pub fn render_document(
    existing: Option<&str>,
    path: &Path,
    sections: &[Section],
) -> Result<String> {
    let segments = parse_document(existing.unwrap_or(HEADER), path)?;
    let crlf = existing.is_some_and(uses_crlf);
    let wanted: HashMap<&str, &Section> = sections.iter().map(|s| (s.key.as_str(), s)).collect();
    let mut written = HashSet::new();
    let mut out = String::new();
    let mut dropped = false;
    for segment in &segments {
        match segment {
            Segment::Text(text) => {
                let text = if dropped {
                    text.strip_prefix("\r\n")
                        .or_else(|| text.strip_prefix('\n'))
                        .unwrap_or(text)
                } else {
                    text
                };
                out.push_str(text);
                dropped = false;
            }
            Segment::Section { key, .. } => match wanted.get(key.as_str()) {
                Some(section) => {
                    fragment(&mut out, section, crlf);
                    written.insert(key.as_str());
                }
                None => dropped = true,
            },
        }
    }
    for section in sections
        .iter()
        .filter(|s| !written.contains(s.key.as_str()))
    {
        let newline = if crlf { "\r\n" } else { "\n" };
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(newline);
        fragment(&mut out, section, crlf);
    }
    Ok(out)
}

/// How the docs differ from what `render_document` would write now.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Staleness {
    /// In both, with other content.
    pub stale: Vec<String>,
    /// In the schema, not in the docs.
    pub missing: Vec<String>,
    /// In the docs, not in the schema.
    pub extra: Vec<String>,
}

impl Staleness {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Compares the docs' sections with `sections`.
pub fn staleness(existing: &str, path: &Path, sections: &[Section]) -> Result<Staleness> {
    let mut have: BTreeMap<String, String> = BTreeMap::new();
    for segment in parse_document(existing, path)? {
        if let Segment::Section { key, body, .. } = segment {
            have.insert(key, body);
        }
    }
    let mut result = Staleness::default();
    for section in sections {
        match have.remove(&section.key) {
            None => result.missing.push(section.key.clone()),
            Some(body) if body != section.body => result.stale.push(section.key.clone()),
            Some(_) => {}
        }
    }
    result.extra = have.into_keys().collect();
    Ok(result)
}

/// `<!-- pgdrift:begin schema.table -->`, names escaped as in every marker.
pub fn begin_marker(schema: &str, table: &str) -> String {
    format!("{BEGIN}{} -->", escape::marker_key(schema, table))
}

/// `<!-- pgdrift:end schema.table -->`, names escaped as in every marker.
pub fn end_marker(schema: &str, table: &str) -> String {
    format!("{END}{} -->", escape::marker_key(schema, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(key: &str, body: &str) -> Section {
        Section {
            key: key.into(),
            body: body.into(),
        }
    }

    #[test]
    fn new_file_gets_header_and_every_section() {
        let text = render_document(
            None,
            Path::new("d.md"),
            &[section("public.a", "A\n"), section("public.b", "B\n")],
        )
        .unwrap();
        assert_eq!(
            text,
            format!("{HEADER}\n<!-- pgdrift:begin public.a -->\nA\n<!-- pgdrift:end public.a -->\n\n<!-- pgdrift:begin public.b -->\nB\n<!-- pgdrift:end public.b -->\n")
        );
        let again = render_document(
            Some(&text),
            Path::new("d.md"),
            &[section("public.a", "A\n"), section("public.b", "B\n")],
        )
        .unwrap();
        assert_eq!(again, text);
    }

    #[test]
    fn user_text_is_kept_sections_rewritten_dropped_and_added() {
        let existing = "# Our schema\n\nIntro.\n\n<!-- pgdrift:begin public.a -->\nold A\n<!-- pgdrift:end public.a -->\n\nNotes on a.\n\n<!-- pgdrift:begin public.gone -->\nG\n<!-- pgdrift:end public.gone -->\n\nFooter.\n";
        let text = render_document(
            Some(existing),
            Path::new("d.md"),
            &[section("public.a", "new A\n"), section("public.c", "C\n")],
        )
        .unwrap();
        assert_eq!(
            text,
            "# Our schema\n\nIntro.\n\n<!-- pgdrift:begin public.a -->\nnew A\n<!-- pgdrift:end public.a -->\n\nNotes on a.\n\nFooter.\n\n<!-- pgdrift:begin public.c -->\nC\n<!-- pgdrift:end public.c -->\n"
        );
        let staleness = staleness(
            existing,
            Path::new("d.md"),
            &[section("public.a", "new A\n"), section("public.c", "C\n")],
        )
        .unwrap();
        assert_eq!(
            staleness,
            Staleness {
                stale: vec!["public.a".into()],
                missing: vec!["public.c".into()],
                extra: vec!["public.gone".into()]
            }
        );
    }

    #[test]
    fn fragment_paths_are_injective_and_stay_in_their_directory() {
        let keys = [
            escape::marker_key("public", "users"),
            escape::marker_key("public", "Users"),
            escape::marker_key("x.y", "z"),
            escape::marker_key("x", "y.z"),
            escape::marker_key("x", "../../../../tmp/pwn"),
            escape::marker_key("é", &"ü".repeat(31)),
            escape::marker_key(&"é".repeat(31), &"ü".repeat(31)),
        ];
        let paths: HashSet<PathBuf> = keys.iter().map(|k| fragment_path(k)).collect();
        assert_eq!(paths.len(), keys.len());
        assert_eq!(fragment_path(&keys[0]), Path::new("public.users.md"));
        for (key, path) in keys.iter().zip(keys.iter().map(|k| fragment_path(k))) {
            assert!(path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_))));
            assert!(path.iter().all(|part| part.len() <= MAX_FILE_NAME));
            assert_eq!(fragment_key(&path).as_deref(), Some(key.as_str()));
        }
    }

    #[test]
    fn markers_in_fenced_code_are_the_users_text() {
        let existing = "Example:\n\n```md\n<!-- pgdrift:begin public.a -->\nmine\n<!-- pgdrift:end public.a -->\n```\n\n~~~~\n<!-- pgdrift:begin x -->\n~~~\n~~~~\n";
        let text = render_document(
            Some(existing),
            Path::new("d.md"),
            &[section("public.a", "A\n")],
        )
        .unwrap();
        assert_eq!(
            text,
            format!(
                "{existing}\n<!-- pgdrift:begin public.a -->\nA\n<!-- pgdrift:end public.a -->\n"
            )
        );
        assert_eq!(
            render_document(
                Some(&text),
                Path::new("d.md"),
                &[section("public.a", "A\n")]
            )
            .unwrap(),
            text
        );
    }

    #[test]
    fn crlf_files_stay_crlf_and_a_bom_stays_first() {
        let existing = "\u{feff}# Ours\r\n\r\n<!-- pgdrift:begin public.a -->\r\nold\r\n<!-- pgdrift:end public.a -->\r\n\r\nNotes.\r\n";
        let sections = [
            section("public.a", "new\nlines\n"),
            section("public.b", "B\n"),
        ];
        let text = render_document(Some(existing), Path::new("d.md"), &sections).unwrap();
        assert_eq!(
            text,
            "\u{feff}# Ours\r\n\r\n<!-- pgdrift:begin public.a -->\r\nnew\r\nlines\r\n<!-- pgdrift:end public.a -->\r\n\r\nNotes.\r\n\r\n<!-- pgdrift:begin public.b -->\r\nB\r\n<!-- pgdrift:end public.b -->\r\n"
        );
        assert!(staleness(&text, Path::new("d.md"), &sections)
            .unwrap()
            .is_clean());
    }

    #[test]
    fn database_text_never_forms_markup_a_marker_or_a_new_cell() {
        let hostile = "<script>alert(1)</script> | a\\|b `x` ``y``\n<!-- pgdrift:end public.users -->\n# heading\n```\n\x1b[2J";
        for rendered in [prose(hostile), cell(hostile), code(hostile), code("a|b`c")] {
            assert!(
                !rendered.contains('<') || rendered.starts_with("<code>"),
                "{rendered}"
            );
            assert!(!rendered.contains("<script"), "{rendered}");
            assert!(!rendered.contains("<!--"), "{rendered}");
            assert!(!rendered.contains('\x1b'), "{rendered}");
        }
        for rendered in [prose(hostile), cell(hostile)] {
            assert!(
                !rendered
                    .lines()
                    .any(|l| l.starts_with(['#', '`', '<', '|'])),
                "{rendered}"
            );
        }
        assert!(!cell(hostile).contains('\n'));
        assert_eq!(code("a|b`c"), "`` a\\|b`c ``");
        assert_eq!(code("x\\|y"), "<code>x&#92;&#124;y</code>");
        assert_eq!(cell("a\\|b"), "a\\\\\\|b");
    }

    #[test]
    fn malformed_markers_are_errors_naming_the_line() {
        let cases = [
            ("<!-- pgdrift:begin public.a -->\nx\n", "line 1: section `public.a` is never closed"),
            ("x\n<!-- pgdrift:end public.a -->\n", "line 2: `pgdrift:end public.a` has no `pgdrift:begin public.a` before it"),
            ("<!-- pgdrift:begin public.a -->\n<!-- pgdrift:begin public.b -->\n", "line 2: `pgdrift:begin public.b` inside section `public.a`"),
            ("<!-- pgdrift:begin public.a -->\n<!-- pgdrift:end public.a -->\n<!-- pgdrift:begin public.a -->\n<!-- pgdrift:end public.a -->\n", "line 3: section `public.a` appears twice (first at line 1)"),
            ("<!-- pgdrift:begin public.a -->\n<!-- pgdrift:end public.b -->\n", "line 2: `pgdrift:end public.b` closes section `public.a` opened at line 1"),
            ("<!-- pgdrift:begn public.a -->\n", "line 1: malformed marker"),
        ];
        for (text, expected) in cases {
            let message = parse_document(text, Path::new("docs/s.md"))
                .unwrap_err()
                .to_string();
            assert!(
                message.starts_with(&format!("docs/s.md {expected}")),
                "{message}"
            );
        }
    }
}
