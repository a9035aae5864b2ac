-- The same schema after the kinds of change that break models: types
-- changed, columns dropped or renamed to a near name, NOT NULL dropped,
-- NOT NULL columns without defaults added.

-- Forum.
ALTER TABLE person ALTER COLUMN instance_id TYPE bigint;
ALTER TABLE person RENAME COLUMN display_name TO displayname;
ALTER TABLE post ALTER COLUMN body SET NOT NULL;
ALTER TABLE post ALTER COLUMN nsfw DROP NOT NULL;
ALTER TABLE post ADD COLUMN ap_domain text NOT NULL;
ALTER TABLE post ALTER COLUMN tag_ids TYPE bigint[];
ALTER TABLE post_aggregates DROP COLUMN hot_rank;

-- Newsletter.
ALTER TABLE subscriptions ALTER COLUMN status DROP NOT NULL;
ALTER TABLE subscriptions RENAME COLUMN subscribed_at TO subscribed_on;
ALTER TABLE subscription_tokens ALTER COLUMN subscription_token TYPE uuid USING subscription_token::uuid;
ALTER TABLE issue_delivery_queue ALTER COLUMN n_retries TYPE integer;
ALTER TABLE idempotency ADD COLUMN scope text NOT NULL;

-- Articles.
ALTER TABLE "user" ALTER COLUMN image TYPE bytea USING image::bytea;
ALTER TABLE "user" ALTER COLUMN bio DROP NOT NULL;
ALTER TABLE article ALTER COLUMN metadata TYPE text;
ALTER TABLE article RENAME COLUMN tag_list TO tags;
ALTER TABLE article ADD COLUMN author_name text NOT NULL;
ALTER TABLE article_favorite DROP COLUMN created_at;
