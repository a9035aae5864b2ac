//! Sure fixes: what a fix is, the fixes each kind of finding gets, and
//! applying them to a project's files.
//!
//! A [`Fix`] is edits in tokens of a parsed source; placing a finding in
//! its file turns them into [`TextEdit`]s of the file's bytes, and the
//! `fix` command applies those. The builders live in one module per kind
//! of source they edit: `rust` for a model struct's Rust source, `sql` for
//! the database (the change `schema-check draft` proposes).

#![deny(missing_docs)]

use proc_macro2::Span;

#[cfg(feature = "discover")]
pub mod apply;
#[cfg(feature = "discover")]
pub mod place;
#[cfg(feature = "workflow")]
pub(crate) mod rust;
#[cfg(feature = "discover")]
pub mod sql;
#[cfg(all(feature = "live", feature = "discover"))]
pub mod verify;

/// A finding's sure fix, built only where fixes are applied (the CLI's
/// `fix` and the reports, feature `workflow`): the derive only shows
/// diagnostics, and its build leaves the fix builders out.
macro_rules! sure_fix {
    ($build:expr) => {{
        #[cfg(feature = "workflow")]
        let fix = $build;
        #[cfg(not(feature = "workflow"))]
        let fix = None;
        fix
    }};
}
pub(crate) use sure_fix;

/// A replacement of a byte range of a file's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TextEdit {
    /// The first byte replaced.
    pub start: usize,
    /// The byte after the last one replaced (`start` for an insertion).
    pub end: usize,
    /// What replaces them.
    pub replacement: String,
}

/// A sure edit of a model's source file, in tokens of the parsed file.
#[derive(Debug, Clone)]
pub struct Fix {
    /// What the edit does, e.g. "use `Option<String>`".
    pub description: String,
    /// The edits, applied together.
    pub edits: Vec<Edit>,
}

/// One change of a [`Fix`]; spans are tokens of the model's source.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Replaces the tokens from `first` through `last` by `text`.
    Replace {
        /// The first token replaced.
        first: Span,
        /// The last token replaced.
        last: Span,
        /// What replaces them.
        text: String,
    },
    /// Inserts `text` right before the token `at`.
    Before {
        /// The token the text goes before.
        at: Span,
        /// What is inserted.
        text: String,
    },
    /// Inserts `text` right after the token `at`.
    After {
        /// The token the text goes after.
        at: Span,
        /// What is inserted.
        text: String,
    },
    /// Inserts whole lines before the line holding `at`, each indented like
    /// the line holding `indent_like`.
    Lines {
        /// A token of the line the new lines go before.
        at: Span,
        /// A token of the line whose indentation the new lines take.
        indent_like: Span,
        /// The lines, without indentation or line ends.
        lines: Vec<String>,
    },
}
