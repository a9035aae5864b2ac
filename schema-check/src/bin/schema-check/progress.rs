//! A progress line on stderr for work that takes a while: shown only on a
//! terminal, only after the work has run for [`DELAY`], and erased when it
//! ends, so quick runs and pipes see nothing.

use std::io::{IsTerminal, Write};
use std::sync::mpsc;
use std::time::Duration;

/// How long work runs before the line appears.
pub const DELAY: Duration = Duration::from_secs(1);

const FRAMES: [char; 4] = ['|', '/', '-', '\\'];

/// Runs `work`, showing `label` with a spinner on stderr while it lasts
/// longer than [`DELAY`] and stderr is a terminal.
pub fn with_progress<T>(label: &str, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let (done, finished) = mpsc::channel::<()>();
    let label = schema_check::escape::one_line(label).into_owned();
    let spinner = std::thread::spawn(move || {
        if finished.recv_timeout(DELAY).is_ok() {
            return;
        }
        let mut frame = 0;
        loop {
            let _ = write!(
                std::io::stderr(),
                "\r{} {label}…",
                FRAMES[frame % FRAMES.len()]
            );
            let _ = std::io::stderr().flush();
            frame += 1;
            if finished.recv_timeout(Duration::from_millis(120)).is_ok() {
                // Erase the line: spaces over it, back to its start.
                let width = label.chars().count() + 3;
                let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(width));
                let _ = std::io::stderr().flush();
                return;
            }
        }
    });
    let result = work();
    let _ = done.send(());
    let _ = spinner.join();
    result
}
