#!/usr/bin/env python3
"""Writes a CSV customer export (gen_csv.py's) again as a workbook, the way spreadsheet programs
store one: one sheet, text cells as shared strings, ids, phone numbers, SSNs and ZIP codes as
numbers (as typed into a spreadsheet), dates of birth as serial numbers in a date format, all
deflated. Usage: gen_xlsx.py IN.csv OUT.xlsx"""
import csv, datetime, sys, zipfile
from xml.sax.saxutils import escape

NUMERIC = {"id", "phone", "ssn", "zip"}
DATES = {"birth_date"}
strings, index = [], {}

def shared(text):
    if text not in index:
        index[text] = len(strings)
        strings.append(text)
    return index[text]

def column(k):
    name = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        name = chr(65 + r) + name
    return name

with open(sys.argv[1], newline="") as f, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    reader = csv.reader(f)
    header = next(reader)
    kinds = ["date" if h in DATES else "n" if h in NUMERIC else "s" for h in header]
    epoch = datetime.date(1899, 12, 30)
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
        out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:{column(len(header) - 1)}1"/><sheetData>']
        out.append('<row r="1">' + "".join(f'<c r="{column(k)}1" t="s"><v>{shared(h)}</v></c>' for k, h in enumerate(header)) + "</row>")
        for r, row in enumerate(reader, start=2):
            cells = []
            for k, v in enumerate(row):
                if v == "":
                    continue
                ref = f"{column(k)}{r}"
                if kinds[k] == "n":
                    cells.append(f'<c r="{ref}"><v>{v}</v></c>')
                elif kinds[k] == "date":
                    serial = (datetime.date.fromisoformat(v) - epoch).days
                    cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
                else:
                    cells.append(f'<c r="{ref}" t="s"><v>{shared(v)}</v></c>')
            out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
            if len(out) >= 10000:
                sheet.write("".join(out).encode())
                out = []
        out.append("</sheetData></worksheet>")
        sheet.write("".join(out).encode())
    z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
               + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    z.writestr("xl/styles.xml", '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
               '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')
    z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
               '<sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
               '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
