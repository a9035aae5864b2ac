// Newsletter models in the style of a small sqlx service: uuid keys, plain
// row structs named apart from their tables, validated newtypes read
// through `try_from`, a subset read of an issue, borrowed insert rows.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An email address that passed validation.
#[derive(Clone, Debug)]
pub struct SubscriberEmail(String);

impl TryFrom<String> for SubscriberEmail {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value.contains('@') {
            Ok(SubscriberEmail(value))
        } else {
            Err(format!("{value} is not an email address"))
        }
    }
}

#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "subscriptions")]
pub struct SubscriptionRow {
    pub id: Uuid,
    #[sqlx(try_from = "String")]
    pub email: SubscriberEmail,
    pub name: String,
    pub subscribed_at: DateTime<Utc>,
    pub status: String,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "subscriptions", insert)]
pub struct NewSubscriber<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub name: &'a str,
    pub subscribed_at: DateTime<Utc>,
    pub status: &'a str,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "subscription_tokens")]
pub struct SubscriptionToken {
    pub subscription_token: String,
    pub subscriber_id: Uuid,
}

/// Only the parts sent by email: a subset, so a warning lists the rest.
#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "newsletter_issues")]
pub struct NewsletterIssue {
    pub title: String,
    pub text_content: String,
    pub html_content: String,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "issue_delivery_queue")]
pub struct IssueDeliveryTask {
    pub newsletter_issue_id: Uuid,
    pub subscriber_email: String,
    pub n_retries: i16,
    pub execute_after: DateTime<Utc>,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "idempotency")]
pub struct SavedResponse {
    pub user_id: Uuid,
    pub idempotency_key: String,
    pub response_status_code: Option<i16>,
    pub response_body: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "idempotency", insert)]
pub struct NewIdempotencyKey<'a> {
    pub user_id: Uuid,
    pub idempotency_key: &'a str,
    pub created_at: DateTime<Utc>,
}

/// A stand-in for `uuid::Uuid`: types match by path.
mod uuid {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Uuid;
}
