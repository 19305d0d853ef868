//! Tasks of six real plans (`tests/data/real_golds/`, two held out while building) against
//! hand-made golds: the task reader must keep at least these scores over all of them.
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
    assert!(all.expected >= 100, "golds of six plans: {}", all.expected);
    let (f1, lead, deadline) = (all.f1(), all.lead_accuracy(), all.deadline_accuracy());
    assert!(f1 >= 0.82, "task F1 {f1:.3}");
    assert!(lead >= 0.85, "lead right {lead:.3}");
    assert!(deadline >= 0.90, "deadline right {deadline:.3}");
}
