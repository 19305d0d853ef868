//! Decoding one line: its runs of words between punctuation read as a whole, and the repairs
//! written into the restored line.

use super::analyse::{Line, Signs};
use super::beam::beam;
use super::blocks::opening_words;
use super::cache::CandCache;
use super::candidates::Cand;
use super::confidence::emit;
use super::model::{Channel, Model, is_decodable, is_number};
use super::repairs::{
    between_lower_case_words, is_edge_speck, joined_by_speck, misread_roman_label,
    reads_as_number_code, repair_undecoded,
};
use super::resegment::resegment;
use crate::restore::agree::Notes;
use crate::restore::tokenize::{Kind, Token};
use crate::restore::types::Decision;

#[allow(clippy::too_many_arguments)]
pub(super) fn decode_line(
    line: &Line,
    next: Option<&Line>,
    carry: &mut Vec<Cand>,
    ch: Channel,
    text_only: bool,
    model: &Model,
    signs: &Signs,
    cache: &mut CandCache,
    out: &mut String,
    decisions: &mut Vec<Decision>,
    mut notes: Option<&mut Notes>,
) {
    let resegmented;
    let line = match resegment(line, ch, model, signs, cache) {
        Some(tokens) => {
            resegmented = Line {
                text: line.text,
                tokens,
                damage: line.damage,
            };
            &resegmented
        }
        None => line,
    };
    // Runs of decodable tokens separated only by spaces.
    let toks = &line.tokens;
    // The words that ended the line before, when its sentence runs on into this one: context
    // for this line's first run. Replaced by this line's last words below.
    let before = std::mem::take(carry);
    let first = toks.iter().position(|t| t.kind != Kind::Space);
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        let w = &line.text[t.range.clone()];
        let decodable = is_decodable(t, ch, model);
        if let Some(label) = misread_roman_label(line, k, ch) {
            write_repair(out, decisions, w, &label, 0.9);
            k += 1;
            continue;
        }
        // A speck may be a lone `l`, which reads as a word.
        let speck = is_edge_speck(line, k, ch);
        if !decodable || speck {
            if speck {
                // Drop it with the space that set it off from the text.
                let line_start = out.rfind('\n').map_or(0, |i| i + 1);
                let kept = out[line_start..].trim_end_matches([' ', '\t']).len() + line_start;
                let gap = if kept < out.len() {
                    out.truncate(kept);
                    false
                } else {
                    true
                };
                write_repair(out, decisions, w, "", 0.9);
                // At the start of a line the space after the speck goes too.
                if gap && toks.get(k + 1).is_some_and(|t| t.kind == Kind::Space) {
                    k += 1;
                }
                k += 1;
                continue;
            }
            if let Some(fixed) = &repair_undecoded(line, k, ch, model) {
                decisions.push(Decision {
                    range: out.len()..out.len() + fixed.len(),
                    original: w.to_string(),
                    restored: fixed.to_string(),
                    confidence: 0.99,
                    alternatives: vec![],
                });
                out.push_str(fixed);
            } else {
                out.push_str(w);
            }
            k += 1;
            continue;
        }
        // Gather the run.
        let mut run = vec![k];
        let mut j = k + 1;
        while j + 1 < toks.len()
            && (toks[j].kind == Kind::Space
                || !is_number(toks[j - 1].kind, model) && joined_by_speck(line, j, ch, model))
            && (matches!(toks[j + 1].kind, Kind::Word | Kind::Mixed)
                || is_number(toks[j + 1].kind, model))
            && !is_edge_speck(line, j + 1, ch)
        {
            run.push(j + 1);
            j += 2;
        }
        let at: Vec<usize> = run
            .iter()
            .map(|&i| cache.get(&word_text(line, &toks[i]), toks[i].kind, ch, model))
            .collect();
        // A sentence cut by the line break: the two words before it are fixed context for the
        // run that opens this line, and the next line's first words are read with the run that
        // ends this one (their readings there are not kept: that line decides its own).
        let context: &[Cand] = if Some(k) == first { &before } else { &[] };
        let pre = context.len();
        let ends_line = toks[j..].iter().all(|t| t.kind == Kind::Space);
        let next_words: Vec<usize> = next
            .filter(|_| ends_line)
            .map(|n| {
                opening_words(n, ch, model)
                    .into_iter()
                    .map(|t| cache.get(&word_text(n, t), t.kind, ch, model))
                    .collect()
            })
            .unwrap_or_default();
        let mut cands: Vec<&[Cand]> = context.iter().map(std::slice::from_ref).collect();
        cands.extend(at.iter().map(|&k| cache.lists[k].as_slice()));
        cands.extend(next_words.iter().map(|&t| cache.lists[t].as_slice()));
        // A date or document number right after the run (`số 489/QĐ-TTg`) stays as written, but
        // is context for the run's last word, as numbers are.
        let then_code = toks.get(j).is_some_and(|t| t.kind == Kind::Space)
            && toks.get(j + 1).is_some_and(|t| {
                t.kind == Kind::Protected && reads_as_number_code(&line.text[t.range.clone()], ch)
            });
        let code = [Cand {
            text: String::new(),
            id: model.number,
            ch: 0.0,
        }];
        if then_code && model.number.is_some() {
            cands.push(&code);
        }
        // The phrase goes on past the next line's first words.
        let best = beam(&cands, !next_words.is_empty(), model, &mut cache.beam);
        for (r, &ti) in run.iter().enumerate() {
            if r > 0 {
                let sep = &toks[ti - 1];
                let sep_text = &line.text[sep.range.clone()];
                if sep.kind == Kind::Space && sep_text.is_empty() {
                    // Two syllables written as one (`hoạchnày`): the space they lost.
                    write_repair(out, decisions, "", " ", 0.8);
                } else if sep.kind == Kind::Space {
                    out.push_str(sep_text);
                } else {
                    // A speck read as punctuation between two words ("với.công").
                    write_repair(out, decisions, sep_text, " ", 0.8);
                }
            }
            let written = &line.text[toks[ti].range.clone()];
            let obs = word_text(line, &toks[ti]);
            let (start, before) = (out.len(), decisions.len());
            // Only a word in capitals on OCR'd text asks where it stands.
            let capitals_amid_lower_case = ch.is_ocr()
                && !obs.chars().any(char::is_lowercase)
                && between_lower_case_words(line, ti);
            let (pick, posterior) = emit(
                &obs,
                &cands,
                &best,
                pre + r,
                capitals_amid_lower_case,
                ch,
                text_only,
                model,
                out,
                decisions,
            );
            if let Some(notes) = notes.as_deref_mut()
                && obs.len() == written.len()
                && pick == best[pre + r]
            {
                notes.note(
                    &model.cfg,
                    start..out.len(),
                    (at[r], cands[pre + r]),
                    cache.beam.prune.through(pre + r),
                    cache.beam.prune.kept_at[pre + r + 1] - cache.beam.prune.kept_at[pre + r] == 1,
                    pick,
                    &posterior,
                    (decisions.len() > before).then_some(before),
                );
            }
            if obs.len() != written.len() {
                // One syllable written as two (`trườ ng`): the decision shows both halves.
                match decisions.get_mut(before) {
                    Some(e) => {
                        e.original = written.to_string();
                        e.alternatives.retain(|a| *a != e.restored);
                    }
                    None => decisions.push(Decision {
                        range: start..out.len(),
                        original: written.to_string(),
                        restored: out[start..].to_string(),
                        confidence: 0.8,
                        alternatives: vec![written.to_string()],
                    }),
                }
            }
        }
        if ends_line {
            let end = pre + run.len();
            *carry = (end.saturating_sub(2)..end)
                .map(|p| cands[p][best[p]].clone())
                .collect();
        }
        k = run.last().copied().unwrap_or(k) + 1;
    }
}

/// Write `restored` where the text had `original` and record the decision, with the text as
/// it was for its one alternative: the repairs of layout (labels, specks, spaces) that are
/// not readings of a word.
pub(super) fn write_repair(
    out: &mut String,
    decisions: &mut Vec<Decision>,
    original: &str,
    restored: &str,
    confidence: f32,
) {
    decisions.push(Decision {
        range: out.len()..out.len() + restored.len(),
        original: original.to_string(),
        restored: restored.to_string(),
        confidence,
        alternatives: vec![original.to_string()],
    });
    out.push_str(restored);
}

/// A word token's text as the decoder reads it: a token [`resegment`] joined across a space
/// is read without it.
pub(super) fn word_text<'a>(line: &Line<'a>, t: &Token) -> std::borrow::Cow<'a, str> {
    let w = &line.text[t.range.clone()];
    if w.contains(char::is_whitespace) {
        w.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into()
    } else {
        w.into()
    }
}
