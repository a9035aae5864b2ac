//! The error collector: every error found while reading one definition,
//! kept in source order and handed over as findings.

use std::cell::RefCell;

use crate::finding::{Check, Finding, Level};

/// The errors found while reading one definition, in the order of the
/// source: parsing walks attributes, fields and variants front to back and
/// records each error when it meets it, so no sorting is needed (spans in a
/// proc macro carry no line and column to sort by).
///
/// A collector must be consumed by [`Errors::finish`]: dropping one that was
/// not panics, so an error can never be lost on the way to the user.
pub(crate) struct Errors {
    /// What was recorded; `None` once finished.
    found: RefCell<Option<Found>>,
}

/// The errors recorded so far.
#[derive(Default)]
struct Found {
    /// How many errors were pushed at the end, which numbers the next.
    pushed: usize,
    /// Each error with its help and its place in the order: the number it
    /// was pushed as, or (for one recorded at a [`Slot`]) the number of the
    /// error pushed next after the place was taken, before which it goes.
    entries: Vec<((usize, bool), syn::Error, Option<String>)>,
}

/// A slot in the order of an [`Errors`], to record an error there once a
/// later part of the source shows it is one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot(usize);

impl Errors {
    /// An empty collector, to be consumed by [`Errors::finish`].
    pub(crate) fn new() -> Errors {
        Errors {
            found: RefCell::new(Some(Found::default())),
        }
    }

    /// Records `error` after those recorded so far.
    pub(crate) fn push(&self, error: syn::Error) {
        self.push_help(error, None);
    }

    /// Records `error` with `help` after those recorded so far.
    pub(crate) fn push_with_help(&self, error: syn::Error, help: impl Into<String>) {
        self.push_help(error, Some(help.into()));
    }

    fn push_help(&self, error: syn::Error, help: Option<String>) {
        self.with(|found| {
            found.entries.push(((found.pushed, true), error, help));
            found.pushed += 1;
        });
    }

    /// Where the next pushed error will go: one recorded later at this place
    /// with [`Errors::push_at`] comes before every error pushed from now on.
    pub(crate) fn here(&self) -> Slot {
        Slot(self.with(|found| found.pushed))
    }

    /// Records `error` at `place`: after the errors pushed before the place
    /// was taken (and those recorded at it earlier), before the ones pushed
    /// since.
    pub(crate) fn push_at(&self, place: Slot, error: syn::Error) {
        self.with(|found| found.entries.push(((place.0, false), error, None)));
    }

    fn with<T>(&self, f: impl FnOnce(&mut Found) -> T) -> T {
        f(self
            .found
            .borrow_mut()
            .as_mut()
            .expect("an error recorded after `Errors::finish`"))
    }

    /// Consumes the collector: `Ok` when nothing was recorded, else every
    /// error in source order as an attribute finding of the model (or enum,
    /// or newtype) named `model`.
    pub(crate) fn finish(self, model: &str) -> Result<(), Vec<Finding>> {
        let mut entries = self
            .found
            .borrow_mut()
            .take()
            .map(|found| found.entries)
            .unwrap_or_default();
        if entries.is_empty() {
            return Ok(());
        }
        // Stable: errors recorded at the same place keep their order.
        entries.sort_by_key(|(order, _, _)| *order);
        Err(entries
            .into_iter()
            .map(|(_, error, help)| {
                let mut finding = Finding::new(
                    Check::Attribute,
                    Level::Error,
                    error.span(),
                    model,
                    error.to_string(),
                );
                finding.help = help;
                finding
            })
            .collect())
    }
}

impl Drop for Errors {
    /// An unconsumed collector is a bug in pgdrift: its errors would vanish.
    /// While a panic unwinds, the collector goes quietly, as a second panic
    /// would abort and hide the first.
    fn drop(&mut self) {
        if self.found.get_mut().is_some() && !std::thread::panicking() {
            panic!("pgdrift bug: attribute errors were collected but never reported (`Errors::finish` was not called)");
        }
    }
}

/// Whether `findings` start in the order of the source (line, then column).
/// Spans know their position only with `proc-macro2/span-locations`, which
/// the `discover` feature turns on; without it every order passes.
#[cfg(test)]
pub(crate) fn in_source_order(findings: &[Finding]) -> bool {
    #[cfg(feature = "discover")]
    {
        let starts: Vec<_> = findings
            .iter()
            .map(|f| {
                let start = f.span.expect("a model finding points at a token").start();
                (start.line, start.column)
            })
            .collect();
        starts.windows(2).all(|pair| pair[0] <= pair[1])
    }
    #[cfg(not(feature = "discover"))]
    {
        let _ = findings;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    #[test]
    #[should_panic(expected = "never reported")]
    fn an_unconsumed_collector_panics_on_drop() {
        let errors = Errors::new();
        errors.push(syn::Error::new(Span::call_site(), "lost"));
    }

    #[test]
    #[should_panic(expected = "the first panic")]
    fn a_collector_dropped_while_panicking_stays_quiet() {
        // A second panic during unwinding would abort the test binary.
        let _errors = Errors::new();
        panic!("the first panic");
    }

    #[test]
    fn a_collector_keeps_the_order_of_recording_and_places() {
        let errors = Errors::new();
        let error = |text: &str| syn::Error::new(Span::call_site(), text);
        errors.push(error("first"));
        let place = errors.here();
        errors.push_with_help(error("third"), "help");
        errors.push_at(place, error("second"));
        let found = errors.finish("M").unwrap_err();
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["first", "second", "third"]);
        assert_eq!(found[2].help.as_deref(), Some("help"));
        assert!(Errors::new().finish("M").is_ok());
    }
}
