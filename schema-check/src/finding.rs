//! Findings: what a check found, where, and what would fix it.

use proc_macro2::Span;

/// Which check produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// A malformed or unknown `#[pgdrift(...)]` attribute, or an unsupported item.
    Attribute,
    /// The schema could not be loaded.
    Source,
    MissingTable,
    MissingColumn,
    DuplicateColumn,
    TypeMismatch,
    SqlTypeMismatch,
    NullableWithoutOption,
    OptionOnNotNull,
    UncheckedType,
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
}

impl Check {
    /// A stable, machine-readable name (reports, SARIF rule ids).
    pub fn code(self) -> &'static str {
        match self {
            Check::Attribute => "attribute",
            Check::Source => "schema-source",
            Check::MissingTable => "missing-table",
            Check::MissingColumn => "missing-column",
            Check::DuplicateColumn => "duplicate-column",
            Check::TypeMismatch => "type-mismatch",
            Check::SqlTypeMismatch => "sql-type-mismatch",
            Check::NullableWithoutOption => "nullable-without-option",
            Check::OptionOnNotNull => "option-on-not-null",
            Check::UncheckedType => "unchecked-type",
            Check::UncoveredColumns => "uncovered-columns",
            Check::RequiredColumn => "required-column",
            Check::NotWritable => "not-writable",
            Check::MissingEnumType => "missing-enum-type",
            Check::EnumLabels => "enum-labels",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Warning,
    Error,
}

/// One problem with a model, spanned on the token it is about.
#[derive(Debug, Clone)]
pub struct Finding {
    pub check: Check,
    pub level: Level,
    pub span: Span,
    /// Where the span ends, when it covers several tokens (a whole type).
    pub end: Option<Span>,
    /// The struct.
    pub model: String,
    pub field: Option<String>,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The one sure edit of the model's source that resolves the finding.
    pub fix: Option<Fix>,
}

/// A sure edit of a model's source file, in tokens of the parsed file.
#[derive(Debug, Clone)]
pub struct Fix {
    /// What the edit does, e.g. "use `Option<String>`".
    pub description: String,
    pub edits: Vec<Edit>,
}

/// One change of a [`Fix`]; spans are tokens of the model's source.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Replaces the tokens from `first` through `last` by `text`.
    Replace {
        first: Span,
        last: Span,
        text: String,
    },
    /// Inserts `text` right before the token `at`.
    Before { at: Span, text: String },
    /// Inserts `text` right after the token `at`.
    After { at: Span, text: String },
    /// Inserts whole lines before the line holding `at`, each indented like
    /// the line holding `indent_like`.
    Lines {
        at: Span,
        indent_like: Span,
        lines: Vec<String>,
    },
}

impl Finding {
    pub fn new(check: Check, level: Level, span: Span, model: &str, message: String) -> Finding {
        Finding {
            check,
            level,
            span,
            end: None,
            model: model.to_owned(),
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
}
