//! How long derivation takes: every page under `contracts/sources/` with its overlay,
//! derived ROUNDS times (default 200) after one warm-up round. Prints the median and the
//! worst time for the whole set, and per page. Target: well under 50 ms for the five pages.
//!
//! `cargo run --release --example derive_pages`

use std::time::{Duration, Instant};

use docpact::derive::{self, overlay};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200)
        .clamp(1, 100_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/sources");
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let bytes = std::fs::read(&path)?;
            let ov = overlay::load_beside(&path)?.map(|(_, o)| o);
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            pages.push((name.unwrap_or_default(), bytes, ov));
        }
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    let mut totals: Vec<Duration> = Vec::with_capacity(rounds);
    let mut per_page: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); pages.len()];
    for round in 0..=rounds {
        let start = Instant::now();
        for (i, (name, bytes, ov)) in pages.iter().enumerate() {
            let t = Instant::now();
            let d = derive::derive(name, bytes, ov.as_ref())?;
            std::hint::black_box(&d);
            if round > 0 {
                per_page[i].push(t.elapsed());
            }
        }
        if round > 0 {
            totals.push(start.elapsed());
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let worst = totals.iter().max().copied().unwrap_or_default();
    println!(
        "{} pages, {rounds} rounds: median {:.2} ms, worst {:.2} ms for the set",
        pages.len(),
        median(&mut totals).as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
    for ((name, _, _), times) in pages.iter().zip(per_page.iter_mut()) {
        println!(
            "  {name}: median {:.3} ms",
            median(times).as_secs_f64() * 1e3
        );
    }
    Ok(())
}
