//! A progress line on standard error for long runs at a terminal. Machine formats, pipes and
//! short runs never see it; counting is one atomic add per file, so it cannot slow a run.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Below this many files a run is quick enough that a progress line would only flicker.
const WORTH_SHOWING: usize = 2_000;

pub struct Progress {
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    painter: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts showing progress if `wanted`, standard error is a terminal and the run is long.
    pub fn start(total: usize, wanted: bool) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let show = wanted && total >= WORTH_SHOWING && std::io::stderr().is_terminal();
        let painter = show.then(|| {
            let (done, stop) = (done.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let count = done.load(Ordering::Relaxed);
                    let _ = write!(
                        std::io::stderr(),
                        "\rchecking: {count} of {total} files ({}%)",
                        count * 100 / total.max(1)
                    );
                    std::thread::sleep(Duration::from_millis(150));
                }
                let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(60));
            })
        });
        Progress {
            done,
            stop,
            painter,
        }
    }

    /// The counter the workers add to.
    pub fn counter(&self) -> &AtomicUsize {
        &self.done
    }

    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(painter) = self.painter.take() {
            let _ = painter.join();
        }
    }
}
