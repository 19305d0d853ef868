//! The few HTML pieces every page of the report shares: escaping and the page shell, which
//! carries its style sheet and script inline so that one page opened from `file://` needs
//! nothing beside it but its images.

use std::fmt::Write;

const STYLE: &str = include_str!("assets/report.css");
const SCRIPT: &str = include_str!("assets/report.js");

/// `s` safe as element content and as a double-quoted attribute value.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page: `title` in the tab, `body` as given.
pub fn page(title: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + SCRIPT.len() + 512);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"kehoach {}\">\n<title>{}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n{body}\n<script>\n{SCRIPT}</script>\n\
         </body>\n</html>\n",
        crate::TOOL_VERSION,
        esc(title),
    );
    out
}

/// A value for a table cell: the text, or a dash in grey when there is none.
pub fn or_dash(v: Option<&str>) -> String {
    match v {
        Some(v) if !v.trim().is_empty() => esc(v),
        _ => "<span class=\"none\">—</span>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc("<b>\"Số\" & 'ngày'</b>"),
            "&lt;b&gt;&quot;Số&quot; &amp; &#39;ngày&#39;&lt;/b&gt;"
        );
        let p = page("a<b", "<p>x</p>");
        assert!(p.contains("<title>a&lt;b</title>"));
        assert!(p.contains("<meta charset=\"utf-8\">"));
    }
}
