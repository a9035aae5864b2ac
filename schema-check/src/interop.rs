//! diesel's SQL-type vocabulary: the column type a field's
//! `#[diesel(sql_type = …)]` names, as PostgreSQL knows it, and diesel's
//! names for PostgreSQL's types in help texts.

/// A column type in diesel's SQL-type vocabulary, as PostgreSQL knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselSqlType {
    /// `Nullable<…>` outside every `Array`.
    pub nullable: bool,
    /// How many `Array<…>` wrap the element.
    pub dimensions: usize,
    /// The element's `pg_type` name (`int4`, `text`), or for a type diesel
    /// does not ship (an enum from `print-schema`) its name in snake_case.
    pub element: String,
    /// Whether `element` is one of diesel's own types.
    pub builtin: bool,
}

impl DieselSqlType {
    /// Reads `Nullable<Array<Nullable<Text>>>`, `diesel::sql_types::Int8`,
    /// `crate::schema::sql_types::MediaKind`. `None` for what is not a path.
    pub fn parse(ty: &syn::Type) -> Option<DieselSqlType> {
        let mut out = DieselSqlType {
            nullable: false,
            dimensions: 0,
            element: String::new(),
            builtin: true,
        };
        let mut current = ty;
        loop {
            let syn::Type::Path(path) = current else {
                return None;
            };
            let segment = path.path.segments.last()?;
            let arg = match &segment.arguments {
                syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                }),
                _ => None,
            };
            let name = segment.ident.to_string();
            match (name.as_str(), arg) {
                ("Nullable", Some(inner)) => {
                    if out.dimensions == 0 {
                        out.nullable = true;
                    }
                    current = inner;
                }
                ("Array", Some(inner)) => {
                    out.dimensions += 1;
                    current = inner;
                }
                ("Range", Some(inner)) => {
                    let element = DieselSqlType::parse(inner)?;
                    out.element = range_of(&element.element)?.to_owned();
                    return Some(out);
                }
                _ => {
                    match diesel_type(&name) {
                        Some(pg) => out.element = pg.to_owned(),
                        None => {
                            out.builtin = false;
                            out.element = heck::ToSnakeCase::to_snake_case(name.as_str());
                        }
                    }
                    return Some(out);
                }
            }
        }
    }

    /// Whether a column of type `sql` has this type: arrays on both sides
    /// or neither, and for one of diesel's own types the same element
    /// (`Text` standing for every character type).
    pub fn fits(&self, sql: &crate::types::SqlType) -> bool {
        let (dimensions, name) = crate::types::element_name(sql);
        let same_name = self.element == name
            || (self.element == "text" && TEXT_FAMILY.contains(&name.as_str()));
        (self.dimensions > 0) == (dimensions > 0) && (!self.builtin || same_name)
    }

    /// As PostgreSQL would write the type: `text[]`.
    pub fn describe(&self) -> String {
        format!("{}{}", self.element, "[]".repeat(self.dimensions))
    }
}

/// The range type over a diesel element type's `pg_type` name.
fn range_of(element: &str) -> Option<&'static str> {
    Some(match element {
        "int4" => "int4range",
        "int8" => "int8range",
        "numeric" => "numrange",
        "timestamp" => "tsrange",
        "timestamptz" => "tstzrange",
        "date" => "daterange",
        _ => return None,
    })
}

/// diesel's `sql_types` (and the PostgreSQL ones under `diesel::pg`), by the
/// `pg_type` name they stand for. `Text` and `VarChar` are one type in
/// diesel, used for every character column.
fn diesel_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "Bool" => "bool",
        "SmallInt" | "Smallint" | "Int2" => "int2",
        "Integer" | "Int4" => "int4",
        "BigInt" | "Bigint" | "Int8" => "int8",
        "Float" | "Float4" => "float4",
        "Double" | "Float8" => "float8",
        "Numeric" | "Decimal" => "numeric",
        "Text" | "VarChar" | "Varchar" | "Bpchar" | "Citext" => "text",
        "Binary" | "Bytea" | "Blob" | "Tinyblob" | "Mediumblob" | "Longblob" => "bytea",
        "Date" => "date",
        "Time" => "time",
        "Timestamp" => "timestamp",
        "Timestamptz" | "TimestamptzSqlite" => "timestamptz",
        "Interval" => "interval",
        "Uuid" => "uuid",
        "Json" => "json",
        "Jsonb" => "jsonb",
        "Inet" => "inet",
        "Cidr" => "cidr",
        "MacAddr" => "macaddr",
        "MacAddr8" => "macaddr8",
        "Money" => "money",
        "Oid" => "oid",
        "CChar" => "char",
        "Int4range" => "int4range",
        "Int8range" => "int8range",
        "Numrange" => "numrange",
        "Tsrange" => "tsrange",
        "Tstzrange" => "tstzrange",
        "Daterange" => "daterange",
        "Record" => "record",
        _ => return None,
    })
}

/// diesel's name for a `pg_type` name, for help texts.
pub fn diesel_name(pg: &str) -> Option<&'static str> {
    Some(match pg {
        "bool" => "Bool",
        "int2" => "SmallInt",
        "int4" => "Integer",
        "int8" => "BigInt",
        "float4" => "Float",
        "float8" => "Double",
        "numeric" => "Numeric",
        "text" | "varchar" | "bpchar" | "name" | "citext" => "Text",
        "bytea" => "Bytea",
        "date" => "Date",
        "time" => "Time",
        "timestamp" => "Timestamp",
        "timestamptz" => "Timestamptz",
        "interval" => "Interval",
        "uuid" => "Uuid",
        "json" => "Json",
        "jsonb" => "Jsonb",
        "inet" => "Inet",
        "cidr" => "Cidr",
        "macaddr" => "MacAddr",
        "money" => "Money",
        "oid" => "Oid",
        _ => return None,
    })
}

/// `pg_type` names that diesel's `Text` stands for.
pub const TEXT_FAMILY: &[&str] = &["text", "varchar", "bpchar", "name", "citext"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_vocabulary() {
        let parse = |src: &str| DieselSqlType::parse(&syn::parse_str(src).unwrap()).unwrap();
        assert_eq!(parse("diesel::sql_types::Int8").describe(), "int8");
        assert_eq!(parse("Range<Timestamptz>").describe(), "tstzrange");
        let custom = parse("Nullable<crate::schema::sql_types::MediaKind>");
        assert_eq!((custom.builtin, custom.nullable), (false, true));
        assert_eq!(custom.element, "media_kind");
        assert!(!parse("Array<Nullable<Int4>>").nullable);
    }
}
