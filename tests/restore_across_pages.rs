//! A PDF whose text layer lost its marks: a word one page leaves in doubt is read the way the
//! document's other pages read it with confidence (document agreement spans pages).

mod support;

use kehoach::restore::syllable::strip_marks;
use std::process::Command;
use support::*;

/// A short notice written for this test (it shares no phrase with the sample plans). On its
/// own, the first line reads `hoi` as `hồi` by a hair; the next two read it as `hội` plainly.
const NOTICE: [&str; 3] = [
    "Tuần sau có hội xuân.",
    "Các hội viên trang trí sân khấu.",
    "Nhiều hội viên cao tuổi cũng đến xem.",
];

fn page(lines: &[&str]) -> Vec<Line> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| Line {
            x: 72.0,
            y: 100.0 + 20.0 * i as f32,
            size: 12.0,
            text: strip_marks(l),
        })
        .collect()
}

#[test]
fn a_word_in_doubt_on_one_page_is_read_as_the_other_pages_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let inputs = dir.join("in");
    std::fs::create_dir(&inputs).unwrap();
    // The doubtful line alone on its page, the confident ones on the next; and the doubtful
    // line alone in a document, where nothing settles it.
    let two_pages = text_pdf(&[page(&NOTICE[..1]), page(&NOTICE[1..])], 0.0);
    let one_page = text_pdf(&[page(&NOTICE[..1])], 0.0);
    std::fs::write(inputs.join("notice.pdf"), two_pages).unwrap();
    std::fs::write(inputs.join("alone.pdf"), one_page).unwrap();
    let out = dir.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["ingest", "-q", "-o"])
        .arg(&out)
        .arg(&inputs)
        .output()
        .expect("kehoach runs");
    assert_succeeded(&run);

    let alone = document(&out, "alone.pdf");
    assert_eq!(page_text(&alone, 1).trim(), NOTICE[0].replace("hội", "hồi"));

    let doc = document(&out, "notice.pdf");
    assert_eq!(page_text(&doc, 1).trim(), NOTICE[0]);
    // The second page still starts where it did.
    let second = page_text(&doc, 2);
    assert!(second.trim_start().starts_with(NOTICE[1]), "{second}");
    // The decision says what was chosen over what, where the word now is.
    let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    let decisions = doc["restoration"]["uncertain"].as_array().unwrap();
    let hoi = decisions
        .iter()
        .find(|d| d["original"] == "hoi" && d["restored"] == "hội")
        .unwrap_or_else(|| panic!("no decision for the first `hoi`: {decisions:?}"));
    let span = &hoi["span"];
    let (start, end) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(text[start..end].iter().collect::<String>(), "hội");
    assert!(start < NOTICE[0].chars().count(), "{hoi}");
}
