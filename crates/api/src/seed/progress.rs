use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How far a long seed has come: a bar on a terminal, a plain line every few seconds
/// otherwise (CI logs, `make bench` output).
pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    done: u64,
    started: Instant,
    last_line: Instant,
}

const LINE_EVERY: Duration = Duration::from_secs(2);

impl Progress {
    pub fn new(total_rows: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total_rows);
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} rows ({percent}%) {per_sec} eta {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        let now = Instant::now();
        Self {
            bar,
            total: total_rows,
            done: 0,
            started: now,
            last_line: now,
        }
    }

    pub fn advance(&mut self, rows: u64) {
        self.done += rows;
        match &self.bar {
            Some(bar) => bar.inc(rows),
            None if self.last_line.elapsed() >= LINE_EVERY || self.done == self.total => {
                self.last_line = Instant::now();
                eprintln!(
                    "seed: {}/{} rows ({}%), {:.0} rows/s",
                    self.done,
                    self.total,
                    self.done * 100 / self.total.max(1),
                    rows_per_second(self.done, self.started.elapsed())
                );
            }
            None => {}
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

pub fn rows_per_second(rows: u64, elapsed: Duration) -> f64 {
    rows as f64 / elapsed.as_secs_f64().max(1e-9)
}
