#!/usr/bin/env bash
# Runs docpact's coverage-guided fuzz targets (cargo-fuzz, libFuzzer) for a bounded time each,
# growing the committed corpora under fuzz/corpus/<target>/ and minimizing them afterwards
# (to the inputs that reach new edges, so that the committed corpora stay small).
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Not run in CI: CI
# replays the committed corpora and past findings through the same checks in `cargo test`.
#
#   fuzz/run.sh                   every target, SECONDS_PER_TARGET (120) each
#   fuzz/run.sh request derive    the named targets
#
# A crash or a timeout leaves its input in fuzz/artifacts/<target>/; copy it into
# fuzz/regressions/<target>/ with a name that says what it found, fix the code, and
# `cargo test fuzz` keeps it fixed. Exits 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${SECONDS_PER_TARGET:-120}"
jobs="${JOBS:-1}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(request signed_params form contract derive user_files cassette)
fi
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 2; }
python3 seed.py
found=0
for t in "${targets[@]}"; do
    echo "== $t (${seconds}s)" >&2
    mkdir -p "corpus/$t" "artifacts/$t"
    # -timeout: one input taking longer than 10 s is a hang; -rss_limit_mb: growth is a finding.
    if ! cargo +nightly fuzz run "$t" "corpus/$t" --jobs "$jobs" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1; then
        found=1
        echo "!! $t found something: fuzz/artifacts/$t/" >&2
    fi
    cargo +nightly fuzz cmin "$t" "corpus/$t" -- -max_len=65536 -use_counters=0 >/dev/null 2>&1 || true
    echo "   corpus: $(ls "corpus/$t" | wc -l) files, $(du -sh "corpus/$t" | cut -f1)" >&2
done
exit "$found"
