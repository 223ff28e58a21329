#!/usr/bin/env python3
"""Summarise a benchmark run: timing/memory table with targets, and a cross-check of
followup's metrics.json against DuckDB's numbers.

usage: summarize.py --measurements DIR --followup-metrics FILE --duckdb-metrics FILE
                    [--json OUT] [--deals N] [--data-dir DIR]

DIR holds one JSON-lines file per label (wc.jsonl, followup.jsonl, duckdb.jsonl), each
line a measure.py result. Always exits 0 when it could read its inputs: a mismatch is
information, not a failure.
"""
import argparse
import json
import math
import os
import statistics
import sys

TIME_TARGET = 0.30  # followup time / DuckDB time (issue 12)
MEM_TARGET = 0.25  # followup peak RSS / DuckDB peak RSS (issue 12)


def load_runs(path):
    runs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))
    return runs


def stats(runs):
    return {
        "runs": len(runs),
        "wall_s_median": statistics.median(r["wall_s"] for r in runs),
        "wall_s_all": [r["wall_s"] for r in runs],
        "max_rss_mb": max(r["max_rss_mb"] for r in runs),
    }


MISSING = object()


def get(doc, path):
    """Follow a dotted path ('a.b.c'); MISSING where any step is absent."""
    cur = doc
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return MISSING
    return cur


def same(a, b):
    if a is MISSING or b is MISSING:
        return False
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def show(v):
    return "(missing)" if v is MISSING else json.dumps(v)


