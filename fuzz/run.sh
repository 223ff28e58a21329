#!/usr/bin/env bash
# Runs fuzz targets one after the other, each for SECONDS (default 600), with the
# committed seeds and a growing corpus, and prints each run's figures.
#   bash fuzz/run.sh [SECONDS] [TARGET...]      (from the repository root)
# Needs nightly and cargo-fuzz (cargo install cargo-fuzz). Crashes are saved under
# fuzz/artifacts/TARGET/; reproduce one with
#   cargo +nightly fuzz run --sanitizer none -O TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(ingest_csv ingest_xlsx ingest_zip ingest_json map_toml plan_toml cells)
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/fuzz/target}"
cargo +nightly fuzz build -O --sanitizer none
mkdir -p fuzz/logs
dict_of() {
    case "$1" in
        ingest_csv | ingest_zip) echo csv ;;
        ingest_xlsx) echo xlsx ;;
        ingest_json) echo json ;;
        map_toml | plan_toml) echo toml ;;
        *) echo cells ;;
    esac
}
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    log="fuzz/logs/$t.log"
    cargo +nightly fuzz run -O --sanitizer none "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -dict="fuzz/dict/$(dict_of "$t").dict" -max_total_time="$secs" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 >"$log" 2>&1 || true
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    crashes=$(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)
    echo "$t: $runs runs, $rate exec/s, corpus $(ls "fuzz/corpus/$t" | wc -l) files, $crashes crash files (log: $log)"
done
