//! Waiting for events with a short busy-poll first. Key decision: when events have been arriving
//! close together, the loop polls without blocking for up to `busy-poll-us` microseconds before it
//! sleeps in `epoll_wait`. A request that arrives during the spin is served without the wake-up of a
//! sleeping thread, which on loopback costs the *client* a scheduler wake-up and an inter-processor
//! interrupt inside its `send` and adds latency on both sides — at one request per round trip this
//! is what bounds throughput, not the server's CPU.
//!
//! Spinning is only worth it on a core nobody else wants, so it adapts twice: after a wait that saw
//! no event within the budget the next wait blocks at once (an idle or lightly loaded server sleeps
//! and spends no CPU), and the periodic [`Spin::review`] turns spinning off while the thread is
//! being preempted (other runnable work on its core, seen as involuntary context switches), since a
//! spinning thread loses the scheduler's wake-up preference and then waits whole time slices.
//! `busy-poll-us 0` turns it off.

use mio::{Events, Poll};
use std::io;
use std::time::{Duration, Instant};

/// Involuntary context switches per review interval above which the core counts as contended.
const CONTENDED_SWITCHES: u64 = 2;

/// The adaptive spin state of one event loop.
#[derive(Debug, Default)]
pub struct Spin {
    /// Whether the last wait saw an event within the budget (so the next one spins first).
    recent: bool,
    /// Whether the last review found the core free of other work.
    uncontended: bool,
    /// The thread's involuntary context switch count at the last review.
    preemptions: u64,
}

impl Spin {
    /// Waits up to `timeout` for events into `events`: first polling without blocking for up to
    /// `budget` when events came recently and the core is free, then blocking for the rest.
    pub fn wait(
        &mut self,
        poll: &mut Poll,
        events: &mut Events,
        timeout: Duration,
        budget: Duration,
    ) -> io::Result<()> {
        let start = Instant::now();
        if self.recent && self.uncontended && !budget.is_zero() {
            let spin_until = budget.min(timeout);
            loop {
                poll.poll(events, Some(Duration::ZERO))?;
                if !events.is_empty() {
                    return Ok(());
                }
                if start.elapsed() >= spin_until {
                    break;
                }
                std::hint::spin_loop();
            }
        }
        let result = poll.poll(events, Some(timeout.saturating_sub(start.elapsed())));
        self.recent = !events.is_empty() && start.elapsed() < budget;
        result
    }

    /// Called periodically (each cron tick): allows spinning only if the thread was not preempted
    /// more than [`CONTENDED_SWITCHES`] times since the last call.
    pub fn review(&mut self) {
        self.record_preemptions(involuntary_switches());
    }

    /// Updates the contention verdict from the thread's involuntary switch count `now` (never spin
    /// where it cannot be read).
    fn record_preemptions(&mut self, now: Option<u64>) {
        let Some(now) = now else {
            self.uncontended = false;
            return;
        };
        self.uncontended = now.saturating_sub(self.preemptions) <= CONTENDED_SWITCHES;
        self.preemptions = now;
    }
}

/// The calling thread's involuntary context switches so far (Linux: `/proc/thread-self/status`).
fn involuntary_switches() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/thread-self/status").ok()?;
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("nonvoluntary_ctxt_switches:"))?;
    line.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_without_events_blocks_for_the_timeout_and_stops_spinning() {
        let mut poll = Poll::new().unwrap();
        let mut events = Events::with_capacity(4);
        let mut spin = Spin {
            recent: true,
            uncontended: true,
            preemptions: 0,
        };
        let start = Instant::now();
        let timeout = Duration::from_millis(5);
        spin.wait(&mut poll, &mut events, timeout, Duration::from_millis(1))
            .unwrap();
        assert!(start.elapsed() >= timeout);
        assert!(events.is_empty());
        assert!(!spin.recent);
    }

    #[test]
    fn an_event_within_the_budget_makes_the_next_wait_spin() {
        let mut poll = Poll::new().unwrap();
        let mut listener = mio::net::TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        poll.registry()
            .register(&mut listener, mio::Token(0), mio::Interest::READABLE)
            .unwrap();
        let _client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let mut events = Events::with_capacity(4);
        let mut spin = Spin::default();
        let long = Duration::from_secs(30);
        spin.wait(&mut poll, &mut events, long, long).unwrap();
        assert!(!events.is_empty());
        assert!(spin.recent);
    }

    #[test]
    fn involuntary_switches_are_readable_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(involuntary_switches().is_some());
        }
    }

    #[test]
    fn spinning_is_allowed_only_while_the_thread_is_not_preempted() {
        let mut spin = Spin::default();
        spin.record_preemptions(Some(100));
        spin.record_preemptions(Some(100 + CONTENDED_SWITCHES));
        assert!(spin.uncontended);
        spin.record_preemptions(Some(101 + 2 * CONTENDED_SWITCHES));
        assert!(!spin.uncontended);
        spin.record_preemptions(Some(101 + 2 * CONTENDED_SWITCHES));
        assert!(spin.uncontended);
        spin.record_preemptions(None);
        assert!(!spin.uncontended);
    }
}
