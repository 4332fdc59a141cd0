//! Per-step timings and outcomes, and the figures printed from them.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Why a step failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server answered, with an unexpected status.
    Status(u16),
    /// A 5xx answered with the app's own error page, in Vietnamese and English (what a citizen
    /// may see while a server goes away): counted apart from worse failures.
    ErrorPage(u16),
    /// No answer: refused, reset or timed out.
    NoAnswer(String),
    /// An answer without what the step needs (a redirect target, a form).
    Unexpected(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status(status) => write!(f, "HTTP {status}"),
            Failure::ErrorPage(status) => write!(f, "HTTP {status}{APP_PAGE}"),
            Failure::NoAnswer(why) => write!(f, "no answer: {why}"),
            Failure::Unexpected(what) => write!(f, "unexpected answer: {what}"),
        }
    }
}

/// The end of a failure's kind when the answer was the app's own error page.
pub const APP_PAGE: &str = " (the app's error page)";

/// One request of a citizen's visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Search,
    Procedure,
    Start,
    Applicant,
    DocumentsPage,
    Upload,
    Submit,
    Receipt,
    Status,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Step::Search => "search",
            Step::Procedure => "open procedure",
            Step::Start => "file: start",
            Step::Applicant => "file: applicant",
            Step::DocumentsPage => "file: documents page",
            Step::Upload => "file: upload",
            Step::Submit => "file: submit",
            Step::Receipt => "file: receipt",
            Step::Status => "status lookup",
        }
    }
}

#[derive(Debug, Default, Clone)]
struct StepRecord {
    times: Vec<Duration>,
    failures: BTreeMap<String, usize>,
}

/// Shared by every simulated citizen of a run.
#[derive(Debug, Default)]
pub struct Recorder {
    steps: Mutex<BTreeMap<Step, StepRecord>>,
}

/// The figures of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFigures {
    pub step: Step,
    pub ok: usize,
    pub failed: usize,
    pub failures: BTreeMap<String, usize>,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// The value below which `fraction` of the sorted times lie (nearest rank).
pub fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (fraction * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Recorder {
    pub fn record(&self, step: Step, elapsed: Duration, failure: Option<&Failure>) {
        let mut steps = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        let record = steps.entry(step).or_default();
        match failure {
            None => record.times.push(elapsed),
            Some(failure) => {
                let kind = match failure {
                    Failure::Status(_) | Failure::ErrorPage(_) => failure.to_string(),
                    Failure::NoAnswer(_) => "no answer".to_owned(),
                    Failure::Unexpected(_) => "unexpected".to_owned(),
                };
                *record.failures.entry(kind).or_default() += 1;
            }
        }
    }

    /// Successful answers' times only: a failure's time says nothing about the service.
    pub fn figures(&self) -> Vec<StepFigures> {
        let steps = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        steps
            .iter()
            .map(|(step, record)| {
                let mut times = record.times.clone();
                times.sort();
                StepFigures {
                    step: *step,
                    ok: times.len(),
                    failed: record.failures.values().sum(),
                    failures: record.failures.clone(),
                    p50: percentile(&times, 0.50),
                    p99: percentile(&times, 0.99),
                    max: times.last().copied().unwrap_or_default(),
                }
            })
            .collect()
    }

    pub fn failed(&self) -> usize {
        self.figures().iter().map(|f| f.failed).sum()
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// A Markdown table of the figures, with each step's throughput over `seconds`.
pub fn table(figures: &[StepFigures], seconds: f64) -> String {
    let mut out = String::from(
        "| step | answered | per second | p50 ms | p99 ms | max ms | failed |\n|---|---|---|---|---|---|---|\n",
    );
    for f in figures {
        let failures = if f.failures.is_empty() {
            "0".to_owned()
        } else {
            f.failures
                .iter()
                .map(|(kind, n)| format!("{n} × {kind}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| {} | {} | {:.1} | {} | {} | {} | {} |\n",
            f.step.label(),
            f.ok,
            f.ok as f64 / seconds.max(0.001),
            ms(f.p50),
            ms(f.p99),
            ms(f.max),
            failures
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 0.5), Duration::from_millis(50));
        assert_eq!(percentile(&times, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&times[..1], 0.99), Duration::from_millis(1));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn failures_are_counted_apart_from_times() {
        let recorder = Recorder::default();
        recorder.record(Step::Search, Duration::from_millis(4), None);
        recorder.record(
            Step::Search,
            Duration::from_millis(900),
            Some(&Failure::Status(500)),
        );
        let figures = recorder.figures();
        assert_eq!(figures[0].ok, 1);
        assert_eq!(figures[0].failed, 1);
        assert_eq!(figures[0].max, Duration::from_millis(4));
        assert!(table(&figures, 1.0).contains("1 × HTTP 500"));
    }
}
