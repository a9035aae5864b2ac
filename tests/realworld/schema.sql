-- A schema of our own, in the shapes three kinds of public Rust services
-- use: a federated forum on diesel (singular table names, serial ids behind
-- newtypes, insert and update forms), a newsletter service on sqlx (uuid
-- keys, plain FromRow structs, validated newtypes) and an article site on
-- sqlx (renamed columns, arrays, json, counts that some queries add).

-- Forum (diesel).
CREATE TABLE person (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    display_name varchar(255),
    avatar text,
    banned boolean NOT NULL DEFAULT false,
    published timestamp with time zone NOT NULL DEFAULT now(),
    updated timestamp with time zone,
    actor_id varchar(255) NOT NULL,
    bio text,
    local boolean NOT NULL DEFAULT true,
    inbox_url varchar(255) NOT NULL,
    matrix_user_id text,
    bot_account boolean NOT NULL DEFAULT false,
    ban_expires timestamp with time zone,
    instance_id integer NOT NULL
);

CREATE TYPE listing_kind AS ENUM ('all', 'local', 'subscribed');

CREATE TABLE post (
    id serial PRIMARY KEY,
    name varchar(200) NOT NULL,
    url varchar(512),
    body text,
    creator_id integer NOT NULL REFERENCES person (id),
    community_id integer NOT NULL,
    removed boolean NOT NULL DEFAULT false,
    locked boolean NOT NULL DEFAULT false,
    published timestamp with time zone NOT NULL DEFAULT now(),
    updated timestamp with time zone,
    deleted boolean NOT NULL DEFAULT false,
    nsfw boolean NOT NULL DEFAULT false,
    thumbnail_url text,
    ap_id varchar(255) NOT NULL,
    language_id integer NOT NULL DEFAULT 0,
    featured_community boolean NOT NULL DEFAULT false,
    tag_ids integer[] NOT NULL DEFAULT '{}',
    alt_texts text[],
    listing listing_kind NOT NULL DEFAULT 'all'
);

CREATE TABLE post_aggregates (
    post_id integer PRIMARY KEY REFERENCES post (id),
    comments bigint NOT NULL DEFAULT 0,
    score bigint NOT NULL DEFAULT 0,
    upvotes bigint NOT NULL DEFAULT 0,
    downvotes bigint NOT NULL DEFAULT 0,
    published timestamp with time zone NOT NULL DEFAULT now(),
    hot_rank double precision NOT NULL DEFAULT 0.0001
);

-- Newsletter (sqlx).
CREATE TABLE subscriptions (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    subscribed_at timestamp with time zone NOT NULL,
    status text NOT NULL
);

CREATE TABLE subscription_tokens (
    subscription_token text PRIMARY KEY,
    subscriber_id uuid NOT NULL REFERENCES subscriptions (id)
);

CREATE TABLE newsletter_issues (
    newsletter_issue_id uuid PRIMARY KEY,
    title text NOT NULL,
    text_content text NOT NULL,
    html_content text NOT NULL,
    published_at text NOT NULL
);

CREATE TABLE issue_delivery_queue (
    newsletter_issue_id uuid NOT NULL REFERENCES newsletter_issues (newsletter_issue_id),
    subscriber_email text NOT NULL,
    n_retries smallint NOT NULL DEFAULT 0,
    execute_after timestamp with time zone NOT NULL DEFAULT now(),
    PRIMARY KEY (newsletter_issue_id, subscriber_email)
);

CREATE TABLE idempotency (
    user_id uuid NOT NULL,
    idempotency_key text NOT NULL,
    response_status_code smallint,
    response_body bytea,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);

-- Articles (sqlx).
CREATE TABLE "user" (
    user_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username text NOT NULL UNIQUE,
    email text NOT NULL UNIQUE,
    bio text NOT NULL DEFAULT '',
    image text,
    password_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone
);

CREATE TABLE article (
    article_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES "user" (user_id),
    slug text NOT NULL UNIQUE,
    title text NOT NULL,
    description text NOT NULL,
    body text NOT NULL,
    tag_list text[] NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE article_favorite (
    article_id uuid NOT NULL REFERENCES article (article_id),
    user_id uuid NOT NULL REFERENCES "user" (user_id),
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, user_id)
);
