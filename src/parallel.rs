//! A scoped worker pool for startup and batch work: no tasks outlive the call.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` on each job on `threads` threads (at most one per job), each taking the next job
/// as it finishes one; results in the jobs' order. A panic in `work` is resumed here.
pub(crate) fn map_in_order<J: Sync, T: Send>(
    jobs: &[J],
    threads: usize,
    work: impl Fn(&J) -> T + Sync,
) -> Vec<T> {
    let threads = threads.min(jobs.len());
    if threads <= 1 {
        return jobs.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break mine };
                        mine.push((i, work(job)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// The machine's cores (1 when it cannot tell).
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_jobs_order_on_any_number_of_threads() {
        let jobs: Vec<u32> = (0..100).collect();
        for threads in [1, 2, 7, 500] {
            let out = map_in_order(&jobs, threads, |j| j * 2);
            assert_eq!(out, jobs.iter().map(|j| j * 2).collect::<Vec<_>>());
        }
        assert!(map_in_order(&[] as &[u32], 4, |j| *j).is_empty());
    }
}
