#!/usr/bin/env python3
"""Makes tests/data/plan_phu_loc.odt and tests/data/plan_tan_an.rtf, the ODT and RTF fixtures of
tests/ingest_office.rs: two short plans written for the tests (no real document's text), typed
as Word would (the two-column header as a table), saved as DOCX here and converted once with
LibreOffice (`soffice --convert-to odt|rtf`). Run from the repository root; needs soffice."""
import os, subprocess, sys, tempfile, zipfile
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

def p(t):
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'

def docx(path, header, body):
    left = "".join(p(a) for a, _ in header)
    right = "".join(p(b) for _, b in header)
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'
           f'<w:tbl><w:tr><w:tc>{left}</w:tc><w:tc>{right}</w:tc></w:tr></w:tbl>'
           + "".join(p(t) for t in body) + '</w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", xml)

PLANS = {
    "plan_phu_loc.odt": (
        [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
         ("XÃ PHÚ LỘC", "Độc lập - Tự do - Hạnh phúc"),
         ("Số: 18/KH-UBND", "Phú Lộc, ngày 12 tháng 8 năm 2025")],
        ["KẾ HOẠCH",
         "Tổ chức Ngày hội đọc sách cho thiếu nhi năm 2025",
         "I. MỤC ĐÍCH, YÊU CẦU",
         "Khơi dậy thói quen đọc sách trong thiếu nhi trên địa bàn xã.",
         "II. NHIỆM VỤ",
         "1. Văn hóa - Xã hội chủ trì, phối hợp với các trường học trưng bày sách trước ngày 25/8/2025.",
         "2. Phấn đấu 80% học sinh tiểu học tham gia ngày hội."]),
    "plan_tan_an.rtf": (
        [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
         ("PHƯỜNG TÂN AN", "Độc lập - Tự do - Hạnh phúc"),
         ("Số: 07/KH-UBND", "Tân An, ngày 03 tháng 2 năm 2026")],
        ["KẾ HOẠCH",
         "Ra quân làm sạch đường phố đầu xuân năm 2026",
         "I. MỤC ĐÍCH",
         "Giữ gìn cảnh quan sạch đẹp trên các tuyến đường của phường.",
         "II. NỘI DUNG",
         "1. Các khu phố ra quân dọn vệ sinh vào sáng Chủ nhật hằng tuần.",
         "2. Thu gom 100% rác thải tồn đọng trước ngày 28/2/2026."]),
}

out = os.path.join(os.getcwd(), "tests", "data")
with tempfile.TemporaryDirectory() as tmp:
    for name, (header, body) in PLANS.items():
        stem, ext = os.path.splitext(name)
        src = os.path.join(tmp, stem + ".docx")
        docx(src, header, body)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", ext[1:], "--outdir", out, src], check=True)
print("wrote", ", ".join(PLANS), "into", out, file=sys.stderr)
