//! Asking a full server again. A server at its connection limit refuses a
//! new session with SQLSTATE 53300 (`too_many_connections`), which parallel
//! builds against a small database run into; such a refusal is asked again
//! after a short pause, for as long as the connect timeout leaves room. The
//! pauses grow and are jittered, so that processes refused together do not
//! all knock again at the same moment.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use tokio_postgres::error::SqlState;

use super::Target;

/// The pause after the first refusal; each further one doubles, up to
/// [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(25);
const LONGEST_PAUSE: Duration = Duration::from_millis(500);

impl Target {
    /// Connects, asking again while the server has too many clients and
    /// `within` leaves time for another try as long as the last one; the
    /// last refusal is the error.
    pub(super) async fn connect_when_room(
        &self,
        within: Duration,
    ) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
        let deadline = Instant::now() + within;
        let mut pauses = Pauses::default();
        loop {
            let started = Instant::now();
            let refused = match self.connect().await {
                Err(e) if too_many_clients(&e) => e,
                done => return done,
            };
            let pause = pauses.next_pause();
            let left = deadline.saturating_duration_since(Instant::now());
            if pause + started.elapsed() >= left {
                return Err(refused);
            }
            tokio::time::sleep(pause).await;
        }
    }
}

/// Whether the server refused the session for want of a free connection.
pub(super) fn too_many_clients(error: &tokio_postgres::Error) -> bool {
    error.code() == Some(&SqlState::TOO_MANY_CONNECTIONS)
}

/// The pauses between tries: each between half and all of a base that
/// doubles from [`FIRST_PAUSE`] to [`LONGEST_PAUSE`].
#[derive(Debug, Default)]
struct Pauses {
    tries: u32,
}

impl Pauses {
    fn next_pause(&mut self) -> Duration {
        let base = FIRST_PAUSE
            .saturating_mul(1 << self.tries.min(16))
            .min(LONGEST_PAUSE);
        self.tries += 1;
        let half = base / 2;
        half + half.mul_f64(jitter())
    }
}

/// A number in `[0, 1)` that differs between calls and processes: std's
/// hasher keys are random per process and change with every `RandomState`.
fn jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_to_a_bound_and_vary() {
        let mut pauses = Pauses::default();
        let taken: Vec<Duration> = (0..12).map(|_| pauses.next_pause()).collect();
        assert!(taken[0] >= FIRST_PAUSE / 2 && taken[0] <= FIRST_PAUSE);
        assert!(taken[3] >= FIRST_PAUSE * 4 && taken[3] <= FIRST_PAUSE * 8);
        for pause in &taken[6..] {
            assert!(*pause >= LONGEST_PAUSE / 2 && *pause <= LONGEST_PAUSE);
        }
        let firsts: std::collections::HashSet<Duration> =
            (0..20).map(|_| Pauses::default().next_pause()).collect();
        assert!(firsts.len() > 1, "jittered: {firsts:?}");
    }
}
