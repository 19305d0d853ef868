//! One document's page: its fields as a person reads them, its page images beside the restored
//! text, its section tree and its tables of targets, tasks, deadlines, legal bases and
//! responsible bodies. Every value with a span is an `.item` carrying `data-span="start,end"`
//! (chars of `text`) and `data-page`; the script highlights that span in the text and outlines
//! the page's image on hover, on click, and for the item a URL fragment names (`#task-3`).

use super::html::{esc, or_dash, page as shell};
use super::images::PageImages;
use super::text;
use super::types::Entry;
use crate::contract::{Deadline, Document, Section, SourcePage};
use crate::span::{Span, TextIndex};
use std::fmt::Write;

/// What a reviewer is told about highlights on scans: the JSON has no word boxes.
const NO_BOXES: &str = "Vị trí từng chữ trên ảnh (hộp chữ OCR) không có trong JSON của kehoach \
    (source.pages[] không mang bố cục trang): chọn một giá trị sẽ tô nó trong văn bản và viền \
    ảnh của trang chứa nó.";

/// The page of a document (the shell included).
pub fn page(e: &Entry, doc: &Document, shown: &PageImages) -> String {
    let name = match &e.row.part {
        Some(p) => format!("{} › {p}", e.row.input),
        None => e.row.input.clone(),
    };
    let stem = e
        .page
        .clone()
        .unwrap_or_else(|| name.clone())
        .trim_end_matches(".html")
        .to_string();
    let fields = Fields::of(doc);
    let mut spans: Vec<Span> = fields.rows.iter().filter_map(|r| r.span).collect();
    spans.extend(all_spans(doc));
    let pages = &doc.source.pages;

    let mut b = String::new();
    let r = &doc.restoration;
    let any_image = shown.files.iter().any(Option::is_some);
    let _ = write!(
        b,
        "<header class=\"top\"><a class=\"back\" href=\"index.html\">← Danh sách</a>\
         <h1>{}</h1><p class=\"sub\">{} · {} trang · khôi phục: {} ({} từ đã đổi, {} từ không \
         chắc, tin cậy trung bình {:.0}%)</p></header>\n<main class=\"doc{}\" data-doc=\"{}\">\n",
        esc(&name),
        esc(&format!("{:?}", doc.source.format).to_lowercase()),
        pages.len(),
        esc(r.channel.as_deref().unwrap_or("—")),
        r.changed_words,
        r.uncertain.len(),
        r.mean_confidence * 100.0,
        if any_image { "" } else { " no-images" },
        esc(&stem),
    );

    // Page images | text | fields and tables, side by side, each scrolling on its own.
    b.push_str("<div class=\"pages\" id=\"pages\">\n");
    for note in &shown.notes {
        let _ = writeln!(b, "<p class=\"note\">{}</p>", esc(note));
    }
    if any_image && pages.iter().any(|p| p.ocr_confidence.is_some()) {
        let _ = writeln!(b, "<p class=\"note\" id=\"no-boxes\">{}</p>", esc(NO_BOXES));
    }
    for (p, file) in pages.iter().zip(&shown.files) {
        figure(&mut b, p, file.as_deref());
    }
    if !any_image && shown.notes.is_empty() {
        b.push_str("<p class=\"note\">Văn bản không có ảnh trang (tệp văn bản hoặc Word).</p>\n");
    }
    b.push_str("</div>\n<div class=\"textcol\">\n<p class=\"legend\">\
        <mark class=\"unc\">từ không chắc</mark> <mark class=\"unc chg\">từ đã sửa, không chắc</mark> \
        <span class=\"hl\">giá trị đang chọn</span> · nhấn đúp một từ để sửa cách đọc</p>\n\
        <div id=\"text\" class=\"text\" lang=\"vi\">");
    b.push_str(&text::render(&doc.text, pages, &r.uncertain, &spans));
    b.push_str("</div>\n</div>\n<aside class=\"panel\" id=\"panel\">\n");
    fields.write(&mut b, doc);
    sections(&mut b, doc);
    targets(&mut b, doc);
    tasks(&mut b, doc);
    deadlines(&mut b, doc);
    legal_bases(&mut b, doc);
    bodies(&mut b, doc);
    uncertain(&mut b, doc);
    warnings(&mut b, doc);
    b.push_str(CORRECTIONS);
    b.push_str("</aside>\n</main>\n");
    b.push_str(FIX_DIALOG);
    shell(&name, &b)
}

