//! Print a PDF's text-layer lines with their geometry (left, right, baseline, size), to see
//! what page furniture and reflow read (and, on a scan, the digit reader's blanks): `cargo run --release --example layout_dump -- FILE.pdf`.
fn main() {
    let path = std::env::args().nth(1).expect("a PDF");
    let bytes = std::fs::read(&path).expect("readable");
    let params = kehoach::Params::default();
    let acquired = kehoach::acquire::acquire(&bytes, &params.acquire).expect("acquired");
    for p in &acquired.pages {
        let Some(l) = &p.layout else {
            println!("== page {} ({:?}, no layout)", p.number, p.method);
            continue;
        };
        println!("== page {} {}x{}", p.number, l.width, l.height);
        for line in &l.lines {
            let left = line
                .words
                .iter()
                .map(|w| w.bbox.left)
                .fold(f32::MAX, f32::min);
            let right = line.words.iter().map(|w| w.bbox.right).fold(0.0, f32::max);
            let size = line.words.iter().map(|w| w.size).fold(0.0, f32::max);
            let small: Vec<_> = line
                .words
                .iter()
                .filter(|w| w.size < 0.8 * size)
                .map(|w| w.text.as_str())
                .collect();
            println!(
                "{left:6.1} {right:6.1} {:6.1} {size:4.1} {:?} {:?}",
                line.baseline, line.text, small
            );
            // What the handwritten-digit reader read in the line's blanks (OCR pages).
            for f in &line.figures {
                println!(
                    "       {} {:?} {:.2} {:?} tesseract {:?}",
                    f.field, f.digits, f.conf, f.bbox, f.tesseract
                );
            }
        }
    }
}
