//! Text that many parts of a catalog hold alike, held once.
//!
//! A large schema repeats the same few texts in nearly every column: type
//! names (`pg_catalog`, `int4`, `character varying(255)`) and column names
//! (`id`, `created_at`). A [`SharedStr`] is a read-only string whose clones
//! share one allocation, and a [`Strings`] hands out one per distinct text,
//! so a catalog of a hundred thousand columns holds each of them once: while
//! introspecting, and while reading a snapshot ([`reading_shared`]).
//!
//! A `SharedStr` is one pointer wide (to a shared `String`), half a shared
//! `str`'s width: a column holds six of them.

use std::borrow::Borrow;
#[cfg(feature = "live")]
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A read-only string whose clones share one allocation; it reads, compares,
/// hashes, orders and serialises as the text it holds.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Arc<String>);

impl SharedStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr(Arc::new(text.to_owned()))
    }
}

impl From<&String> for SharedStr {
    fn from(text: &String) -> Self {
        SharedStr(Arc::new(text.clone()))
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr(Arc::new(text))
    }
}

impl From<&SharedStr> for SharedStr {
    fn from(text: &SharedStr) -> Self {
        text.clone()
    }
}

impl From<SharedStr> for String {
    fn from(text: SharedStr) -> Self {
        Arc::unwrap_or_clone(text.0)
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == *other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SharedStr, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SharedStr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<SharedStr, E> {
                Ok(read(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

// Sharing pays on the catalogs of tens of thousands of tables that
// introspection reads and the CLI loads (feature `live`). The derive's build
// reads one crate's snapshot in unoptimised code, where hashing every text
// costs more than the allocations sharing saves: there each text read keeps
// its own allocation, and the interner is not compiled.

#[cfg(feature = "live")]
thread_local! {
    /// The strings of what this thread deserialises in [`reading_shared`].
    static READING: std::cell::RefCell<Option<Strings>> = const { std::cell::RefCell::new(None) };
}

/// Runs `read` (a deserialisation) so that the equal texts it reads into
/// [`SharedStr`]s share one allocation (with feature `live`).
pub fn reading_shared<T>(read: impl FnOnce() -> T) -> T {
    #[cfg(feature = "live")]
    {
        let outer = READING.replace(Some(Strings::default()));
        let result = read();
        READING.set(outer);
        result
    }
    #[cfg(not(feature = "live"))]
    read()
}

/// `text` as read: shared with the equal texts read before it when inside
/// [`reading_shared`] (with feature `live`).
pub(crate) fn read(text: &str) -> SharedStr {
    #[cfg(feature = "live")]
    {
        READING.with_borrow_mut(|strings| match strings {
            Some(strings) => strings.get(text),
            None => SharedStr::from(text),
        })
    }
    #[cfg(not(feature = "live"))]
    SharedStr::from(text)
}

/// Hands out one [`SharedStr`] per distinct text.
#[cfg(feature = "live")]
#[derive(Default)]
pub struct Strings(HashSet<SharedStr, foldhash::fast::RandomState>);

#[cfg(feature = "live")]
impl Strings {
    /// The shared string holding `text`, made on its first request.
    pub fn get(&mut self, text: &str) -> SharedStr {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared = SharedStr::from(text);
        self.0.insert(shared.clone());
        shared
    }
}

#[cfg(all(test, feature = "live"))]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation_and_read_as_text() {
        let mut strings = Strings::default();
        let a = strings.get("int4");
        let b = strings.get("int4");
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert!(!Arc::ptr_eq(&a.0, &strings.get("int8").0));
        assert_eq!(a, "int4");
        assert_eq!("int4", a);
        assert_eq!(a, String::from("int4"));
        assert_eq!(format!("{a} {a:?}"), "int4 \"int4\"");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"int4\"");
        let back: SharedStr = serde_json::from_str("\"x\\\"y\"").unwrap();
        assert_eq!(back, "x\"y");
        assert!(serde_json::from_str::<SharedStr>("1").is_err());
    }

    #[test]
    fn texts_read_together_are_shared_only_while_reading_shared() {
        let read = || serde_json::from_str::<Vec<SharedStr>>(r#"["id", "id", "name"]"#).unwrap();
        let shared = reading_shared(read);
        assert!(Arc::ptr_eq(&shared[0].0, &shared[1].0));
        assert_eq!(shared, ["id", "id", "name"]);
        let apart = read();
        assert!(!Arc::ptr_eq(&apart[0].0, &apart[1].0));
    }
}
