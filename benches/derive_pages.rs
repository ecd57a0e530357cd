//! How long derivation takes: every page under `contracts/sources/` with its overlay,
//! derived ROUNDS times (default 200) after one warm-up round. Prints the median and the
//! worst time for the whole set, and per page. Target: well under 50 ms for the five pages.
//!
//! With a folder, every page under it (`.txt`, `.md`, `.html`, at any depth; no overlays):
//! the corpus that `benches/corpus/corpus.py build` writes. Target: under 2 s for the whole
//! corpus; the five slowest pages are listed.
//!
//! `cargo run --release --example derive_pages [DIR]`

use std::time::{Duration, Instant};

use docpact::derive::{self, overlay};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if std::env::args().nth(1).is_some() {
            5
        } else {
            200
        })
        .clamp(1, 100_000);
    let corpus = std::env::args().nth(1).map(std::path::PathBuf::from);
    let dir = corpus.clone().unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/sources")
    });
    let mut pages = Vec::new();
    let mut folders = vec![dir.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .map_err(|e| format!("cannot read {}: {e}", folder.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let page = path
                .extension()
                .is_some_and(|e| e == "txt" || (corpus.is_some() && (e == "md" || e == "html")));
            if page {
                let bytes = std::fs::read(&path)?;
                let ov = match corpus {
                    Some(_) => None,
                    None => overlay::load_beside(&path)?.map(|(_, o)| o),
                };
                let name = path
                    .strip_prefix(&dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                pages.push((name, bytes, ov));
            }
        }
    }
    if pages.is_empty() {
        return Err(format!("no pages under {}", dir.display()).into());
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
    let mut rows: Vec<(Duration, &str)> = pages
        .iter()
        .zip(per_page.iter_mut())
        .map(|((name, _, _), times)| (median(times), name.as_str()))
        .collect();
    if corpus.is_some() {
        rows.sort_by_key(|r| std::cmp::Reverse(r.0));
        rows.truncate(5);
        println!("slowest pages:");
    }
    for (t, name) in rows {
        println!("  {name}: median {:.3} ms", t.as_secs_f64() * 1e3);
    }
    Ok(())
}
