//! The app's models: one struct per table, checked against the schema at
//! compile time by `#[derive(Model)]`.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use pgdrift::Model;
use uuid::Uuid;

/// What a user may do.
#[derive(Debug, Model)]
#[pgdrift(table = "roles")]
pub struct Role {
    pub id: i32,
    /// viewer, uploader, moderator or admin.
    pub name: String,
    pub description: Option<String>,
}

/// A registered account.
#[derive(Debug, Model)]
#[pgdrift(table = "users")]
pub struct User {
    pub id: i64,
    pub email: String,
    /// Shown next to uploads and comments.
    pub display_name: String,
    /// Argon2id hash, never the plain password.
    #[pgdrift(column = "pw_hashed")]
    pub password_hash: String,
    pub role_id: i32,
    pub bio: Option<String>,
    pub last_login: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Filled in by the app, not stored.
    #[pgdrift(skip)]
    pub unread_notifications: usize,
}

/// A login session.
#[derive(Debug, Model)]
#[pgdrift(table = "sessions")]
pub struct Session {
    pub id: Uuid,
    pub user_id: i64,
    /// Where the session was opened from.
    pub ip: IpAddr,
    pub user_agent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What an uploaded file is: the PostgreSQL enum `media_kind`, whose labels
/// the derive checks against the variants (in snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, pgdrift::Enum)]
pub enum MediaKind {
    Photo,
    Video,
    Audio,
}

/// An uploaded file.
#[derive(Debug, Model)]
#[pgdrift(schema = "media", table = "items")]
pub struct MediaItem {
    pub id: Uuid,
    pub owner_id: i64,
    pub kind: MediaKind,
    pub title: String,
    /// A small JPEG preview.
    pub thumbnail: Option<Vec<u8>>,
    /// EXIF data, codec details.
    pub metadata: serde_json::Value,
    pub tags: Vec<String>,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// A named, ordered collection of items.
#[derive(Debug, Model)]
#[pgdrift(schema = "media", table = "albums")]
pub struct Album {
    pub id: i64,
    pub owner_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub cover_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// An item's place in an album.
#[derive(Debug, Model)]
#[pgdrift(schema = "media", table = "album_items")]
pub struct AlbumItem {
    pub album_id: i64,
    pub item_id: Uuid,
    pub position: i32,
}

/// A listing row: just what an album index page shows.
#[derive(Debug, Model)]
#[pgdrift(schema = "media", table = "albums", partial)]
pub struct AlbumTitle {
    pub id: i64,
    pub title: String,
}

/// How many items each album holds (a view: every column is nullable).
#[derive(Debug, Model)]
#[pgdrift(schema = "media", table = "album_sizes")]
pub struct AlbumSize {
    pub album_id: Option<i64>,
    pub title: Option<String>,
    pub items: Option<i64>,
}
