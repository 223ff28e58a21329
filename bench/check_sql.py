#!/usr/bin/env python3
"""Check bench/metrics.sql against the hand-computed fixture in bench/fixtures/.

usage: $HOME/.cache/followup-bench-venv/bin/python bench/check_sql.py
Exit 0 when every expected number matches, 1 otherwise.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")


def run(as_of):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "m.json")
        cmd = [sys.executable, os.path.join(HERE, "duckdb_metrics.py"),
               os.path.join(FIX, "deals.csv"), os.path.join(FIX, "touches.csv"), "--out", out]
        if as_of:
            cmd += ["--as-of", as_of]
        subprocess.run(cmd, check=True)
        with open(out, encoding="utf-8") as f:
            return json.load(f)


def compare(exp, got, path, errors):
    if isinstance(exp, dict):
        for k, v in exp.items():
            if k.startswith("_") or k == "default_as_of":
                continue
            if not isinstance(got, dict) or k not in got:
                errors.append(f"{path}.{k}: missing")
            else:
                compare(v, got[k], f"{path}.{k}", errors)
    elif isinstance(exp, list):
        if not isinstance(got, list) or len(got) != len(exp):
            errors.append(f"{path}: expected {len(exp)} items, got {got!r}")
        else:
            for i, (e, g) in enumerate(zip(exp, got)):
                compare(e, g, f"{path}[{i}]", errors)
    elif isinstance(exp, float) and isinstance(got, (int, float)):
        if not math.isclose(exp, got, rel_tol=1e-9, abs_tol=1e-12):
            errors.append(f"{path}: expected {exp}, got {got}")
    elif exp != got:
        errors.append(f"{path}: expected {exp!r}, got {got!r}")


def main() -> int:
    with open(os.path.join(FIX, "expected.json"), encoding="utf-8") as f:
        exp = json.load(f)
    errors = []
    compare(exp, run(exp["as_of"]), "", errors)
    dflt = run(None)
    if dflt["as_of"] != exp["default_as_of"]["as_of"]:
        errors.append(f"default as_of: expected {exp['default_as_of']['as_of']}, got {dflt['as_of']}")
    got_b = [b["deals"] for b in dflt["give_up"]["buckets"]]
    if got_b != exp["default_as_of"]["give_up_buckets"]:
        errors.append(f"default as_of give_up: expected {exp['default_as_of']['give_up_buckets']}, got {got_b}")
    for e in errors:
        print("MISMATCH", e)
    print("metrics.sql fixture: " + ("OK" if not errors else f"{len(errors)} mismatch(es)"))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
