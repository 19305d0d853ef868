//! The OCR helper `kehoach` starts for scanned pages (see `kehoach::acquire::ocr` for why a
//! second process): page requests on standard input, one JSON answer a line on standard output.

use std::process::ExitCode;

fn main() -> ExitCode {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    match kehoach::acquire::ocr::engine::serve(&mut stdin.lock(), &mut stdout.lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kehoach-ocr: {e}");
            ExitCode::FAILURE
        }
    }
}