/// Every span the page's items link to.
fn all_spans(doc: &Document) -> Vec<Span> {
    let mut out = vec![];
    fn walk(s: &[Section], out: &mut Vec<Span>) {
        for s in s {
            out.push(s.span);
            walk(&s.children, out);
        }
    }
    walk(&doc.sections, &mut out);
    out.extend(doc.targets.iter().map(|t| t.span));
    for t in &doc.tasks {
        out.push(t.span);
        out.extend(t.deadline.as_ref().map(|d| d.span));
    }
    out.extend(doc.deadlines.iter().map(|d| d.span));
    out.extend(doc.legal_bases.iter().map(|l| l.span));
    out.extend(doc.responsible_bodies.iter().map(|r| r.span));
    out
}

/// The page a span starts on.
fn page_of(pages: &[SourcePage], at: Span) -> u32 {
    pages
        .iter()
        .rev()
        .find(|p| p.start <= at.start)
        .map_or(1, |p| p.number)
}

/// ` id="…" class="item …" data-span="s,e" data-page="n"`.
fn item(id: &str, span: Span, doc: &Document) -> String {
    format!(
        " id=\"{}\" class=\"item\" data-span=\"{},{}\" data-page=\"{}\" tabindex=\"0\"",
        esc(id),
        span.start,
        span.end,
        page_of(&doc.source.pages, span)
    )
}

fn figure(b: &mut String, p: &SourcePage, file: Option<&str>) {
    let how = match (p.method, p.ocr_confidence) {
        (_, Some(c)) => format!("OCR, tin cậy {:.0}%", c * 100.0),
        (crate::contract::PageMethod::TextLayer, _) => "lớp chữ PDF".into(),
        _ => "văn bản".into(),
    };
    let weak = p
        .ocr_confidence
        .is_some_and(|c| c < crate::review::OCR_CONFIDENCE_BELOW);
    let _ = write!(
        b,
        "<figure class=\"page{}\" id=\"page-{n}\" data-page=\"{n}\">",
        if weak { " weak" } else { "" },
        n = p.number
    );
    if let Some(f) = file {
        let _ = write!(
            b,
            "<img src=\"{}\" alt=\"Trang {}\" loading=\"lazy\" title=\"Nhấn để phóng to\">",
            esc(f),
            p.number
        );
    }
    let _ = writeln!(
        b,
        "<figcaption>Trang {} · {}</figcaption></figure>",
        p.number,
        esc(&how)
    );
}

/// One line of the fields table.
struct FieldRow {
    label: &'static str,
    /// Its path in the document, as `review[].field` names it.
    field: &'static str,
    id: &'static str,
    value: String,
    /// Where it is in `text`, found by searching for it: the JSON keeps no span for the
    /// header's values.
    span: Option<Span>,
}

struct Fields {
    rows: Vec<FieldRow>,
}

impl Fields {
    fn of(doc: &Document) -> Fields {
        let m = &doc.document;
        let find = |v: &Option<String>| v.as_deref().and_then(|v| text::find(&doc.text, v));
        let mut rows = vec![];
        let mut add = |label, field, id, value: String, span| {
            rows.push(FieldRow {
                label,
                field,
                id,
                value,
                span,
            })
        };
        let plain = [
            ("Loại văn bản", "document.type", "field-type", &m.doc_type),
            ("Số, ký hiệu", "document.number", "field-number", &m.number),
            ("Ngày ban hành", "document.date", "field-date", &m.date),
            ("Nơi ban hành", "document.place", "field-place", &m.place),
            (
                "Cơ quan ban hành",
                "document.issuer",
                "field-issuer",
                &m.issuer,
            ),
            (
                "Cơ quan chủ quản",
                "document.parent_issuer",
                "field-parent",
                &m.parent_issuer,
            ),
            ("Trích yếu", "document.title", "field-title", &m.title),
        ];
        for (label, field, id, value) in plain {
            // The date is ISO in the JSON and in words in the text.
            let span = match field {
                "document.date" => value.as_deref().and_then(|d| date_span(&doc.text, d)),
                _ => find(value),
            };
            add(label, field, id, or_dash(value.as_deref()), span);
        }
        let signer = m.signer.as_ref();
        let signer_text = signer.map(|s| {
            let mut parts = s.authority.clone();
            parts.extend(s.position.clone());
            parts.extend(s.name.clone());
            parts.join(" · ")
        });
        add(
            "Người ký",
            "document.signer",
            "field-signer",
            or_dash(signer_text.as_deref()),
            signer.and_then(|s| find(&s.name)),
        );
        add(
            "Nơi nhận",
            "document.recipients",
            "field-recipients",
            if m.recipients.is_empty() {
                or_dash(None)
            } else {
                m.recipients
                    .iter()
                    .map(|r| esc(r))
                    .collect::<Vec<_>>()
                    .join("<br>")
            },
            None,
        );
        Fields { rows }
    }

