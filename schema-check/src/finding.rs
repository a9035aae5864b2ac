//! Findings: what a check found, where, and what would fix it.
//!
//! Every check pgdrift makes — database against models, models against the
//! docs, the docs against the database, the snapshot against the database —
//! is a [`Check`] with its code and description, and produces [`Finding`]s.
//! The derive, the CLI's text and JSON output and the reports all render
//! this one type.

#![deny(missing_docs)]

use std::fmt::Write;
use std::ops::Range;

use proc_macro2::Span;

use crate::fix::{Fix, TextEdit};

/// Which comparison a check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Comparison {
    /// The database against the models.
    DbModels,
    /// The models against the docs.
    ModelsDoc,
    /// The database against the docs.
    DbDoc,
    /// The database against the committed snapshot.
    DbSnapshot,
}

impl Comparison {
    /// Every comparison, in the order reports list them.
    pub const ALL: [Comparison; 4] = [
        Comparison::DbModels,
        Comparison::ModelsDoc,
        Comparison::DbDoc,
        Comparison::DbSnapshot,
    ];

    /// A stable, machine-readable name (the reports' `kind`).
    pub fn code(self) -> &'static str {
        self.names().0
    }

    /// A title for people, e.g. `Database ↔ models`.
    pub fn title(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Comparison::DbModels => ("db-models", "Database ↔ models"),
            Comparison::ModelsDoc => ("models-doc", "Models ↔ docs"),
            Comparison::DbDoc => ("db-doc", "Database ↔ docs"),
            Comparison::DbSnapshot => ("db-snapshot", "Database ↔ snapshot"),
        }
    }
}

/// Which check produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// A malformed or unknown `#[pgdrift(...)]` attribute, or an unsupported item.
    Attribute,
    /// The schema could not be loaded.
    SchemaSource,
    /// The model's table or view does not exist.
    MissingTable,
    /// A field's column does not exist.
    MissingColumn,
    /// A field's `renamed_from` names a rename the database has made.
    RenameDone,
    /// The fields the model declares as the primary key are not the
    /// table's primary key.
    PrimaryKey,
    /// Two fields map the same column.
    DuplicateColumn,
    /// A field's Rust type does not fit its column's type.
    TypeMismatch,
    /// A declared `sql_type` does not match the column.
    SqlTypeMismatch,
    /// A nullable column's field is not an `Option`.
    NullableWithoutOption,
    /// A NOT NULL column's field is an `Option`.
    OptionOnNotNull,
    /// A strict model's field type cannot be checked.
    UncheckedType,
    /// Columns that no field of a non-partial model maps.
    UncoveredColumns,
    /// An insert struct leaves out (or may send `DEFAULT` for) a column that
    /// an INSERT must fill.
    RequiredColumn,
    /// An insert or update struct writes a column or view that PostgreSQL
    /// does not let it write.
    NotWritable,
    /// A `#[derive(Enum)]` names a PostgreSQL enum type that does not exist.
    MissingEnumType,
    /// A `#[derive(Enum)]`'s labels differ from its PostgreSQL enum's.
    EnumLabels,
    /// A docs section differs from what the schema generates.
    DocsStaleSection,
    /// The docs lack a section for a table or type of the schema.
    DocsMissingSection,
    /// The docs have a section for something the schema lacks.
    DocsExtraSection,
    /// The docs file does not exist.
    DocsMissingFile,
    /// The docs lack the table a model maps.
    DocsMissingTable,
    /// The docs lack a column a model maps, or do not name its field.
    DocsMissingColumn,
    /// The docs name a model field that no model maps.
    DocsUnknownField,
    /// The snapshot file does not exist.
    SnapshotMissing,
    /// The snapshot differs from the database.
    SnapshotStale,
}

impl Check {
    /// Every check.
    pub const ALL: [Check; 26] = [
        Check::Attribute,
        Check::SchemaSource,
        Check::MissingTable,
        Check::MissingColumn,
        Check::RenameDone,
        Check::PrimaryKey,
        Check::DuplicateColumn,
        Check::TypeMismatch,
        Check::SqlTypeMismatch,
        Check::NullableWithoutOption,
        Check::OptionOnNotNull,
        Check::UncheckedType,
        Check::UncoveredColumns,
        Check::RequiredColumn,
        Check::NotWritable,
        Check::MissingEnumType,
        Check::EnumLabels,
        Check::DocsStaleSection,
        Check::DocsMissingSection,
        Check::DocsExtraSection,
        Check::DocsMissingFile,
        Check::DocsMissingTable,
        Check::DocsMissingColumn,
        Check::DocsUnknownField,
        Check::SnapshotMissing,
        Check::SnapshotStale,
    ];

