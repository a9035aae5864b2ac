//! Times loading a snapshot, for `scripts/bench-introspect`.
//!
//! ```text
//! cargo run --release -p schema-check --example load-snapshot -- PATH [ITERATIONS]
//! ```
//!
//! Loads the snapshot at `PATH` with [`schema_check::snapshot::load`]
//! `ITERATIONS` times (default 20) and prints one line:
//! `median_ms=<float> tables=<relation count>`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), iterations) = (args.next().map(PathBuf::from), args.next()) else {
        eprintln!("usage: load-snapshot PATH [ITERATIONS]");
        return ExitCode::from(2);
    };
    let iterations: usize = match iterations.map(|n| n.to_string_lossy().parse()) {
        None => 20,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("ITERATIONS must be a positive integer");
            return ExitCode::from(2);
        }
    };
    let mut times = Vec::with_capacity(iterations);
    let mut tables = 0;
    for _ in 0..iterations {
        let start = Instant::now();
        match schema_check::snapshot::load(&path) {
            Ok(catalog) => tables = catalog.relations().count(),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let mid = times.len() / 2;
    let median = if times.len() % 2 == 1 {
        times[mid]
    } else {
        (times[mid - 1] + times[mid]) / 2.0
    };
    println!("median_ms={median:.3} tables={tables}");
    ExitCode::SUCCESS
}
