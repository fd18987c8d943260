use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use super::*;

fn no_setup() {}

#[tokio::test]
async fn a_job_runs_on_a_named_thread_with_that_threads_state() {
    let threads = JobThreads::start("worker", vec![40], no_setup).unwrap();

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
    let threads = JobThreads::start("worker", vec![()], mark_started).unwrap();

    let started = threads.run(|()| STARTED.with(std::cell::Cell::get)).await;

    assert!(started.unwrap());
}

#[tokio::test]
async fn a_job_that_panics_is_an_error_and_its_thread_goes_on() {
    let threads = JobThreads::start("worker", vec![()], no_setup).unwrap();

    let panicked = threads.run(|()| -> u32 { panic!("a bug in a job") }).await;

    assert!(panicked.is_err());
    assert_eq!(threads.run(|()| 2 + 2).await.unwrap(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_threads_run_jobs_side_by_side() {
    // Each job says it started and waits for the other's start: both see the other only if
    // two threads run them at once. One at a time, each would time out.
    let threads = JobThreads::start("worker", vec![(), ()], no_setup).unwrap();
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
    let threads = JobThreads::start("worker", vec![(), ()], no_setup).unwrap();
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
    let threads = JobThreads::start("worker", states, no_setup).unwrap();
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
