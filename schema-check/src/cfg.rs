//! `#[cfg(...)]` and `#[cfg_attr(...)]` as a default `cargo build` of the
//! package sees them: `test` off, `debug_assertions` on, the package's
//! default features (and the features they enable) on, plus any asked for,
//! and the target options of the machine running the check. A name the
//! compiler would not set (a custom `--cfg`) is off, as it is for rustc.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::error::{Error, Result};

/// The configuration predicates are evaluated under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cfg {
    pub features: BTreeSet<String>,
}

impl Cfg {
    /// The default features of the package whose `Cargo.toml` is in `root`,
    /// plus `extra` (each may itself enable more). No `Cargo.toml`: `extra`
    /// alone.
    pub fn for_package(root: &Path, extra: &[String]) -> Result<Cfg> {
        let manifest = root.join("Cargo.toml");
        let table: HashMap<String, Vec<String>> = match std::fs::read_to_string(&manifest) {
            Ok(text) => features_table(&text).map_err(|e| {
                Error::Config(format!(
                    "cannot read the features of {}: {e}",
                    manifest.display()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => return Err(Error::io("read", &manifest, e)),
        };
        let mut cfg = Cfg::default();
        let mut todo: Vec<String> = extra.iter().map(|f| f.trim().to_owned()).collect();
        if table.contains_key("default") {
            todo.push("default".to_owned());
        }
        while let Some(feature) = todo.pop() {
            if feature.is_empty() || feature.contains('/') || feature.starts_with("dep:") {
                continue;
            }
            if cfg.features.insert(feature.clone()) {
                todo.extend(table.get(&feature).into_iter().flatten().cloned());
            }
        }
        Ok(cfg)
    }

    /// Inside a build script: the package's features that cargo enabled for
    /// this build (`CARGO_FEATURE_<NAME>` set).
    pub fn for_build_script(root: &Path) -> Result<Cfg> {
        let features = Cfg::declared(root)?
            .into_iter()
            .filter(|f| {
                let var = format!("CARGO_FEATURE_{}", f.to_uppercase().replace('-', "_"));
                std::env::var_os(var).is_some()
            })
            .collect();
        Ok(Cfg { features })
    }

    /// Every feature the manifest in `root` declares.
    fn declared(root: &Path) -> Result<Vec<String>> {
        let manifest = root.join("Cargo.toml");
        match std::fs::read_to_string(&manifest) {
            Ok(text) => Ok(features_table(&text)
                .map_err(|e| {
                    Error::Config(format!(
                        "cannot read the features of {}: {e}",
                        manifest.display()
                    ))
                })?
                .into_keys()
                .collect()),
            Err(_) => Ok(Vec::new()),
        }
    }

    /// Whether every `#[cfg(...)]` among `attrs` holds.
    pub fn enabled(&self, attrs: &[syn::Attribute]) -> bool {
        self.failing(attrs).is_none()
    }

    /// The first `#[cfg(...)]` among `attrs` that does not hold, as written.
    pub fn failing(&self, attrs: &[syn::Attribute]) -> Option<String> {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .find_map(|a| {
                let predicate = a.parse_args::<syn::Meta>().ok()?;
                (!self.holds(&predicate)).then(|| {
                    let text = quote::ToTokens::to_token_stream(&predicate).to_string();
                    format!("#[cfg({})]", text.replace(" (", "("))
                })
            })
    }

    /// `attrs` with each `#[cfg_attr(predicate, a, b)]` replaced by `#[a]
    /// #[b]` when the predicate holds, and removed when it does not.
    pub fn expand_cfg_attr(&self, attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
        let mut out = Vec::new();
        for attr in attrs {
            if !attr.path().is_ident("cfg_attr") {
                out.push(attr.clone());
                continue;
            }
            let Ok(list) = attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            ) else {
                continue;
            };
            let mut metas = list.into_iter();
            let Some(predicate) = metas.next() else {
                continue;
            };
            if !self.holds(&predicate) {
                continue;
            }
            let inner: Vec<syn::Attribute> = metas
                .map(|meta| syn::Attribute {
                    pound_token: attr.pound_token,
                    style: attr.style,
                    bracket_token: attr.bracket_token,
                    meta,
                })
                .collect();
            out.extend(self.expand_cfg_attr(&inner));
        }
        out
    }

    /// Whether a predicate (`feature = "x"`, `test`, `all(...)`, …) holds.
    pub fn holds(&self, predicate: &syn::Meta) -> bool {
        let name = predicate
            .path()
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match predicate {
            syn::Meta::List(list) => {
                let Ok(args) = list.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                ) else {
                    return false;
                };
                match name.as_str() {
                    "all" => args.iter().all(|m| self.holds(m)),
                    "any" => args.iter().any(|m| self.holds(m)),
                    "not" => args.len() == 1 && !self.holds(&args[0]),
                    _ => false,
                }
            }
            syn::Meta::Path(_) => match name.as_str() {
                "debug_assertions" => true,
                "unix" => cfg!(unix),
                "windows" => cfg!(windows),
                "true" => true,
                _ => false,
            },
            syn::Meta::NameValue(nv) => {
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(value),
                    ..
                }) = &nv.value
                else {
                    return false;
                };
                let value = value.value();
                match name.as_str() {
                    "feature" => self.features.contains(&value),
                    "target_os" => value == std::env::consts::OS,
                    "target_family" => value == std::env::consts::FAMILY,
                    "target_arch" => value == std::env::consts::ARCH,
                    "target_pointer_width" => value == (usize::BITS).to_string(),
                    "target_endian" => {
                        value
                            == if cfg!(target_endian = "little") {
                                "little"
                            } else {
                                "big"
                            }
                    }
                    "panic" => value == "unwind",
                    _ => false,
                }
            }
        }
    }
}

