//! The batch's index page: one row per input (or attachment, archive member), the ones that
//! need a person first — failures with their reasons, then documents with unread fields or
//! weak OCR pages, then other fields to check, then the rest — and every column sortable.

use super::html::{esc, or_dash, page as shell};
use super::types::Entry;
use crate::contract::Document;
use crate::review::OCR_CONFIDENCE_BELOW;
use std::fmt::Write;
use std::path::Path;

/// Reasons that mean a value was not read (or not read whole), as opposed to read with doubt.
const UNREAD: &[&str] = &["missing", "partial", "malformed", "invalid"];

/// How soon a person should look at the entry: 0 failed, 1 unread fields or a weak OCR page,
/// 2 other fields to check, 3 nothing to check.
fn rank(e: &Entry) -> u8 {
    let Some(doc) = &e.doc else { return 0 };
    if doc
        .review
        .iter()
        .any(|r| UNREAD.contains(&r.reason.as_str()))
        || lowest_ocr(doc).is_some_and(|c| c < OCR_CONFIDENCE_BELOW)
    {
        1
    } else if !doc.review.is_empty() {
        2
    } else {
        3
    }
}

/// The weakest OCR page's mean confidence.
fn lowest_ocr(doc: &Document) -> Option<f32> {
    doc.source
        .pages
        .iter()
        .filter_map(|p| p.ocr_confidence)
        .reduce(f32::min)
}

/// The whole index page.
pub fn page(entries: &[Entry], out_dir: &Path) -> String {
    let mut order: Vec<&Entry> = entries.iter().collect();
    order.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.row.input.cmp(&b.row.input)));
    let docs: Vec<&Document> = entries.iter().filter_map(|e| e.doc.as_ref()).collect();
    let pages: usize = docs.iter().map(|d| d.source.pages.len()).sum();
    let failed = entries.iter().filter(|e| e.doc.is_none()).count();
    let to_review = docs.iter().filter(|d| !d.review.is_empty()).count();
    let mut body = String::new();
    let _ = write!(
        body,
        "<header class=\"top\"><h1>Kiểm tra kết quả nhập liệu</h1>\
         <p class=\"sub\">{} · <span id=\"summary\">{} tài liệu, {pages} trang, \
         <b>{failed}</b> lỗi, <b>{to_review}</b> cần kiểm tra</span></p></header>\n\
         <main class=\"index\">\n<p class=\"hint\">Nhấn vào tiêu đề cột để sắp xếp. \
         Thứ tự ban đầu: tệp lỗi, tài liệu thiếu trường hoặc trang OCR kém, tài liệu có \
         trường cần kiểm tra, còn lại.</p>\n<table id=\"batch\" class=\"sortable\">\n<thead><tr>",
        esc(&out_dir.display().to_string()),
        docs.len(),
    );
    for (h, title) in [
        (
            "Ưu tiên",
            "0 lỗi · 1 thiếu trường/OCR kém · 2 cần kiểm tra · 3 ổn",
        ),
        ("Tài liệu", ""),
        ("Trạng thái", ""),
        ("Loại", ""),
        ("Số", ""),
        ("Ngày", ""),
        ("Cơ quan ban hành", ""),
        ("Trang", ""),
        (
            "OCR thấp nhất",
            "độ tin cậy trung bình của trang OCR kém nhất",
        ),
        ("Từ không chắc", "restoration.uncertain"),
        ("Nhiệm vụ", ""),
        ("Chỉ tiêu", ""),
        ("Cần kiểm tra / lý do lỗi", ""),
    ] {
        let _ = write!(body, "<th title=\"{}\">{}</th>", esc(title), esc(h));
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for e in order {
        row(&mut body, e);
    }
    body.push_str("</tbody></table>\n</main>");
    shell("Kiểm tra kết quả nhập liệu", &body)
}

fn row(out: &mut String, e: &Entry) {
    let r = rank(e);
    let name = match &e.row.part {
        Some(p) => format!("{} › {p}", e.row.input),
        None => e.row.input.clone(),
    };
    let class = match (r, &e.doc) {
        (_, None) => "failed",
        (1, _) => "unread",
        (2, _) => "check",
        _ => "clean",
    };
    let _ = write!(
        out,
        "<tr class=\"row {class}\" data-input=\"{}\"><td data-v=\"{r}\">{r}</td>",
        esc(&name)
    );
    let Some(doc) = &e.doc else {
        let why = e
            .row
            .error
            .clone()
            .or_else(|| e.unreadable.clone())
            .unwrap_or_else(|| "không rõ lý do".into());
        let _ = writeln!(
            out,
            "<td data-v=\"{0}\">{0}</td><td data-v=\"failed\"><span class=\"badge bad\">lỗi</span></td>\
             {1}<td data-v=\"{2}\">{2}</td><td data-v=\"\"></td><td data-v=\"0\"></td>\
             <td data-v=\"0\"></td><td data-v=\"0\"></td><td class=\"error\" data-v=\"{3}\">{3}</td></tr>",
            esc(&name),
            "<td data-v=\"\"></td>".repeat(4),
            e.row.pages,
            esc(&why),
        );
        return;
    };
    let m = &doc.document;
    let link = e.page.as_deref().unwrap_or("#");
    let _ = write!(
        out,
        "<td data-v=\"{0}\"><a href=\"{1}\">{0}</a></td><td data-v=\"ok\">\
         <span class=\"badge ok\">ok</span></td>",
        esc(&name),
        esc(link)
    );
    for v in [&m.doc_type, &m.number, &m.date, &m.issuer] {
        let _ = write!(
            out,
            "<td data-v=\"{}\">{}</td>",
            esc(v.as_deref().unwrap_or("")),
            or_dash(v.as_deref())
        );
    }
    let ocr = lowest_ocr(doc);
    let weak = if ocr.is_some_and(|c| c < OCR_CONFIDENCE_BELOW) {
        " class=\"weak\""
    } else {
        ""
    };
    let _ = write!(
        out,
        "<td data-v=\"{0}\">{0}</td><td{weak} data-v=\"{1}\">{2}</td>\
         <td data-v=\"{3}\">{3}</td><td data-v=\"{4}\">{4}</td><td data-v=\"{5}\">{5}</td>",
        doc.source.pages.len(),
        ocr.map(|c| format!("{c:.3}")).unwrap_or_else(|| "2".into()),
        ocr.map(|c| format!("{:.0}%", c * 100.0))
            .unwrap_or_else(|| "<span class=\"none\">—</span>".into()),
        doc.restoration.uncertain.len(),
        doc.tasks.len(),
        doc.targets.len(),
    );
    let review: Vec<String> = doc
        .review
        .iter()
        .map(|r| format!("{} ({})", r.field, r.reason))
        .collect();
    let _ = writeln!(
        out,
        "<td data-v=\"{0}\">{0}</td></tr>",
        esc(&review.join("; "))
    );
}
