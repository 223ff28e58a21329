#!/usr/bin/env python3
"""Writes the committed seed inputs of each fuzz target into fuzz/seeds/TARGET/ from the
repository's own test inputs (big files cut to a few KB at a line end) and a few
hand-made edge cases. Run from the repository root: python3 fuzz/make_seeds.py"""
import glob, io, json, os, re, shutil, zipfile

SEEDS = "fuzz/seeds"
MAX = 4096


def put(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, re.sub(r"[^A-Za-z0-9_.-]", "_", name)), "wb") as f:
        f.write(data)


def cut(data, limit=MAX):
    """The first lines of a text file, at most `limit` bytes, ending at a line end."""
    if len(data) <= limit:
        return data
    end = data.rfind(b"\n", 0, limit)
    return data[: end + 1] if end > 0 else data[:limit]


def read(p):
    with open(p, "rb") as f:
        return f.read()


shutil.rmtree(SEEDS, ignore_errors=True)

# --- ingest_csv: every CSV the tests and samples read, cut small; hostile files.
csvs = sorted(glob.glob("tests/fixtures/*/*.csv") + glob.glob("tests/fixtures_export/*/*.csv")
              + glob.glob("sample_data/*.csv") + glob.glob("sample_data/hubspot/*.csv"))
for p in csvs:
    put("ingest_csv", p.replace("/", "_"), cut(read(p)))
for p in sorted(glob.glob("tests/hostile/**/*", recursive=True)):
    if os.path.isfile(p) and not p.endswith((".md", ".rs")) and os.path.getsize(p) <= 64 * 1024:
        data = read(p)
        target = {"PK": "ingest_zip"}.get(data[:2].decode("latin1"), "ingest_csv")
        if p.endswith(".xlsx"):
            target = "ingest_xlsx"
        elif p.endswith(".json"):
            target = "ingest_json"
        elif p.endswith(".toml"):
            target = "plan_toml" if b"[cadence" in data else "map_toml"
        put(target, p.replace("/", "_"), data)
log = cut(read("tests/fixtures/cadence_plan/log.csv"), 600)
put("ingest_csv", "crlf.csv", log.replace(b"\n", b"\r\n"))
put("ingest_csv", "cr_only.csv", log.replace(b"\n", b"\r"))
put("ingest_csv", "sep_semicolon.csv", b"sep=;\n" + log.replace(b",", b";"))
put("ingest_csv", "tabs.csv", log.replace(b",", b"\t"))
put("ingest_csv", "utf16le_bom.csv", b"\xff\xfe" + log.decode().encode("utf-16-le"))
put("ingest_csv", "utf16be_bom.csv", b"\xfe\xff" + log.decode().encode("utf-16-be"))
put("ingest_csv", "utf8_bom.csv", b"\xef\xbb\xbf" + log)
put("ingest_csv", "cp1252.csv", log.replace(b"Aspen", b"Caf\xe9"))
put("ingest_csv", "open_quote.csv", log.replace(b"Intro", b'"Intro', 1))

# --- ingest_xlsx: the workbooks as files, and their parts split at NUL.
for p in sorted(glob.glob("tests/fixtures_export/**/*.xlsx", recursive=True)):
    put("ingest_xlsx", p.replace("/", "_"), read(p))
    z = zipfile.ZipFile(p)
    names = z.namelist()
    sheet = z.read("xl/worksheets/sheet1.xml")
    shared = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
    styles = z.read("xl/styles.xml") if "xl/styles.xml" in names else None
    parts = [sheet, shared] + ([styles] if styles else [])
    put("ingest_xlsx", "parts_" + os.path.basename(p), b"\0".join(parts))

# --- ingest_zip: the archives as files, and as NAME\nCONTENT entries split at NUL.
for p in sorted(glob.glob("tests/fixtures_export/**/*.zip", recursive=True)):
    put("ingest_zip", p.replace("/", "_"), read(p))
    z = zipfile.ZipFile(p)
    entries = [n.encode() + b"\n" + cut(z.read(n), 1500) for n in z.namelist() if not n.endswith("/")]
    put("ingest_zip", "entries_" + os.path.basename(p), b"\0".join(entries))
