//! Tables: rows of tab- or pipe-separated cells (Word and Markdown exports), and the layout
//! Word's plain-text export gives a table when it writes each cell on its own tab-led line,
//! one blank-line-separated group of lines per row.

use super::types::{Line, Outline, Table};
use std::ops::Range;

/// Cells of a row line: split on tabs or `|`; `None` when the line is not a row.
fn row_cells(text: &str, line: &Line) -> Option<Vec<Range<usize>>> {
    let s = &text[line.range.clone()];
    let sep = if s.contains('\t') {
        '\t'
    } else if s.matches('|').count() >= 2 {
        '|'
    } else {
        return None;
    };
    let mut cells = vec![];
    let mut pos = line.range.start;
    for part in s.split(sep) {
        let r = crate::span::trim_range(text, pos..pos + part.len());
        cells.push(r);
        pos += part.len() + sep.len_utf8();
    }
    // A Markdown row's outer pipes leave empty first/last cells.
    if sep == '|' {
        if cells.first().is_some_and(|c| c.is_empty()) {
            cells.remove(0);
        }
        if cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        // The `|---|---|` rule under a Markdown header is not a row.
        if cells.iter().all(|c| {
            text[c.clone()]
                .chars()
                .all(|ch| matches!(ch, '-' | ':' | ' '))
        }) {
            return Some(vec![]);
        }
    }
    (cells.len() >= 2).then_some(cells)
}

/// Find row-per-line tables (two or more consecutive rows; blank lines inside are allowed).
pub fn find(text: &str, lines: &[Line], outline: &Outline) -> Vec<Table> {
    let mut tables = vec![];
    let mut cur: Option<Table> = None;
    let mut blank_run = 0;
    for line in lines {
        if line.range.is_empty() {
            blank_run += 1;
            continue;
        }
        match row_cells(text, line) {
            Some(cells) if line.tabs == 0 || cells.len() >= 2 => {
                let t = cur.get_or_insert_with(|| Table {
                    range: line.range.clone(),
                    rows: vec![],
                    section: None,
                    caption: None,
                });
                t.range.end = line.range.end;
                if !cells.is_empty() {
                    t.rows.push(cells);
                }
            }
            _ => {
                if let Some(t) = cur.take()
                    && t.rows.len() >= 2
                {
                    tables.push(t);
                }
            }
        }
        let _ = blank_run;
        blank_run = 0;
    }
    if let Some(t) = cur.take()
        && t.rows.len() >= 2
    {
        tables.push(t);
    }
    tables.extend(cell_per_line(text, lines));
    tables.sort_by_key(|t| t.range.start);
    for t in &mut tables {
        t.section = section_at(&outline.sections, t.range.start);
    }
    tables
}

/// Word's export of a table as one tab-led line per cell, a blank line between rows:
///
/// ```text
/// \tNăm
/// \tGĐHT
///
/// \t2023
/// \t93%
/// ```
///
/// Two or more consecutive groups of which at least two have two or more cells make a table;
/// rows may be ragged (a merged cell leaves one short). A line that is not tab-led ends it, so
/// the header block's tab-led lines (a lone group) never form one.
fn cell_per_line(text: &str, lines: &[Line]) -> Vec<Table> {
    let mut out = vec![];
    let mut groups: Vec<Vec<Range<usize>>> = vec![];
    let mut cur: Vec<Range<usize>> = vec![];
    let mut caption: Option<Range<usize>> = None;
    let mut last_text: Option<Range<usize>> = None;
    let flush = |groups: &mut Vec<Vec<Range<usize>>>,
                 caption: &Option<Range<usize>>,
                 out: &mut Vec<Table>| {
        let wide = groups.iter().filter(|g| g.len() >= 2).count();
        if groups.len() >= 2 && wide >= 2 {
            let start = groups[0][0].start;
            let end = groups
                .last()
                .and_then(|g| g.last())
                .map_or(start, |c| c.end);
            out.push(Table {
                range: start..end,
                rows: std::mem::take(groups),
                section: None,
                caption: caption.clone(),
            });
        }
        groups.clear();
    };
    for line in lines {
        let s = &text[line.range.clone()];
        if line.range.is_empty() {
            if !cur.is_empty() {
                groups.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.tabs >= 1 && !s.contains('\t') && !s.contains('|') {
            if cur.is_empty() && groups.is_empty() {
                caption = last_text.clone();
            }
            cur.push(line.range.clone());
        } else {
            if !cur.is_empty() {
                groups.push(std::mem::take(&mut cur));
            }
            flush(&mut groups, &caption, &mut out);
            last_text = Some(line.range.clone());
        }
    }
    if !cur.is_empty() {
        groups.push(cur);
    }
    flush(&mut groups, &caption, &mut out);
    out
}

fn section_at(sections: &[super::types::Section], pos: usize) -> Option<String> {
    for s in sections {
        if s.range.contains(&pos) {
            return section_at(&s.children, pos).or_else(|| Some(s.path.clone()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(text: &str) -> Vec<Vec<Vec<String>>> {
        let lines = super::super::lines::lines(text);
        find(text, &lines, &Outline::default())
            .into_iter()
            .map(|t| {
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| text[c.clone()].to_string()).collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn word_cell_per_line_groups_are_rows_even_ragged() {
        let text = "Bảng\n\tNăm\n\tA\n\tB\n\n\t2023\n\t10%\n\n\t2025\n\t20%\n\t30%\nHết\n";
        assert_eq!(
            tables(text),
            vec![vec![
                vec!["Năm".to_string(), "A".into(), "B".into()],
                vec!["2023".into(), "10%".into()],
                vec!["2025".into(), "20%".into(), "30%".into()],
            ]]
        );
    }

    #[test]
    fn a_lone_tab_led_block_is_not_a_table() {
        let text = "\tSố: 01/KH-HKH\n\tTân Văn, ngày 06 tháng 02 năm 2023\n\n\nKẾ HOẠCH\n";
        assert!(tables(text).is_empty());
    }

    #[test]
    fn markdown_rows_drop_outer_pipes_and_the_rule() {
        let text = "| Chỉ tiêu | 2025 |\n|---|---|\n| Tủ sách | 60% |\n";
        assert_eq!(
            tables(text),
            vec![vec![
                vec!["Chỉ tiêu".to_string(), "2025".into()],
                vec!["Tủ sách".into(), "60%".into()],
            ]]
        );
    }
}
