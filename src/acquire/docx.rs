//! DOCX (Office Open XML) through `zip` and `quick-xml`: the paragraphs and tables of
//! `word/document.xml`, in document order.
//!
//! A table row becomes pipe-separated lines (`| left | right |`), one line per paragraph of its
//! tallest cell, because that is the shape the segment stage already reads for the two-column
//! header table every plan typed in Word has (issuer and number left, Quốc hiệu and date right).
//! The decompressed part is capped (a ZIP bomb is that file's error, not the batch's memory).

use super::error::Error;
use super::types::{Acquired, Page};
use crate::contract::Format;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// `word/document.xml` larger than this when decompressed is refused.
const MAX_XML_BYTES: u64 = 256 << 20;

/// The text of a DOCX file, as one page.
pub fn acquire(bytes: &[u8]) -> Result<Acquired, Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::Corrupt(format!("damaged ZIP container: {e}")))?;
    let mut part = match zip.by_name("word/document.xml") {
        Ok(p) => p,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(Error::Unsupported(
                "a ZIP archive that is not a Word document (no word/document.xml)".into(),
            ));
        }
        Err(e) => return Err(Error::Corrupt(format!("damaged DOCX: {e}"))),
    };
    let mut xml = Vec::new();
    (&mut part)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| Error::Corrupt(format!("damaged DOCX (word/document.xml): {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(Error::Limit(format!(
            "word/document.xml expands to more than {} MB",
            MAX_XML_BYTES >> 20
        )));
    }
    let text = document_text(&xml)?;
    Ok(Acquired {
        format: Format::Docx,
        encoding: Some("utf-8".into()),
        pages: vec![Page::text(1, text)],
        signatures: vec![],
        warnings: vec![],
    })
}

/// A table being read: rows of cells of paragraph lines (a stack of them, as tables nest).
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<String>>>,
}

/// Walk `document.xml`: `w:p` paragraphs (runs' `w:t`, `w:tab`, `w:br`), `w:tbl` tables of
/// `w:tr` rows of `w:tc` cells. Headers, footers, comments and deleted text (`w:delText`) are
/// not part of the body and are skipped.
fn document_text(xml: &[u8]) -> Result<String, Error> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut tables: Vec<Table> = vec![];
    let mut para = String::new();
    let mut in_text = false;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Error::Corrupt(format!("damaged DOCX XML: {e}")))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"p" => para.clear(),
                b"tbl" => tables.push(Table::default()),
                b"tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.rows.push(vec![]);
                    }
                }
                b"tc" => {
                    if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                        row.push(vec![]);
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => para.push('\t'),
                b"br" | b"cr" => para.push('\n'),
                // An empty paragraph is a blank line in the body.
                b"p" if tables.is_empty() => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t
                    .unescape()
                    .map_err(|e| Error::Corrupt(format!("damaged DOCX XML: {e}")))?;
                para.push_str(&s);
            }
            Event::CData(t) if in_text => para.push_str(&String::from_utf8_lossy(&t)),
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let text = std::mem::take(&mut para);
                    match tables
                        .last_mut()
                        .and_then(|t| t.rows.last_mut())
                        .and_then(|r| r.last_mut())
                    {
                        Some(cell) => cell.extend(text.split('\n').map(str::to_owned)),
                        None => {
                            out.push_str(&text);
                            out.push('\n');
                        }
                    }
                }
                b"tbl" => {
                    let table = tables.pop().unwrap_or_default();
                    let lines = table_lines(&table);
                    match tables
                        .last_mut()
                        .and_then(|t| t.rows.last_mut())
                        .and_then(|r| r.last_mut())
                    {
                        // A table inside a cell: its lines join the cell.
                        Some(cell) => cell.extend(lines),
                        None => {
                            for l in lines {
                                out.push_str(&l);
                                out.push('\n');
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// `| a | b |` lines for each row: as many lines as the row's tallest cell has paragraphs.
/// Pipes inside cell text become `¦` so they cannot split a cell; empty rows are dropped.
fn table_lines(table: &Table) -> Vec<String> {
    let mut lines = vec![];
    for row in &table.rows {
        let cells: Vec<Vec<&str>> = row
            .iter()
            .map(|c| {
                let mut ps: Vec<&str> = c.iter().map(|p| p.trim()).collect();
                while ps.last().is_some_and(|p| p.is_empty()) {
                    ps.pop();
                }
                while ps.first().is_some_and(|p| p.is_empty()) {
                    ps.remove(0);
                }
                ps
            })
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            let mut line = String::from("|");
            for c in &cells {
                line.push(' ');
                line.push_str(&c.get(i).copied().unwrap_or("").replace('|', "¦"));
                line.push_str(" |");
            }
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_and_a_two_column_header_table_in_order() {
        let xml = format!(
            "<w:document {W}><w:body><w:tbl><w:tr><w:tc>{}{}</w:tc><w:tc>{}{}{}</w:tc></w:tr></w:tbl>{}<w:p/>{}</w:body></w:document>",
            p("ỦY BAN NHÂN DÂN"),
            p("Số: 5/KH-UBND"),
            p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            p("Độc lập - Tự do - Hạnh phúc"),
            p("A, ngày 1 tháng 2 năm 2024"),
            p("KẾ HOẠCH &amp; việc"),
            p("I. MỤC ĐÍCH"),
        );
        let text = document_text(xml.as_bytes()).unwrap();
        assert_eq!(
            text,
            "| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n\
             | Số: 5/KH-UBND | Độc lập - Tự do - Hạnh phúc |\n\
             |  | A, ngày 1 tháng 2 năm 2024 |\n\
             KẾ HOẠCH & việc\n\n\
             I. MỤC ĐÍCH\n"
        );
    }

    #[test]
    fn runs_tabs_and_breaks_join_one_paragraph_and_deleted_text_is_skipped() {
        let xml = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>Kế </w:t></w:r><w:r><w:t>hoạch</w:t><w:tab/><w:t>số 3</w:t><w:br/><w:t>dòng hai</w:t></w:r><w:del><w:r><w:delText>bỏ</w:delText></w:r></w:del></w:p></w:body></w:document>"
        );
        assert_eq!(
            document_text(xml.as_bytes()).unwrap(),
            "Kế hoạch\tsố 3\ndòng hai\n"
        );
    }

    #[test]
    fn a_zip_without_a_word_document_and_broken_xml_are_clear_errors() {
        let mut zipped = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut zipped);
            w.start_file("a.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, b"hello").unwrap();
            w.finish().unwrap();
        }
        let e = acquire(zipped.get_ref()).unwrap_err();
        assert!(e.to_string().contains("not a Word document"), "{e}");
        let e = document_text(b"<w:document><w:body><w:p></w:body>").unwrap_err();
        assert!(e.to_string().contains("damaged DOCX XML"), "{e}");
    }
}
