//! Tasks of nine real plans (`tests/data/real_golds/`, five held out while building) against
//! hand-made golds: the task reader must keep at least these scores over all of them
//! (measured over the eight after issue 24: F1 0.90, lead 0.95, deadline 0.97; over the nine
//! after session 23, the Chỉ thị 11 plan's 65 scored leads included: F1 0.96, lead 0.90,
//! deadline 0.95).
//! The figures per plan: `cargo run --release --example extract_scores`.

#[path = "common/real_golds.rs"]
mod real_golds;

#[test]
fn real_plans_keep_their_floor() {
    let mut all = real_golds::RealScores::default();
    for f in real_golds::gold_files() {
        let (_, s, _) = real_golds::run(&f);
        all.add(&s);
    }
    assert!(all.expected >= 250, "golds of nine plans: {}", all.expected);
    let (f1, lead, deadline) = (all.f1(), all.lead_accuracy(), all.deadline_accuracy());
    assert!(f1 >= 0.93, "task F1 {f1:.3}");
    assert!(lead >= 0.88, "lead right {lead:.3}");
    assert!(deadline >= 0.93, "deadline right {deadline:.3}");
}
