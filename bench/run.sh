#!/usr/bin/env bash
# Benchmark: followup vs. a DuckDB SQL baseline (bench/metrics.sql) on the same input.
# Run from the repository root:  bash bench/run.sh        (see bench/README.md)
set -euo pipefail

die() { echo "bench: error: $*" >&2; exit 1; }
# Print the last lines of a log file to stderr (for failures).
tail_log() { if [ -s "$1" ]; then echo "--- last lines of $1 ---" >&2; tail -n 30 "$1" >&2; fi; }

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$REPO_ROOT"

DEALS=${DEALS:-1000000}
REPEAT=${REPEAT:-3}
KEEP=${KEEP:-0}
AS_OF=2026-10-31
DUCKDB_VERSION=${DUCKDB_VERSION:-2.0.0}
VENV=${BENCH_VENV:-$HOME/.cache/followup-bench-venv}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/followup-target}

[[ "$DEALS" =~ ^[1-9][0-9]*$ ]] || die "DEALS must be a positive integer (got '$DEALS')"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive integer (got '$REPEAT')"
command -v python3 >/dev/null || die "python3 not found"

if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
    OWN_WORK=0   # a directory given by the user: remove only what this script wrote
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/followup-bench.XXXXXX")
    OWN_WORK=1
fi
WORK=$(cd "$WORK" && pwd)
cleanup() {
    if [ "$KEEP" = 1 ]; then
        echo "bench: kept work directory $WORK"
    elif [ "$OWN_WORK" = 1 ]; then
        rm -rf "$WORK"
    else
        rm -rf "$WORK/data" "$WORK/report" "$WORK/logs" "$WORK/measurements" \
            "$WORK/duckdb_metrics.json" "$WORK/summary.json"
    fi
}
trap cleanup EXIT
LOGS=$WORK/logs
MEAS=$WORK/measurements
mkdir -p "$LOGS" "$MEAS"
rm -f "$MEAS"/*.jsonl

# --- 1. build the tool -------------------------------------------------------------------
if [ -n "${FOLLOWUP_BIN:-}" ]; then
    BIN=$FOLLOWUP_BIN   # a prebuilt binary (skips cargo)
    echo "bench: using FOLLOWUP_BIN=$BIN"
else
    command -v cargo >/dev/null || die "cargo not found (install the Rust toolchain)"
    echo "bench: cargo build --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    cargo build --release || die "cargo build --release failed"
    BIN=$CARGO_TARGET_DIR/release/followup
fi
[ -x "$BIN" ] || die "followup binary not found or not executable: $BIN"

# --- 2. DuckDB in a venv -----------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    echo "bench: creating venv $VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
fi
PY=$VENV/bin/python
if ! "$PY" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
    echo "bench: pip install duckdb==$DUCKDB_VERSION into $VENV"
    "$PY" -m pip install --quiet "duckdb==$DUCKDB_VERSION" || die "pip install duckdb==$DUCKDB_VERSION failed"
fi

# --- 3. input data -------------------------------------------------------------------------
DATA=$WORK/data
echo "bench: followup sample --deals $DEALS --split --seed 7 --out $DATA"
rm -rf "$DATA"
rc=0
"$BIN" sample --deals "$DEALS" --split --seed 7 --out "$DATA" >"$LOGS/sample.out" 2>"$LOGS/sample.err" || rc=$?
if [ "$rc" -ne 0 ]; then
    tail_log "$LOGS/sample.err"
    die "\`followup sample\` failed (exit $rc)"
fi
expect_header() {
    local file=$1 header=$2 got
    [ -s "$file" ] || die "\`followup sample\` did not write $file"
    got=$(head -n 1 "$file" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')
    [ "$got" = "$header" ] || die "$file: header is '$got', expected '$header'"
}
expect_header "$DATA/deals.csv" "deal_id,name,stage,status,amount,currency,created_at,closed_at,cadence,owner"
expect_header "$DATA/touches.csv" "deal_id,at,channel,direction,outcome,subject"

# --- 4. measurements -----------------------------------------------------------------------
# measure LABEL WHAT CMD...: one fresh python process per run, appends to $MEAS/LABEL.jsonl.
measure() {
    local label=$1 what=$2; shift 2
    local i rc
    for ((i = 1; i <= REPEAT; i++)); do
        rc=0
        python3 "$BENCH_DIR/measure.py" --label "$label" \
            --stdout "$LOGS/$label.$i.out" --stderr "$LOGS/$label.$i.err" -- "$@" \
            >>"$MEAS/$label.jsonl" || rc=$?
        if [ "$rc" -ne 0 ]; then
            tail_log "$LOGS/$label.$i.err"
            die "$what failed (exit $rc): $*"
        fi
        printf 'bench: %-9s run %d/%d: %s\n' "$label" "$i" "$REPEAT" "$(tail -n 1 "$MEAS/$label.jsonl" |
            python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3f s, %.1f MB" % (r["wall_s"], r["max_rss_mb"]))')"
    done
}

measure wc "wc -l" wc -l "$DATA/deals.csv" "$DATA/touches.csv"
measure followup "\`followup report\`" "$BIN" report "$DATA/deals.csv" "$DATA/touches.csv" \
    --out "$WORK/report" --force --as-of "$AS_OF"
[ -s "$WORK/report/metrics.json" ] || die "\`followup report\` exited 0 but wrote no $WORK/report/metrics.json"
measure duckdb "DuckDB (bench/metrics.sql)" "$PY" "$BENCH_DIR/duckdb_metrics.py" "$DATA/deals.csv" "$DATA/touches.csv" \
    --as-of "$AS_OF" --recovered-after 2 --stale-days 14 --out "$WORK/duckdb_metrics.json"

# --- 5. table and cross-check (mismatches are reported, not fatal) ----------------------------
python3 "$BENCH_DIR/summarize.py" --measurements "$MEAS" --deals "$DEALS" --data-dir "$DATA" \
    --followup-metrics "$WORK/report/metrics.json" --duckdb-metrics "$WORK/duckdb_metrics.json" \
    --json "$WORK/summary.json" || die "summarize.py failed"
