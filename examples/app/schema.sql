-- The example app's database: a small media-sharing site.
-- Apply it with `psql "$DATABASE_URL" -f examples/app/schema.sql`.

CREATE TYPE media_kind AS ENUM ('photo', 'video', 'audio');
COMMENT ON TYPE media_kind IS 'What an uploaded file is';

CREATE DOMAIN email_address AS text CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+$');

CREATE TABLE roles (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    description text
);
COMMENT ON TABLE roles IS 'What a user may do: viewer, uploader, moderator, admin';

CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email email_address NOT NULL UNIQUE,
    display_name character varying(80) NOT NULL,
    pw_hashed text NOT NULL,
    role_id integer NOT NULL REFERENCES roles (id),
    bio text,
    last_login timestamp with time zone,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);
COMMENT ON TABLE users IS 'A registered account';
COMMENT ON COLUMN users.pw_hashed IS 'Argon2id hash of the password, never the password itself';

CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip inet NOT NULL,
    user_agent text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    expires_at timestamp with time zone NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE SCHEMA media;
COMMENT ON SCHEMA media IS 'Uploaded files and how they are organised';

CREATE TABLE media.items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind media_kind NOT NULL,
    title text NOT NULL,
    thumbnail bytea,
    metadata jsonb NOT NULL DEFAULT '{}',
    tags text[] NOT NULL DEFAULT '{}',
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    uploaded_at timestamp with time zone NOT NULL DEFAULT now()
);
COMMENT ON TABLE media.items IS 'One uploaded photo, video or audio file';
CREATE INDEX items_owner_idx ON media.items (owner_id, uploaded_at DESC);
CREATE INDEX items_tags_idx ON media.items USING gin (tags);

CREATE TABLE media.albums (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    description text,
    cover_id uuid REFERENCES media.items (id) ON DELETE SET NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE media.album_items (
    album_id bigint NOT NULL REFERENCES media.albums (id) ON DELETE CASCADE,
    item_id uuid NOT NULL REFERENCES media.items (id) ON DELETE CASCADE,
    position integer NOT NULL,
    PRIMARY KEY (album_id, item_id)
);

CREATE VIEW media.album_sizes AS
    SELECT a.id AS album_id, a.title, count(ai.item_id) AS items
    FROM media.albums a LEFT JOIN media.album_items ai ON ai.album_id = a.id
    GROUP BY a.id, a.title;
COMMENT ON VIEW media.album_sizes IS 'How many items each album holds';
