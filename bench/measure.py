#!/usr/bin/env python3
"""Run one command and print its wall time and peak memory as JSON.

usage: measure.py [--label NAME] [--stdout FILE] [--stderr FILE] -- COMMAND [ARG...]

Run it in a fresh python process per measured command: ru_maxrss of RUSAGE_CHILDREN is
the peak resident set of the largest child this process has waited for, so one process
per measurement keeps runs apart. The command is run directly (no shell), so the number
is the command's own peak, not a shell's. Exit status: the command's (127 if it could
not be started); the JSON line is printed either way.
"""
import argparse
import json
import resource
import subprocess
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="")
    ap.add_argument("--stdout", default=None, help="file for the command's stdout (default: discard)")
    ap.add_argument("--stderr", default=None, help="file for the command's stderr (default: inherit)")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command given")

    out = open(args.stdout, "wb") if args.stdout else subprocess.DEVNULL
    err = open(args.stderr, "wb") if args.stderr else None
    t0 = time.perf_counter()
    try:
        rc = subprocess.run(cmd, stdout=out, stderr=err).returncode
    except OSError as e:
        print(f"measure.py: cannot run {cmd[0]}: {e}", file=sys.stderr)
        rc = 127
    wall = time.perf_counter() - t0
    # Linux reports ru_maxrss in KiB.
    maxrss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "label": args.label,
        "command": cmd,
        "returncode": rc,
        "wall_s": round(wall, 6),
        "max_rss_mb": round(maxrss_kib / 1024.0, 3),
    }))
    return rc


if __name__ == "__main__":
    sys.exit(main())