    /// A stable, machine-readable name (reports, SARIF rule ids).
    pub fn code(self) -> &'static str {
        self.definition().0
    }

    /// The comparison the check belongs to.
    pub fn comparison(self) -> Comparison {
        self.definition().1
    }

    /// What the check finds, in one line (SARIF rule descriptions).
    pub fn description(self) -> &'static str {
        self.definition().2
    }

    /// The check's code, comparison and description, side by side.
    fn definition(self) -> (&'static str, Comparison, &'static str) {
        use Comparison::*;
        match self {
            Check::Attribute => (
                "attribute",
                DbModels,
                "A #[pgdrift(...)] attribute is malformed or unknown",
            ),
            Check::SchemaSource => (
                "schema-source",
                DbModels,
                "The schema to check against could not be loaded",
            ),
            Check::MissingTable => (
                "missing-table",
                DbModels,
                "The model's table or view does not exist",
            ),
            Check::MissingColumn => (
                "missing-column",
                DbModels,
                "A field's column does not exist",
            ),
            Check::RenameDone => (
                "rename-done",
                DbModels,
                "A field's renamed_from names a rename the database has made",
            ),
            Check::PrimaryKey => (
                "primary-key",
                DbModels,
                "The fields declared as the primary key are not the table's primary key",
            ),
            Check::DuplicateColumn => (
                "duplicate-column",
                DbModels,
                "Two fields map the same column",
            ),
            Check::TypeMismatch => (
                "type-mismatch",
                DbModels,
                "A field's Rust type does not fit its column's type",
            ),
            Check::SqlTypeMismatch => (
                "sql-type-mismatch",
                DbModels,
                "A declared sql_type does not match the column",
            ),
            Check::NullableWithoutOption => (
                "nullable-without-option",
                DbModels,
                "A nullable column's field is not an Option",
            ),
            Check::OptionOnNotNull => (
                "option-on-not-null",
                DbModels,
                "A NOT NULL column's field is an Option",
            ),
            Check::UncheckedType => (
                "unchecked-type",
                DbModels,
                "A strict model's field type cannot be checked",
            ),
            Check::UncoveredColumns => (
                "uncovered-columns",
                DbModels,
                "Columns that no field of a non-partial model maps",
            ),
            Check::RequiredColumn => (
                "required-column",
                DbModels,
                "An insert model leaves out a column that an INSERT must fill",
            ),
            Check::NotWritable => (
                "not-writable",
                DbModels,
                "An insert or update model writes what PostgreSQL does not let it write",
            ),
            Check::MissingEnumType => (
                "missing-enum-type",
                DbModels,
                "A Rust enum's PostgreSQL enum type does not exist",
            ),
            Check::EnumLabels => (
                "enum-labels",
                DbModels,
                "A Rust enum's labels differ from its PostgreSQL enum's",
            ),
            Check::DocsStaleSection => (
                "docs-stale-section",
                DbDoc,
                "A docs section differs from the schema",
            ),
            Check::DocsMissingSection => (
                "docs-missing-section",
                DbDoc,
                "The docs lack a section for a table or type",
            ),
            Check::DocsExtraSection => (
                "docs-extra-section",
                DbDoc,
                "The docs have a section for something the schema lacks",
            ),
            Check::DocsMissingFile => ("docs-missing-file", DbDoc, "The docs file does not exist"),
            Check::DocsMissingTable => (
                "docs-missing-table",
                ModelsDoc,
                "The docs lack a model's table",
            ),
            Check::DocsMissingColumn => (
                "docs-missing-column",
                ModelsDoc,
                "The docs lack a model's column",
            ),
            Check::DocsUnknownField => (
                "docs-unknown-field",
                ModelsDoc,
                "The docs name a model field no model maps",
            ),
            Check::SnapshotMissing => (
                "snapshot-missing",
                DbSnapshot,
                "The schema snapshot file does not exist",
            ),
            Check::SnapshotStale => (
                "snapshot-stale",
                DbSnapshot,
                "The schema snapshot differs from the database",
            ),
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Something pgdrift could not check, said so that it is never silent;
    /// not a problem, and never an error, also under `strict`.
    Note,
    /// A problem that does not count as drift (the CLI fails on it only
    /// with `--deny warnings`).
    Warning,
    /// Drift: the build or the CLI fails.
    Error,
}

impl Level {
    /// `error`, `warning` or `note`, as compilers and reports write it.
    pub fn word(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// One problem found by a [`Check`]: what it is about, where, and what
/// would fix it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The check that found it.
    pub check: Check,
    /// Whether it is an error or a warning.
    pub level: Level,
    /// The model's token it is about, where the derive points; `None` for a
    /// finding about a docs or snapshot file.
    pub span: Option<Span>,
    /// Where the span ends, when it covers several tokens (a whole type).
    pub end: Option<Span>,
    /// Where it is in a file, once known: a model's source file (placed by
    /// the CLI, which reads the files) or the docs or snapshot file.
    pub place: Option<Place>,
    /// The model struct it is about; `None` when not about a model.
    pub model: Option<String>,
    /// The model field it is about; `None` when not about one field.
    pub field: Option<String>,
    /// The schema of the table it is about; `None` when not about a table.
    pub schema: Option<String>,
    /// The table it is about; `None` when not about a table.
    pub table: Option<String>,
    /// The column it is about; `None` when not about one column.
    pub column: Option<String>,
    /// What is wrong, in one sentence (a snapshot's changes follow on
    /// their own lines).
    pub message: String,
    /// How to fix it, when there is advice to give.
    pub help: Option<String>,
    /// The one sure edit of the model's source that resolves the finding.
    pub fix: Option<Fix>,
}

/// Where a finding is in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file, as shown to the user (relative to the project root).
    pub file: String,
    /// The 1-based line; `None` when no line is known.
    pub line: Option<usize>,
    /// The 1-based column in `line`, in characters; `None` when not known.
    pub col: Option<usize>,
    /// The bytes of `file` the finding is about, for showing the source;
    /// `None` when the file's text was not at hand.
    pub bytes: Option<Range<usize>>,
    /// The finding's fix as edits of `file`'s bytes, in file order; empty
    /// without a fix or without the file's text.
    pub edits: Vec<TextEdit>,
}

impl Place {
    /// A place in `file`, at `line` when known.
    pub fn new(file: impl Into<String>, line: Option<usize>) -> Place {
        Place {
            file: file.into(),
            line,
            col: None,
            bytes: None,
            edits: Vec::new(),
        }
    }
}

impl Finding {
    /// A finding about `model`, at `span` of its source.
    pub fn new(check: Check, level: Level, span: Span, model: &str, message: String) -> Finding {
        Finding {
            span: Some(span),
            model: Some(model.to_owned()),
            ..Finding::about(check, level, message)
        }
    }

    /// A finding about no model and no source token (a docs or snapshot
    /// file, say): the caller fills in what it is about.
    pub fn about(check: Check, level: Level, message: String) -> Finding {
        Finding {
            check,
            level,
            span: None,
            end: None,
            place: None,
            model: None,
            field: None,
            schema: None,
            table: None,
            column: None,
            message,
            help: None,
            fix: None,
        }
    }

    /// The message with its help line, as a compiler diagnostic shows it.
    /// The message and its help, control characters from the database
    /// escaped (a compiler prints this text to a terminal as it is).
    pub fn text(&self) -> String {
        let text = match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.clone(),
        };
        crate::escape::terminal(&text).into_owned()
    }

    /// `file:line:col: level: message`, as rustc prints diagnostics, then
    /// an indented help line; control characters escaped.
    pub fn to_diagnostic(&self) -> String {
        let mut out = String::new();
        if let Some(place) = &self.place {
            let _ = match (place.line, place.col) {
                (Some(line), Some(col)) => write!(out, "{}:{line}:{col}: ", place.file),
                (Some(line), None) => write!(out, "{}:{line}: ", place.file),
                (None, _) => write!(out, "{}: ", place.file),
            };
        }
        let _ = write!(out, "{}: {}", self.level.word(), self.message);
        if let Some(help) = &self.help {
            let _ = write!(out, "\n    help: {help}");
        }
        crate::escape::terminal(&out).into_owned()
    }

    /// File, line and column, for ordering findings by where they are.
    pub fn position(&self) -> Option<(&str, Option<usize>, Option<usize>)> {
        let place = self.place.as_ref()?;
        Some((place.file.as_str(), place.line, place.col))
    }

    /// `schema.table`, when the finding is about one.
    pub fn table_key(&self) -> Option<String> {
        Some(format!(
            "{}.{}",
            self.schema.as_ref()?,
            self.table.as_ref()?
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_has_its_own_code_and_a_description() {
        let codes: std::collections::BTreeSet<&str> = Check::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), Check::ALL.len());
        for check in Check::ALL {
            assert!(!check.description().is_empty(), "{check:?}");
            assert!(Comparison::ALL.contains(&check.comparison()));
        }
    }

    #[test]
    fn a_diagnostic_names_its_place_as_rustc_does() {
        let mut finding = Finding::about(Check::DocsStaleSection, Level::Error, "stale".into());
        assert_eq!(finding.to_diagnostic(), "error: stale");
        finding.place = Some(Place::new("docs.md", Some(3)));
        finding.help = Some("run it".into());
        assert_eq!(
            finding.to_diagnostic(),
            "docs.md:3: error: stale\n    help: run it"
        );
    }
}