    fn write(&self, b: &mut String, doc: &Document) {
        b.push_str(
            "<section class=\"card fields\"><h2>Thông tin văn bản</h2>\n<table class=\"fields\">\n",
        );
        for r in &self.rows {
            let badges: String = doc
                .review
                .iter()
                .filter(|x| x.field == r.field)
                .map(|x| format!(" <span class=\"badge warn\">{}</span>", esc(&x.reason)))
                .collect();
            let attrs = match r.span {
                Some(s) => item(r.id, s, doc),
                None => format!(
                    " id=\"{}\" class=\"nospan\" title=\"Không tìm thấy nguyên văn trong văn bản\"",
                    r.id
                ),
            };
            let _ = writeln!(
                b,
                "<tr{attrs}><th>{}</th><td>{}{badges}</td></tr>",
                r.label, r.value
            );
        }
        signatures(b, doc);
        b.push_str("</table>\n");
        let text_review: Vec<&str> = doc
            .review
            .iter()
            .filter(|r| r.field == "text")
            .map(|r| r.reason.as_str())
            .collect();
        if !text_review.is_empty() {
            let _ = writeln!(
                b,
                "<p class=\"review-text\">Toàn văn cần kiểm tra: <span class=\"badge warn\">{}</span></p>",
                esc(&text_review.join(", "))
            );
        }
        b.push_str("</section>\n");
    }
}

