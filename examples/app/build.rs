//! Hands the schema to every `#[derive(pgdrift::Model)]` of the app: the
//! live database when `DATABASE_URL` is set, else the committed snapshot.
fn main() {
    pgdrift::build::check().expect("pgdrift");
}
