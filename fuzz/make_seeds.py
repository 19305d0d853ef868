#!/usr/bin/env python3
"""Write the fuzz seeds into fuzz/seeds/<target>/ (run from the repository root).

Text seeds are the sample plans (whole, cut short, and re-encoded in UTF-16 and cp1258). The
image and PDF seeds are made here: a small PDF with a text layer (ASCII text in Helvetica), the
same with a `.VnTime` font (the legacy TCVN3 path), its page rendered by PDFium (pypdfium2, found
through KEHOACH_PDFIUM's package directory or PYTHONPATH) to grey pixels and written as PNG and
TIFF, and a scanned PDF holding that image. The JPEG seed is a tiny JPEG from Python's own test
data (`test/imghdrdata/python.jpg`), since nothing else here writes JPEG."""
import glob, os, shutil, struct, sys, sysconfig, unicodedata, zlib

root = os.getcwd()
out = os.path.join(root, "fuzz", "seeds")
pdfium_dir = os.environ.get("KEHOACH_PDFIUM", "")
if pdfium_dir:
    sys.path.insert(0, os.path.dirname(os.path.dirname(pdfium_dir)))
import pypdfium2 as pdfium  # noqa: E402


def write(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def pdf(objects):
    """A PDF from object bodies (object 1 is the catalogue), with a correct xref table."""
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        body += b"%010d 00000 n \n" % off
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def stream(data, extra=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


LINES = [
    b"UBND HUYEN A",
    b"So: 12/KH-UBND",
    b"A, ngay 02 thang 3 nam 2024",
    b"KE HOACH",
    b"I. MUC TIEU",
    b"- 90% ho gia dinh dat chuan truoc ngay 30/6/2024.",
    b"II. NHIEM VU",
    b"1. Phong Giao duc chu tri, phoi hop UBND cac xa.",
]
# The first lines again in TCVN3 bytes, as a .VnTime text layer holds them.
TCVN3 = [s.encode("latin-1") for s in ["UBND HUYÖN A", "KÕ HO¹CH", "I. MôC TI£U", "- §¹t 90% hé gia ®×nh."]]


def text_pdf(lines, font):
    content = b"BT /F1 11 Tf 40 380 Td 14 TL\n"
    for line in lines:
        content += b"(" + line.replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*\n"
    content += b"ET"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 420] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /" + font + b" /Encoding /WinAnsiEncoding >>",
    ])


def scan_pdf(w, h, grey):
    img = zlib.compress(grey)
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>" % (w, h),
        stream(b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (w, h)),
        stream(img, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Filter /FlateDecode" % (w, h)),
    ])


def png(w, h, grey):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + grey[y * w:(y + 1) * w] for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def tiff(w, h, grey):
    """Uncompressed 8-bit grey, little-endian, one strip."""
    entries = [(256, 3, 1, w), (257, 3, 1, h), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8), (277, 3, 1, 1), (278, 3, 1, h), (279, 4, 1, len(grey)),
               (282, 5, 1, 0), (283, 5, 1, 0), (296, 3, 1, 2)]
    ifd_at = 8 + len(grey)
    rational_at = ifd_at + 2 + 12 * len(entries) + 4
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if kind == 5:
            value = rational_at + (0 if tag == 282 else 8)
        if kind == 3:
            ifd += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 0)
    rationals = struct.pack("<IIII", 72, 1, 72, 1)
    return b"II*\0" + struct.pack("<I", ifd_at) + grey + ifd + rationals


def render(pdf_bytes, scale):
    page = pdfium.PdfDocument(pdf_bytes)[0]
    bm = page.render(scale=scale, grayscale=True)
    w, h, stride = bm.width, bm.height, bm.stride
    buf = bytes(bm.buffer)
    return w, h, b"".join(buf[y * stride:y * stride + w] for y in range(h))


shutil.rmtree(out, ignore_errors=True)

# Text: the sample plans, whole and cut short, and re-encoded.
for path in sorted(glob.glob(os.path.join(root, "samples", "*.txt"))):
    name = os.path.basename(path)
    text = open(path, encoding="utf-8").read()
    short = "\n".join(text.splitlines()[:40])
    for target in ("ingest", "restore"):
        write(target, name, text.encode())
        write(target, "short-" + name, short.encode())
    write("ingest", "utf16-" + name, short.encode("utf-16"))
    cp = unicodedata.normalize("NFD", short).encode("cp1258", errors="replace")
    write("ingest", "cp1258-" + name, cp)
    write("restore", "stripped-" + name,
          "".join(c for c in unicodedata.normalize("NFD", short) if not "\u0300" <= c <= "\u036f")
          .replace("đ", "d").replace("Đ", "D").encode())

# PDFs, images.
text = text_pdf(LINES, b"Helvetica")
legacy = text_pdf(TCVN3, b".VnTime")
w, h, grey = render(text, 0.5)
W, H, GREY = render(text, 1.0)  # 72 dpi, readable: compressed PNG only
scan = scan_pdf(w, h, grey)
jpeg = None
for p in glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "test", "*", "python.jpg")):
    jpeg = open(p, "rb").read()
    break
for target in ("ingest", "pdf"):
    write(target, "text.pdf", text)
    write(target, "vntime.pdf", legacy)
    write(target, "scan.pdf", scan)
for target in ("ingest", "image"):
    write(target, "page.png", png(W, H, GREY))
    write(target, "page.tif", tiff(w, h, grey))
    if jpeg:
        write(target, "python.jpg", jpeg)
print("seeds in", out, "page image", w, "x", h, "jpeg" if jpeg else "no jpeg")
