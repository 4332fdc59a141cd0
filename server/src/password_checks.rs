//! Password checks on a few threads of their own. An Argon2id check holds about 19 MiB while it
//! runs; on tokio's blocking pool every burst of sign-ins ran on new threads, and each thread's
//! allocator kept its share afterwards (57 sign-ins at once took the process from 23 MB to
//! 1.15 GB; with only a semaphore, 20 checks still left 410 MB, as the allocator kept the
//! freed blocks). Here at most `PARALLEL_CHECKS` run at once, always on the same threads, each
//! working in one buffer it keeps, so the memory they hold is that number of buffers; more
//! checks wait their turn.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

/// Checks at once, and threads that run them.
pub const PARALLEL_CHECKS: usize = 4;

struct Job {
    password: String,
    stored: Option<String>,
    answer: tokio::sync::oneshot::Sender<bool>,
}

#[derive(Debug, thiserror::Error)]
#[error("the password checkers stopped")]
pub struct CheckersStopped;

/// Whether `password` matches `stored`; with no stored hash (an unknown username) a dummy hash
/// is checked all the same, so the answer takes as long, and it is `false`.
pub async fn check(password: String, stored: Option<String>) -> Result<bool, CheckersStopped> {
    static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PARALLEL_CHECKS);
    let _turn = TURNS.acquire().await.map_err(|_| CheckersStopped)?;
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job = Job {
        password,
        stored,
        answer,
    };
    checkers()
        .lock()
        .map_err(|_| CheckersStopped)?
        .send(job)
        .map_err(|_| CheckersStopped)?;
    answered.await.map_err(|_| CheckersStopped)
}

fn checkers() -> &'static Mutex<Sender<Job>> {
    static JOBS: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    JOBS.get_or_init(|| {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..PARALLEL_CHECKS {
            let queue = queue.clone();
            let _ = std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || run_checks(&queue));
        }
        Mutex::new(jobs)
    })
}

fn run_checks(queue: &Mutex<Receiver<Job>>) {
    // Each thread works in one buffer for all its checks (see `app::password::verify_in`).
    let mut memory = Vec::new();
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let matches = match &job.stored {
            Some(stored) => app::password::verify_in(&job.password, stored, &mut memory),
            None => {
                let _ = app::password::verify_in(&job.password, dummy_hash(), &mut memory);
                false
            }
        };
        let _ = job.answer.send(matches);
    }
}

/// A hash to check against when the username is unknown, made once per process.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| app::password::hash("khong-phai-mat-khau-nao").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn checks_answer_right_and_wrong_passwords_many_at_once() {
        let stored = app::password::hash("một câu mật khẩu dài").unwrap();
        let checks: Vec<_> = (0..12)
            .map(|n| {
                let (password, stored) = match n % 3 {
                    0 => ("một câu mật khẩu dài", Some(stored.clone())),
                    1 => ("sai rồi", Some(stored.clone())),
                    _ => ("ai đó", None),
                };
                tokio::spawn(check(password.to_owned(), stored))
            })
            .collect();
        let mut answers = Vec::new();
        for check in checks {
            answers.push(check.await.unwrap().unwrap());
        }
        let expected: Vec<bool> = (0..12).map(|n| n % 3 == 0).collect();
        assert_eq!(answers, expected);
    }
}
