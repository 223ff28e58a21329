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
