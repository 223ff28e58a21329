#!/usr/bin/env python3
"""Run bench/metrics.sql with DuckDB (default settings, all threads) and write its JSON.

usage: duckdb_metrics.py DEALS_CSV TOUCHES_CSV --out METRICS_JSON
                         [--as-of YYYY-MM-DD] [--recovered-after N] [--stale-days N]
                         [--sql bench/metrics.sql]
"""
import argparse
import json
import os
import sys
import time

import duckdb


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("deals_csv")
    ap.add_argument("touches_csv")
    ap.add_argument("--out", required=True)
    ap.add_argument("--as-of", default=None)
    ap.add_argument("--recovered-after", type=int, default=2)
    ap.add_argument("--stale-days", type=int, default=14)
    ap.add_argument("--currency", default="USD")
    ap.add_argument("--sql", default=os.path.join(here, "metrics.sql"))
    args = ap.parse_args()

    for path in (args.deals_csv, args.touches_csv):
        if not os.path.isfile(path):
            print(f"duckdb_metrics: no such file: {path}", file=sys.stderr)
            return 2
    with open(args.sql, encoding="utf-8") as f:
        script = f.read()

    t0 = time.perf_counter()
    con = duckdb.connect()  # in-memory, default settings (threads = all cores)
    con.execute("SET VARIABLE deals_csv = ?", [args.deals_csv])
    con.execute("SET VARIABLE touches_csv = ?", [args.touches_csv])
    con.execute("SET VARIABLE recovered_after = ?", [args.recovered_after])
    con.execute("SET VARIABLE stale_days = ?", [args.stale_days])
    con.execute("SET VARIABLE default_currency = ?", [args.currency])
    if args.as_of:
        con.execute("SET VARIABLE as_of = CAST(? AS DATE)", [args.as_of])
    # execute() runs every statement of the script and returns the last one's result.
    row = con.execute(script).fetchone()
    elapsed = time.perf_counter() - t0
    if row is None or row[0] is None:
        print("duckdb_metrics: metrics.sql returned no row", file=sys.stderr)
        return 1
    metrics = json.loads(row[0])
    metrics["_engine"] = {"duckdb": duckdb.__version__, "query_seconds": round(elapsed, 4),
                          "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
