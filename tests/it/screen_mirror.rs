//! A terminal emulator kept up to date with what a program in a pseudo-
//! terminal writes. Shared by the pty tests and `examples/screenshots.rs`
//! (which includes this file by path).

use portable_pty::MasterPty;
use std::io::Read;
use std::num::NonZero;
use std::sync::{Arc, Mutex};

/// A `rows`×`cols` screen fed from `master` on a thread of its own, until
/// the program closes its side.
pub fn mirror(master: &dyn MasterPty, rows: u16, cols: u16) -> Arc<Mutex<vt100::Parser>> {
    let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
    let mut reader = master.try_clone_reader().expect("pty reader");
    let sink = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap_or_else(|p| p.into_inner()).process(&buf[..n]);
        }
    });
    parser
}

pub fn nz(n: u16) -> NonZero<u16> {
    NonZero::new(n).expect("terminal sizes are at least 1")
}
