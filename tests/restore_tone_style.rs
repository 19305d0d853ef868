//! Tone placement is the document's (issue 22): a text written `hoà`, `thuỷ`, `Uỷ ban` keeps
//! that placement, and words restored in it take it; `--tone-style` still forces one.

use kehoach::Rules;
use kehoach::restore::syllable::strip_marks;
use kehoach::restore::{Params, Restored, ToneStyle, restore_text};

/// Written for this test: correct administrative Vietnamese in the new placement.
const NEW: &str = "Uỷ ban nhân dân xã phối hợp với Phòng Văn hoá và Thông tin.
Công trình thuỷ lợi được tu sửa trước mùa mưa lũ, tuỳ theo kinh phí.
Trường học tổ chức cho học sinh khoẻ mạnh tham gia hội thao.";

fn with(text: &str, tone_style: ToneStyle) -> Restored {
    let params = Params {
        tone_style,
        ..Params::default()
    };
    restore_text(text, Rules::builtin(), &params)
}

fn decisions_point_at_their_words(r: &Restored) {
    for d in &r.decisions {
        assert_eq!(&r.text[d.range.clone()], d.restored, "{d:?}");
        assert!(!d.alternatives.contains(&d.restored), "{d:?}");
    }
}

#[test]
fn a_correct_text_keeps_its_own_placement() {
    assert_eq!(with(NEW, ToneStyle::Document).text, NEW);
    // The same text in the old placement keeps that one.
    let old = with(NEW, ToneStyle::Old).text;
    assert_ne!(old, NEW);
    for w in ["Ủy ban", "Văn hóa", "thủy lợi", "tùy theo", "khỏe mạnh"] {
        assert!(old.contains(w), "{w} in {old}");
    }
    assert_eq!(with(&old, ToneStyle::Document).text, old);
}

#[test]
fn the_flag_forces_one_placement_whatever_the_document() {
    let old = with(NEW, ToneStyle::Old).text;
    assert_eq!(with(&old, ToneStyle::New).text, NEW);
    assert_eq!(with(NEW, ToneStyle::New).text, NEW);
}

#[test]
fn restored_words_take_the_documents_placement_and_decisions_follow_them() {
    // The second line lost its marks: its words come back in the placement of the rest.
    let lines: Vec<&str> = NEW.lines().collect();
    let damaged = format!("{}\n{}\n{}", lines[0], strip_marks(lines[1]), lines[2]);
    let r = with(&damaged, ToneStyle::Document);
    let second = r.text.lines().nth(1).unwrap();
    assert!(second.contains("thuỷ lợi"), "{second}");
    // `tùy` → `tuỳ` is one byte longer: every decision after it still points at its word.
    assert!(second.contains("tuỳ theo"), "{second}");
    assert!(
        r.decisions.iter().any(|d| d.restored == "tuỳ"),
        "{:?}",
        r.decisions
    );
    decisions_point_at_their_words(&r);
    // Forced to the old placement, the same words come back in it.
    let forced = with(&damaged, ToneStyle::Old);
    assert!(forced.text.contains("thủy lợi") && forced.text.contains("tùy theo"));
    decisions_point_at_their_words(&forced);
}

#[test]
fn a_document_with_as_many_of_each_or_none_keeps_the_old_placement() {
    let r = with("hòa bình, thuỷ lợi, hoàng hôn", ToneStyle::Document);
    assert_eq!(r.text, "hòa bình, thủy lợi, hoàng hôn");
    let stripped = with(&strip_marks(NEW), ToneStyle::Document);
    assert!(stripped.text.starts_with("Ủy ban"), "{}", stripped.text);
}