def cross_check(tool, ddb):
    """Return (checked, mismatches); each mismatch is (field, followup value, duckdb value)."""
    checked = 0
    mismatches = []

    def check(field, required=True):
        nonlocal checked
        a, b = get(tool, field), get(ddb, field)
        if a is MISSING and not required:
            return  # an optional field the tool does not write: nothing to compare
        checked += 1
        if not same(a, b):
            mismatches.append((field, show(a), show(b)))

    # response_by_touch[].sent / .responded, matched by touch number
    t_rows = get(tool, "response_by_touch")
    d_rows = get(ddb, "response_by_touch")
    if not isinstance(t_rows, list):
        checked += 1
        mismatches.append(("response_by_touch", show(t_rows), f"list of {len(d_rows)} rows"))
    else:
        t_by = {r.get("touch"): r for r in t_rows if isinstance(r, dict)}
        d_by = {r["touch"]: r for r in d_rows}
        for k in sorted(set(t_by) | set(d_by), key=lambda x: (x is None, x)):
            for col in ("sent", "responded"):
                checked += 1
                a = t_by[k].get(col, MISSING) if k in t_by else MISSING
                b = d_by[k][col] if k in d_by else MISSING
                if not same(a, b):
                    mismatches.append((f"response_by_touch[touch={k}].{col}", show(a), show(b)))

    for field in ("touches_to_close.mean", "touches_to_close.median",
                  "touches_before_loss.mean",
                  "conversion_after_follow_up.won", "conversion_after_follow_up.lost",
                  "conversion_after_follow_up.open",
                  "revenue_recovered.deals"):
        check(field)

    # give_up.buckets[].deals, matched by bucket label
    t_b = get(tool, "give_up.buckets")
    d_b = {r["bucket"]: r["deals"] for r in ddb["give_up"]["buckets"]}
    t_map = {r.get("bucket"): r.get("deals", MISSING) for r in t_b} if isinstance(t_b, list) else {}
    for bucket in d_b:
        checked += 1
        if not same(t_map.get(bucket, MISSING), d_b[bucket]):
            mismatches.append((f"give_up.buckets[{bucket}].deals",
                               show(t_map.get(bucket, MISSING)), show(d_b[bucket])))

    # Further fields SPEC §3 pins down without a period: compared when the tool writes them.
    for field in ("deals.total", "deals.won", "deals.lost", "deals.open",
                  "deals.inbound_initiated",
                  "touches_to_close.won", "touches_to_close.untracked",
                  "touches_before_loss.lost", "touches_before_loss.untracked",
                  "touches_before_loss.median",
                  "conversion_after_follow_up.followed_up",
                  "conversion_after_follow_up.rate",
                  "conversion_after_follow_up.single_touch_rate",
                  "revenue_recovered.no_amount", "give_up.deals"):
        check(field, required=False)
    return checked, mismatches


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--measurements", required=True)
    ap.add_argument("--followup-metrics", required=True)
    ap.add_argument("--duckdb-metrics", required=True)
    ap.add_argument("--json", default=None)
    ap.add_argument("--deals", default=None)
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args()

    m = {label: stats(load_runs(os.path.join(args.measurements, f"{label}.jsonl")))
         for label in ("wc", "followup", "duckdb")}
    fu, dd, wc = m["followup"], m["duckdb"], m["wc"]
    t_ratio = fu["wall_s_median"] / dd["wall_s_median"] if dd["wall_s_median"] > 0 else float("inf")
    m_ratio = fu["max_rss_mb"] / dd["max_rss_mb"] if dd["max_rss_mb"] > 0 else float("inf")
    t_ok, m_ok = t_ratio <= TIME_TARGET, m_ratio <= MEM_TARGET

    print()
    print("== followup benchmark ==")
    if args.data_dir:
        sizes = []
        for name in ("deals.csv", "touches.csv"):
            p = os.path.join(args.data_dir, name)
            if os.path.exists(p):
                sizes.append(f"{name} {os.path.getsize(p) / 1e6:.1f} MB")
        print(f"input: {args.deals or '?'} deals; " + ", ".join(sizes))
    print(f"runs per command: {fu['runs']} (time: median, memory: max)")
    print(f"baseline `wc -l` over both CSVs: {wc['wall_s_median']:.3f} s")
    print()
    print(f"{'':<12}{'followup':>12}{'DuckDB':>12}{'ratio':>9}{'target':>10}  result")
    print(f"{'time (s)':<12}{fu['wall_s_median']:>12.3f}{dd['wall_s_median']:>12.3f}"
          f"{t_ratio:>8.2f}x{f'<= {TIME_TARGET}x':>10}  {'PASS' if t_ok else 'MISS'}")
    print(f"{'peak (MB)':<12}{fu['max_rss_mb']:>12.1f}{dd['max_rss_mb']:>12.1f}"
          f"{m_ratio:>8.2f}x{f'<= {MEM_TARGET}x':>10}  {'PASS' if m_ok else 'MISS'}")
    print(f"all runs (s): followup {fu['wall_s_all']}, DuckDB {dd['wall_s_all']}, wc {wc['wall_s_all']}")

    with open(args.followup_metrics, encoding="utf-8") as f:
        tool = json.load(f)
    with open(args.duckdb_metrics, encoding="utf-8") as f:
        ddb = json.load(f)
    engine = ddb.get("_engine", {})
    if engine:
        print(f"DuckDB {engine.get('duckdb')} ({engine.get('threads')} threads), "
              f"query time inside the process: {engine.get('query_seconds')} s")

    checked, mismatches = cross_check(tool, ddb)
    print()
    print(f"== cross-check: followup metrics.json vs DuckDB ({checked} values) ==")
    if not mismatches:
        print("MATCH")
    else:
        print(f"{len(mismatches)} MISMATCH(ES):")
        for field, a, b in mismatches[:200]:
            print(f"  {field}: followup {a}, DuckDB {b}")
        if len(mismatches) > 200:
            print(f"  ... and {len(mismatches) - 200} more")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({
                "deals": args.deals,
                "measurements": m,
                "time_ratio": t_ratio, "time_target": TIME_TARGET, "time_pass": t_ok,
                "memory_ratio": m_ratio, "memory_target": MEM_TARGET, "memory_pass": m_ok,
                "cross_check": {"checked": checked, "match": not mismatches,
                                "mismatches": [list(x) for x in mismatches]},
            }, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
