use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use super::*;

fn no_setup() {}

#[tokio::test]
async fn a_job_runs_on_a_named_thread_with_that_threads_state() {
    let threads = JobThreads::start("worker", vec![40], no_setup, QueueLimits::default()).unwrap();

    let (name, answer) = threads
        .run(|state| (std::thread::current().name().map(str::to_owned), state + 2))
        .await
        .unwrap();

    assert_eq!((name.as_deref(), answer), (Some("worker-0"), 42));
}

#[tokio::test]
async fn each_thread_runs_the_start_function_before_its_first_job() {
    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    fn mark_started() {
        STARTED.with(|started| started.set(true));
    }
    let threads =
        JobThreads::start("worker", vec![()], mark_started, QueueLimits::default()).unwrap();

    let started = threads.run(|()| STARTED.with(std::cell::Cell::get)).await;

    assert!(started.unwrap());
}

#[tokio::test]
async fn a_job_that_panics_is_an_error_and_its_thread_goes_on() {
    let threads = JobThreads::start("worker", vec![()], no_setup, QueueLimits::default()).unwrap();

    let panicked = threads.run(|()| -> u32 { panic!("a bug in a job") }).await;

    assert!(panicked.is_err());
    assert_eq!(threads.run(|()| 2 + 2).await.unwrap(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_threads_run_jobs_side_by_side() {
    // Each job says it started and waits for the other's start: both see the other only if
    // two threads run them at once. One at a time, each would time out.
    let threads =
        JobThreads::start("worker", vec![(), ()], no_setup, QueueLimits::default()).unwrap();
    let (first_started, first_seen) = channel();
    let (second_started, second_seen) = channel();
    let job = |started: Sender<()>, other: Receiver<()>| {
        move |(): &()| {
            let _ = started.send(());
            other.recv_timeout(Duration::from_secs(5)).is_ok()
        }
    };

    let (first, second) = tokio::join!(
        threads.run(job(first_started, second_seen)),
        threads.run(job(second_started, first_seen)),
    );

    assert_eq!((first.unwrap(), second.unwrap()), (true, true));
}

#[tokio::test]
async fn concurrent_jobs_all_finish_on_at_most_the_given_threads() {
    let threads =
        JobThreads::start("worker", vec![(), ()], no_setup, QueueLimits::default()).unwrap();
    let jobs = (0..8).map(|_| {
        let threads = threads.clone();
        tokio::spawn(async move {
            threads
                .run(|()| std::thread::current().name().map(str::to_owned))
                .await
        })
    });
    let mut names = HashSet::new();
    for job in jobs {
        names.insert(job.await.unwrap().unwrap());
    }
    assert!(names.len() <= 2, "{names:?}");
}

#[tokio::test]
async fn the_threads_stop_and_drop_their_states_when_the_last_clone_is_dropped() {
    // Each thread's state counts its own drop, which happens as its thread ends.
    struct CountsOnDrop(Arc<AtomicUsize>);
    impl Drop for CountsOnDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let stopped = Arc::new(AtomicUsize::new(0));
    let states = vec![CountsOnDrop(stopped.clone()), CountsOnDrop(stopped.clone())];
    let threads = JobThreads::start("worker", states, no_setup, QueueLimits::default()).unwrap();
    let clone = threads.clone();
    threads.run(|_| ()).await.unwrap();

    drop(threads);
    assert_eq!(
        clone.run(|_| ()).await.ok(),
        Some(()),
        "a clone still runs jobs"
    );
    drop(clone);

    for _ in 0..200 {
        if stopped.load(Ordering::SeqCst) == 2 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the threads did not stop");
}

/// One thread, held busy until the returned sender is dropped (or sends).
async fn one_busy_thread(limits: QueueLimits) -> (JobThreads<()>, Sender<()>) {
    let threads = JobThreads::start("worker", vec![()], no_setup, limits).unwrap();
    let (release, hold) = channel::<()>();
    let (started, has_started) = tokio::sync::oneshot::channel();
    let busy = threads.clone();
    tokio::spawn(async move {
        busy.run(move |()| {
            let _ = started.send(());
            let _ = hold.recv();
        })
        .await
    });
    has_started.await.unwrap();
    (threads, release)
}

fn refusal(result: Result<u32, JobError>) -> Option<String> {
    match result {
        Err(error @ JobError::Refused(_)) => Some(
            std::error::Error::source(&error)
                .and_then(std::error::Error::source)
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        _ => None,
    }
}

#[tokio::test]
async fn a_job_that_finds_the_queue_full_is_refused_at_once() {
    let limits = QueueLimits {
        max_jobs: 2,
        max_wait: Duration::from_secs(30),
    };
    let (threads, release) = one_busy_thread(limits).await;
    let queued: Vec<_> = (0..2)
        .map(|_| {
            let threads = threads.clone();
            tokio::spawn(async move { threads.run(|()| 7).await })
        })
        .collect();
    // Both queued jobs are waiting once the queue says so.
    while threads.queue.waiting.load(Ordering::SeqCst) < 2 {
        tokio::task::yield_now().await;
    }

    let third = threads.run(|()| 7).await;

    assert_eq!(
        refusal(third).as_deref(),
        Some("its queue already holds 2 jobs")
    );
    drop(release);
    for job in queued {
        assert_eq!(job.await.unwrap().unwrap(), 7, "the queued jobs still run");
    }
    assert_eq!(
        threads.run(|()| 8).await.unwrap(),
        8,
        "and so do later ones"
    );
}

#[tokio::test]
async fn a_job_that_cannot_start_within_the_wait_is_refused_and_never_runs() {
    let limits = QueueLimits {
        max_jobs: 10,
        max_wait: Duration::from_millis(50),
    };
    let (threads, release) = one_busy_thread(limits).await;
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();

    let waited = threads
        .run(move |()| counter.fetch_add(1, Ordering::SeqCst) as u32)
        .await;

    assert_eq!(
        refusal(waited).as_deref(),
        Some("it could not start within 50 ms")
    );
    drop(release);
    assert_eq!(threads.run(|()| 9).await.unwrap(), 9);
    assert_eq!(ran.load(Ordering::SeqCst), 0, "the refused job was shed");
    assert_eq!(threads.queue.waiting.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_job_that_started_in_time_may_run_longer_than_the_wait() {
    let limits = QueueLimits {
        max_jobs: 10,
        max_wait: Duration::from_millis(20),
    };
    let threads = JobThreads::start("worker", vec![()], no_setup, limits).unwrap();

    let slow = threads
        .run(|()| {
            std::thread::sleep(Duration::from_millis(100));
            5
        })
        .await;

    assert_eq!(slow.unwrap(), 5);
}