/// `[features]` of a manifest: each feature and what it enables.
/// The crates that code of the package whose `Cargo.toml` is in `root` can
/// name: its dependencies (by the name the code uses, `-` read as `_`),
/// for every target, and the standard library's. `None` without a readable
/// manifest.
pub fn nameable_crates(root: &Path) -> Option<BTreeSet<String>> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        dependencies: toml::Table,
        #[serde(default)]
        target: HashMap<String, Target>,
    }
    #[derive(serde::Deserialize)]
    struct Target {
        #[serde(default)]
        dependencies: toml::Table,
    }
    let text = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    let manifest: Manifest = toml::from_str(&text).ok()?;
    let targets = manifest.target.values().map(|t| &t.dependencies);
    let names = std::iter::once(&manifest.dependencies)
        .chain(targets)
        .flat_map(|table| table.keys())
        .map(|name| name.replace('-', "_"));
    let standard = ["std", "core", "alloc", "crate", "self", "super"].map(str::to_owned);
    Some(names.chain(standard).collect())
}

fn features_table(manifest: &str) -> std::result::Result<HashMap<String, Vec<String>>, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        features: HashMap<String, Vec<String>>,
    }
    toml::from_str::<Manifest>(manifest)
        .map(|m| m.features)
        .map_err(|e| e.message().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(features: &[&str]) -> Cfg {
        Cfg {
            features: features.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn holds(cfg: &Cfg, src: &str) -> bool {
        cfg.holds(&syn::parse_str(src).unwrap())
    }

    #[test]
    fn predicates_as_a_default_build_sees_them() {
        let c = cfg(&["postgres"]);
        assert!(holds(&c, "feature = \"postgres\""));
        assert!(!holds(&c, "feature = \"sqlite\""));
        assert!(!holds(&c, "test"));
        assert!(holds(&c, "not(test)"));
        assert!(holds(&c, "debug_assertions"));
        assert!(holds(&c, "all(feature = \"postgres\", not(test))"));
        assert!(holds(&c, "any(test, feature = \"postgres\")"));
        assert!(!holds(&c, "my_custom_cfg"));
        assert!(!holds(&c, "not(a, b)"));
    }

    #[test]
    fn default_features_and_what_they_enable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"m\"\n[features]\ndefault = [\"db\"]\ndb = [\"diesel\", \"dep:x\", \"y/z\"]\ndiesel = []\nextra = []\n",
        )
        .unwrap();
        let c = Cfg::for_package(dir.path(), &[]).unwrap();
        assert_eq!(
            c.features.iter().map(String::as_str).collect::<Vec<_>>(),
            ["db", "default", "diesel"]
        );
        let c = Cfg::for_package(dir.path(), &["extra".into()]).unwrap();
        assert!(c.features.contains("extra"));
        std::fs::write(dir.path().join("Cargo.toml"), "[features\n").unwrap();
        assert!(Cfg::for_package(dir.path(), &[]).is_err());
    }

    #[test]
    fn cfg_attr_expands_when_its_predicate_holds() {
        let item: syn::ItemStruct = syn::parse_str(
            "#[cfg_attr(feature = \"db\", diesel(table_name = posts), derive(Debug))] #[cfg_attr(test, sqlx(rename_all = \"camelCase\"))] struct S;",
        )
        .unwrap();
        let attrs = cfg(&["db"]).expand_cfg_attr(&item.attrs);
        let names: Vec<String> = attrs
            .iter()
            .map(|a| a.path().get_ident().unwrap().to_string())
            .collect();
        assert_eq!(names, ["diesel", "derive"]);
        assert!(cfg(&[]).expand_cfg_attr(&item.attrs).is_empty());
    }

    proptest::proptest! {
        /// Any `#[cfg(...)]` or `#[cfg_attr(...)]` a source file can hold is
        /// evaluated without panicking.
        #[test]
        fn any_predicate_evaluates(body in "[a-z_(),=\" ]{0,40}") {
            for src in [format!("#[cfg({body})] struct S;"), format!("#[cfg_attr({body})] struct S;")] {
                if let Ok(item) = syn::parse_str::<syn::ItemStruct>(&src) {
                    let c = cfg(&["a"]);
                    let _ = c.failing(&item.attrs);
                    let _ = c.expand_cfg_attr(&item.attrs);
                }
            }
        }
    }
}
