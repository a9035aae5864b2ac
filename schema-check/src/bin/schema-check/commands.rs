//! The commands, a module per command or per group about one thing (the
//! schema, the models, the docs); a new command is a new module. Each takes
//! the [`Context`](crate::context::Context) and returns an
//! [`Outcome`](crate::render::Outcome).

pub(crate) mod changelog;
pub(crate) mod docs;
pub(crate) mod draft;
pub(crate) mod fix;
pub(crate) mod introspect;
pub(crate) mod models;
pub(crate) mod report;
pub(crate) mod watch;