/// The PDF's digital signatures and the values an e-signature stamp filled in.
fn signatures(b: &mut String, doc: &Document) {
    let mut lines: Vec<String> = doc
        .source
        .signatures
        .iter()
        .map(|s| {
            format!(
                "{} · {} · {} · {}",
                s.signer.as_deref().unwrap_or("?"),
                s.time.as_deref().unwrap_or("?"),
                s.kind,
                match s.digest_ok {
                    Some(true) => "toàn vẹn",
                    Some(false) => "KHÔNG khớp",
                    None => "không kiểm được",
                }
            )
        })
        .collect();
    lines.extend(
        doc.warnings
            .iter()
            .filter(|w| w.code.ends_with("_from_signature"))
            .map(|w| format!("dấu chữ ký số: {}", w.message)),
    );
    let value = if lines.is_empty() {
        or_dash(None)
    } else {
        lines
            .iter()
            .map(|l| esc(l))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    let _ = writeln!(
        b,
        "<tr id=\"field-signatures\"><th>Chữ ký số, dấu</th><td>{value}</td></tr>"
    );
}

/// The date line's words for an ISO date (`ngày 02 tháng 3 năm 2025`, or `tháng 3 năm 2025`
/// for a date without its day), or the `02/3/2025` form, as a char span of `text`.
fn date_span(text: &str, iso: &str) -> Option<Span> {
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    let pattern = match parts[..] {
        [y, m, d] => {
            format!(r"(?i)ngày\s*0?{d}\s*tháng\s*0?{m}\s*năm\s*{y}|\b0?{d}\s*/\s*0?{m}\s*/\s*{y}\b")
        }
        [y, m] => format!(r"(?i)tháng\s*0?{m}\s*năm\s*{y}"),
        _ => return None,
    };
    let re = regex::Regex::new(&pattern).ok()?;
    let found = re.find(text)?;
    Some(TextIndex::new(text).span(found.range()))
}

fn heading(b: &mut String, id: &str, title: &str, count: usize) {
    let _ = writeln!(
        b,
        "<section class=\"card\" id=\"{id}\"><h2>{} <small>({count})</small></h2>",
        esc(title)
    );
}

fn sections(b: &mut String, doc: &Document) {
    fn count(s: &[Section]) -> usize {
        s.iter().map(|s| 1 + count(&s.children)).sum()
    }
    fn tree(b: &mut String, s: &[Section], doc: &Document) {
        b.push_str("<ul>");
        for s in s {
            let _ = write!(
                b,
                "<li><span{}><b>{}.</b> {} <small class=\"kind\">{}</small></span>",
                item(&format!("section-{}", s.path), s.span, doc),
                esc(&s.label),
                esc(&s.heading),
                esc(&format!("{:?}", s.kind).to_lowercase()),
            );
            if !s.children.is_empty() {
                tree(b, &s.children, doc);
            }
            b.push_str("</li>");
        }
        b.push_str("</ul>\n");
    }
    heading(b, "sections", "Bố cục (các mục)", count(&doc.sections));
    tree(b, &doc.sections, doc);
    b.push_str("</section>\n");
}

/// A table's head and, per row, its item attributes and cells (already HTML).
fn table(b: &mut String, head: &[&str], rows: impl Iterator<Item = (String, Vec<String>)>) {
    b.push_str("<table class=\"items sortable\"><thead><tr>");
    for h in head {
        let _ = write!(b, "<th>{}</th>", esc(h));
    }
    b.push_str("</tr></thead><tbody>\n");
    for (attrs, cells) in rows {
        let _ = write!(b, "<tr{attrs}>");
        for c in cells {
            let _ = write!(b, "<td>{c}</td>");
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</tbody></table></section>\n");
}

fn targets(b: &mut String, doc: &Document) {
    heading(b, "targets", "Chỉ tiêu", doc.targets.len());
    let rows = doc.targets.iter().enumerate().map(|(i, t)| {
        let value = match t.value_max {
            Some(max) => format!("{} – {}", t.value, max),
            None => t.value.to_string(),
        };
        (
            item(&format!("target-{}", i + 1), t.span, doc),
            vec![
                (i + 1).to_string(),
                esc(&t.indicator),
                esc(&value),
                esc(&t.unit),
                or_dash(t.comparator.as_deref()),
                or_dash(t.year.map(|y| y.to_string()).as_deref()),
                or_dash(t.section.as_deref()),
                esc(&t.text),
            ],
        )
    });
    table(
        b,
        &[
            "#",
            "Chỉ tiêu",
            "Giá trị",
            "Đơn vị",
            "So sánh",
            "Năm",
            "Mục",
            "Nguyên văn",
        ],
        rows,
    );
}

fn deadline_cell(d: Option<&Deadline>, id: &str, doc: &Document) -> String {
    match d {
        Some(d) => format!(
            "<span{}>{}</span> <small>{}</small>",
            item(id, d.span, doc),
            esc(&d.text),
            esc(&range(d))
        ),
        None => or_dash(None),
    }
}

fn range(d: &Deadline) -> String {
    format!(
        "{} → {}",
        d.start.as_deref().unwrap_or("…"),
        d.end.as_deref().unwrap_or("…")
    )
}

fn tasks(b: &mut String, doc: &Document) {
    heading(b, "tasks", "Nhiệm vụ", doc.tasks.len());
    let rows = doc.tasks.iter().enumerate().map(|(i, t)| {
        let id = format!("task-{}", i + 1);
        (
            item(&id, t.span, doc),
            vec![
                (i + 1).to_string(),
                format!("<span class=\"task-text\">{}</span>", esc(&t.text)),
                or_dash(t.lead.as_deref()),
                esc(&t.coordinating.join("; ")),
                deadline_cell(t.deadline.as_ref(), &format!("{id}-deadline"), doc),
                or_dash(t.section.as_deref()),
            ],
        )
    });
    table(
        b,
        &["#", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Mục"],
        rows,
    );
}

fn deadlines(b: &mut String, doc: &Document) {
    heading(b, "deadlines", "Thời hạn", doc.deadlines.len());
    let rows = doc.deadlines.iter().enumerate().map(|(i, d)| {
        (
            item(&format!("deadline-{}", i + 1), d.span, doc),
            vec![
                (i + 1).to_string(),
                esc(&d.text),
                esc(&format!("{:?}", d.kind).to_lowercase()),
                esc(&range(d)),
            ],
        )
    });
    table(b, &["#", "Nguyên văn", "Loại", "Từ → đến"], rows);
}

fn legal_bases(b: &mut String, doc: &Document) {
    heading(b, "legal-bases", "Căn cứ", doc.legal_bases.len());
    let rows = doc.legal_bases.iter().enumerate().map(|(i, l)| {
        (
            item(&format!("basis-{}", i + 1), l.span, doc),
            vec![
                (i + 1).to_string(),
                or_dash(l.doc_type.as_deref()),
                or_dash(l.number.as_deref()),
                or_dash(l.date.as_deref()),
                or_dash(l.issuer.as_deref()),
                or_dash(l.title.as_deref()),
            ],
        )
    });
    table(
        b,
        &["#", "Loại", "Số", "Ngày", "Cơ quan", "Trích yếu"],
        rows,
    );
}

fn bodies(b: &mut String, doc: &Document) {
    heading(
        b,
        "bodies",
        "Cơ quan được giao nhiệm vụ",
        doc.responsible_bodies.len(),
    );
    let rows = doc.responsible_bodies.iter().enumerate().map(|(i, r)| {
        (
            item(&format!("body-{}", i + 1), r.span, doc),
            vec![
                (i + 1).to_string(),
                esc(&r.name),
                or_dash(r.expanded.as_deref()),
                r.duties
                    .iter()
                    .map(|d| esc(d))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ],
        )
    });
    table(b, &["#", "Cơ quan", "Tên đầy đủ", "Nhiệm vụ"], rows);
}

fn uncertain(b: &mut String, doc: &Document) {
    let u = &doc.restoration.uncertain;
    heading(b, "uncertain", "Từ khôi phục không chắc chắn", u.len());
    let rows = u.iter().enumerate().map(|(i, w)| {
        (
            item(&format!("word-{}", i + 1), w.span, doc),
            vec![
                (i + 1).to_string(),
                esc(&w.original),
                format!("<b>{}</b>", esc(&w.restored)),
                esc(&w.alternatives.join(", ")),
                format!("{:.0}%", w.confidence * 100.0),
            ],
        )
    });
    table(
        b,
        &["#", "Gốc", "Đã chọn", "Cách đọc khác", "Tin cậy"],
        rows,
    );
}

fn warnings(b: &mut String, doc: &Document) {
    heading(b, "warnings", "Cảnh báo", doc.warnings.len());
    b.push_str("<ul class=\"warnings\">");
    for w in &doc.warnings {
        let _ = write!(
            b,
            "<li><code>{}</code> {}</li>",
            esc(&w.code),
            esc(&w.message)
        );
    }
    b.push_str("</ul></section>\n");
}

/// The reviewer's corrections: listed, kept in the browser, exported as corrected lines.
const CORRECTIONS: &str = "<section class=\"card\" id=\"corrections\"><h2>Sửa cách đọc \
    <small>(<span id=\"fix-count\">0</span>)</small></h2>\n<p class=\"hint\">Nhấn vào một từ \
    được đánh dấu, hoặc nhấn đúp bất kỳ từ nào, để ghi cách đọc đúng. Tệp tải về gồm các dòng \
    đã sửa; đưa nó cho <code>kehoach train</code> cùng kho văn bản để mô hình học theo kho lưu \
    trữ.</p>\n<ol id=\"fix-list\"></ol>\n<p><button type=\"button\" id=\"fix-export\">Tải tệp \
    sửa lỗi (.txt)</button> <button type=\"button\" id=\"fix-clear\">Xóa hết</button></p>\n\
    <pre id=\"corrections-out\"></pre></section>\n";

/// The box in which a word's right reading is chosen or typed.
const FIX_DIALOG: &str = "<div id=\"fix\" class=\"fix\" hidden><p>Từ: <b id=\"fix-word\"></b> \
    <small id=\"fix-info\"></small></p><p id=\"fix-alts\"></p><p><input id=\"fix-input\" \
    lang=\"vi\" autocomplete=\"off\"> <button type=\"button\" id=\"fix-save\">Lưu</button> \
    <button type=\"button\" id=\"fix-cancel\">Hủy</button></p></div>\n";
