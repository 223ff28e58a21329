#!/usr/bin/env python3
"""Writes this folder's Capsule fixture from ../../fixtures/response_by_touch_km/log.csv.

capsule-export-2026-10-31.zip: the account export (Contacts.csv, Opportunities.csv,
Projects.csv; UI labels, ISO dates); entries.json: the API entries listing, two pages.
Run from this folder: python3 make_fixture.py (deterministic output).
"""
import csv, io, json, zipfile

LOG = "../../fixtures/response_by_touch_km/log.csv"
rows = list(csv.DictReader(open(LOG, encoding="utf-8")))

ids = {}
for r in rows:
    ids.setdefault(r["Deal ID"], 8812001 + len(ids))

# Milestones: closed deals as Capsule writes them (old accounts close by milestone;
# renamed closing milestones end in "(Legacy)"); open deals keep their stage.
milestone = {"K-A": "Won", "K-C": "Lost", "K-D": "Won (Legacy)", "K-F": "Won", "K-G": "Lost (Legacy)", "K-I": "Lost"}
# Probability is never read: K-H is an open lead at 0%.
probability = {"K-A": 100, "K-D": 100, "K-F": 100, "K-C": 0, "K-G": 0, "K-I": 0, "K-H": 0}

opps = io.StringIO()
w = csv.writer(opps, lineterminator="\n")
w.writerow(["ID", "Name", "Description", "Party", "Milestone", "Value", "Currency", "Probability",
            "Expected Close Date", "Closed Date", "Lost Reason", "Owner", "Tags", "Created", "Cadence"])
seen = set()
for r in rows:
    d = r["Deal ID"]
    if d in seen:
        continue
    seen.add(d)
    closed = r["Close date"]
    w.writerow([ids[d], r["Deal"], "", r["Deal"] + " Ltd", milestone.get(d, r["Deal stage"]),
                f'{float(r["Value"]):.2f}', r["Currency"], probability.get(d, 40),
                closed or "2026-12-15", closed, "Price" if milestone.get(d, "").startswith("Lost") else "",
                r["Owner"], "", r["Created"] + "T09:00:00Z", r["Cadence"]])

contacts = ("Type,First Name,Last Name,Organisation,Job Title,Email Address,Phone Number,Owner,Created\n"
            "person,Ana,Díaz,Alder Hardware Ltd,Owner,ana@alder.example,+44 20 7946 0001,Ana,2026-08-28T09:00:00Z\n"
            "organisation,,,Basil Bistro Ltd,,info@basil.example,,Ben,2026-08-28T09:00:00Z\n")
# Status and Name would pass for a generic deals file: it is skipped by its name.
projects = ("Name,Description,Status,Opportunity,Owner,Created,Closed\n"
            "Alder onboarding,Set up the account,Open,Alder Hardware,Ana,2026-09-21T09:00:00Z,\n")

with zipfile.ZipFile("capsule-export-2026-10-31.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in [("Contacts.csv", contacts), ("Opportunities.csv", opps.getvalue()), ("Projects.csv", projects)]:
        info = zipfile.ZipInfo(name, date_time=(2026, 10, 31, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode("utf-8"))

user = {"Ana": {"id": 1950471, "name": "Ana"}, "Ben": {"id": 1950472, "name": "Ben"}}
call_content = {"Connected": "Spoke to the owner; wants a quote", "Answered": "Talked to Dana about dates",
                "Left voicemail": "Left voicemail", "No answer": "No answer"}
entries = []
for i, r in enumerate(rows):
    d = r["Deal ID"]
    party = {"id": 31936000 + ids[d] % 1000, "type": "organisation", "name": r["Deal"] + " Ltd"}
    e = {"id": 55000001 + i, "entryAt": r["Date"].replace(" ", "T") + ":00Z",
         "creator": user[r["Owner"]], "party": party,
         "opportunity": {"id": ids[d], "name": r["Deal"]}}
    method = r["Contact method"]
    if method == "Email":
        ours = {"address": r["Owner"].lower() + "@ourteam.example", "party": None}
        theirs = {"address": "hello@" + r["Deal"].split()[0].lower() + ".example", "party": party}
        frm, to = (theirs, ours) if r["Direction"] == "Inbound" else (ours, theirs)
        e.update({"type": "email", "subject": r["Subject"], "content": "…",
                  "participants": [dict(frm, role="FROM"), dict(to, role="TO")]})
    elif method == "Call":
        e.update({"type": "note", "activityType": {"id": -3, "name": "Call"}, "content": call_content[r["Outcome"]]})
    elif method == "Meeting":
        e.update({"type": "note", "activityType": {"id": -2, "name": "Meeting"}, "content": r["Subject"]})
    elif method == "LinkedIn":
        # A custom activity type (Capsule Teams).
        e.update({"type": "note", "activityType": {"id": 90101, "name": "LinkedIn"}, "content": r["Subject"]})
    else:
        raise SystemExit(f"unexpected method {method}")
    entries.append(e)

pages = [{"entries": entries[:20]}, {"entries": entries[20:]}]
with open("entries.json", "w", encoding="utf-8") as f:
    json.dump(pages, f, ensure_ascii=False, indent=1)
    f.write("\n")

# opportunities.xlsx: the same opportunities as an Excel list export (a workbook written
# by hand: shared nothing, inline strings; closed dates as date cells, i.e. Excel serial
# numbers with a date format; values as numbers).
from datetime import date
from xml.sax.saxutils import escape

def col(i):
    return chr(ord("A") + i)

def cell(ref, v):
    if v == "":
        return ""
    if isinstance(v, date):
        return f'<c r="{ref}" s="1"><v>{(v - date(1899, 12, 30)).days}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'

table = list(csv.reader(io.StringIO(opps.getvalue())))
rows_xml = []
for r, values in enumerate(table, start=1):
    cells = []
    for i, v in enumerate(values):
        h = table[0][i]
        if r > 1 and h in ("ID", "Probability"):
            v = int(v)
        elif r > 1 and h == "Value":
            v = float(v)
        elif r > 1 and h in ("Expected Close Date", "Closed Date") and v:
            v = date.fromisoformat(v)
        cells.append(cell(f"{col(i)}{r}", v))
    rows_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         + "".join(rows_xml) + '</sheetData></worksheet>')
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Opportunities" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml": sheet,
}
with zipfile.ZipFile("opportunities.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2026, 10, 31, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode("utf-8"))
