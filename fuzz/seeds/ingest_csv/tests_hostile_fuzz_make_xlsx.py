#!/usr/bin/env python3
"""Writes xlsx_date_serials_past_year_9999.xlsx (run from this folder): a deals sheet
whose date-styled closed_at cells hold serials millions of years after 1899-12-30.
2147483000 overflowed the day arithmetic of excel_serial_to_text (found by the cells
fuzz target: a panic with overflow checks, "-5877713-09-11" without); 4295013622 is
2^32 days after 2026-10-31 and wrapped to exactly that date, read as a valid close."""
import zipfile

CT = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
WB = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>'
WBR = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'
ST = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'
DATE = ' s="1"'


def text(ref, v):
    return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'


def num(ref, v, style=""):
    return f'<c r="{ref}"{style}><v>{v}</v></c>'


head = ["deal_id", "name", "stage", "status", "amount", "currency", "created_at", "closed_at"]
rows = ['<row r="1">' + "".join(text(f"{'ABCDEFGH'[i]}1", h) for i, h in enumerate(head)) + "</row>"]
# Row 2: closed_at 2147483000 days after 1899-12-30.
rows.append('<row r="2">' + text("A2", "K-A") + text("B2", "Alder Hardware") + text("C2", "Closed Won") + text("D2", "won")
            + num("E2", 8000) + text("F2", "USD") + num("G2", 46262, DATE) + num("H2", 2147483000, DATE) + "</row>")
# Row 3: closed_at 2^32 days after 2026-10-31 (serial 4295013622).
rows.append('<row r="3">' + text("A3", "K-C") + text("B3", "Cedar Clinic") + text("C3", "Closed Won") + text("D3", "won")
            + num("E3", 2500) + text("F3", "USD") + num("G3", 46262, DATE) + num("H3", 4295013622, DATE) + "</row>")
# Row 4: an ordinary won deal, which must still be read.
rows.append('<row r="4">' + text("A4", "K-B") + text("B4", "Basil Bistro") + text("C4", "Closed Won") + text("D4", "won")
            + num("E4", 1500) + text("F4", "USD") + num("G4", 46262, DATE) + num("H4", 46285.5, DATE) + "</row>")
SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         + "".join(rows) + "</sheetData></worksheet>")
with zipfile.ZipFile("xlsx_date_serials_past_year_9999.xlsx", "w") as z:
    for name, body in [("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WB),
                       ("xl/_rels/workbook.xml.rels", WBR), ("xl/styles.xml", ST), ("xl/worksheets/sheet1.xml", SHEET)]:
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, body)