put("ingest_zip", "absolute_name", b"/etc/x.csv\n" + log)
put("ingest_zip", "dot_dot_name", b"../../x.csv\n" + log)

# --- ingest_json: Capsule entries (a few), pages, a metrics.json, UTF-16.
entries = json.load(open("tests/fixtures_export/capsule/entries.json", encoding="utf-8"))
pages = entries if isinstance(entries, list) else [entries]
first = pages[0]["entries"]
put("ingest_json", "page.json", json.dumps({"entries": first[:6]}, ensure_ascii=False, indent=1))
put("ingest_json", "pages.json", json.dumps([{"entries": first[:3]}, {"entries": first[3:6]}], ensure_ascii=False))
put("ingest_json", "utf16_bom.json", b"\xff\xfe" + json.dumps({"entries": first[:2]}).encode("utf-16-le"))
put("ingest_json", "not_entries.json", b'{"kases": []}')
for p in sorted(glob.glob("tests/fixtures_export/pipedrive*/*.json")):
    v = json.load(open(p, encoding="utf-8"))
    pages = v if isinstance(v, list) else [v]
    for pg in pages:
        if isinstance(pg, dict) and isinstance(pg.get("data"), list):
            pg["data"] = pg["data"][:4]
    put("ingest_json", os.path.basename(p), json.dumps(v, ensure_ascii=False, indent=1))
for p in sorted(glob.glob("fuzz/seed_inputs/metrics*.json")):
    put("ingest_json", os.path.basename(p), read(p))

# --- map_toml: the maps of the docs and tests, alone and with a CSV after a NUL.
readme = read("README.md").decode()
m = re.search(r"```toml\n(\[columns\].*?)```", readme, re.S)
if m:
    put("map_toml", "readme_map.toml", m.group(1))
src = read("tests/mapping.rs").decode()
m = re.search(r'const MAP: &str = r#"(.*?)"#;', src, re.S)
o = re.search(r'const ODD: &str = "(.*?)";', src, re.S)
if m and o:
    odd = o.group(1).replace("\\\n", "").replace('\\"', '"').replace("\\n", "\n")
    put("map_toml", "tests_map.toml", m.group(1))
    put("map_toml", "tests_map_with_csv", m.group(1).encode() + b"\0" + odd.encode())
put("map_toml", "deals_map.toml", '[columns]\nname = "Company"\nstage = "Stage"\namount = "Value"\n\n[status]\n"Signed" = "won"\n')

# --- plan_toml: the plans of the samples and fixtures.
for p in ["sample_data/cadence_plan.toml", "tests/fixtures/cadence_plan/plan.toml"]:
    put("plan_toml", p.replace("/", "_"), read(p))
put("plan_toml", "plan_with_log", read("tests/fixtures/cadence_plan/plan.toml") + b"\0" + log)

# --- cells: one flag byte (bit 0 --day-first, bits 1-3 a time zone), then a cell.
cells = ["2026-10-31", "2026-10-31 16:14", "2026-10-31T16:14:05.123Z", "2026-10-31T16:14:05+02:00",
         "2026/10/31", "10/31/2026 4:14 PM", "31/10/2026", "31.10.2026", "1/2/26", "10/31/26",
         "2026-10-31 10:00 -0530", "2026-10-31 12:00 am", "1234.50", "$1,234.50", "1.234,50 €",
         "(1,200)", "-5", "EUR 12", "12 GBP", "£3,000", "¥1000", "1.92236E+11", "14.0", "true", "No",
         "Closed Won", "in progress", "Phone call", "Inbound", "Out of office", "Automatic reply: away",
         "sep=;", "Café", "\u00a0 42 \u00a0"]
for i, c in enumerate(cells):
    put("cells", f"cell_{i:02}", bytes([i % 16]) + c.encode())
put("cells", "serial_45961.5", bytes([0]) + __import__("struct").pack("<d", 45961.5) + b" x")
