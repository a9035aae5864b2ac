//! A small media-sharing app's data layer: the models pgdrift checks against
//! `schema.sql` (through the committed snapshot `.pgdrift/schema.json`, or
//! the live database named by `DATABASE_URL`).

pub mod models;
