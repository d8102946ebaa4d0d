//! Waiting for events with a short busy-poll first. Key decision: when events have been arriving
//! close together, the loop polls without blocking for up to `busy-poll-us` microseconds before it
//! sleeps in `epoll_wait`. A request that arrives during the spin is served without the wake-up of a
//! sleeping thread, which on loopback costs the *client* a scheduler wake-up and an inter-processor
//! interrupt inside its `send` and adds latency on both sides — at one request per round trip this
//! is what bounds throughput, not the server's CPU.
//!
//! Spinning is only worth it on a core nobody else wants, so it adapts twice. After a wait that saw
//! no event within the budget the next wait blocks at once, so an idle or lightly loaded server sleeps
//! and spends no CPU. And a spin that finds itself preempted (a gap between two polls far longer than
//! a poll takes: other work wants this core) stops spinning — a spinning thread loses the scheduler's
//! wake-up preference and would then wait out other threads' time slices — until [`Spin::review`]
//! (each cron tick) has been called a number of times that doubles with each preemption in a row.
//! `busy-poll-us 0` turns it off.

use mio::{Events, Poll};
use std::io;
use std::time::{Duration, Instant};

/// A gap between two spinning polls longer than this means the thread was preempted.
const PREEMPTED: Duration = Duration::from_micros(50);
/// Most reviews spinning stays off after repeated preemptions (64 ticks: 6.4 s at `hz 10`).
const MAX_BACKOFF: u32 = 64;

/// The adaptive spin state of one event loop.
#[derive(Debug)]
pub struct Spin {
    /// Whether the last wait saw an event within the budget (so the next one spins first).
    recent: bool,
    /// Reviews left before spinning is allowed again (0: allowed).
    cooldown: u32,
    /// The cooldown the next preemption imposes.
    backoff: u32,
    /// Whether a spin was preempted since the last review.
    preempted: bool,
}

impl Default for Spin {
    fn default() -> Self {
        Spin {
            recent: false,
            cooldown: 0,
            backoff: 1,
            preempted: false,
        }
    }
}

impl Spin {
    /// Waits up to `timeout` for events into `events`: first polling without blocking for up to
    /// `budget` when events came recently and spinning is allowed, then blocking for the rest.
    pub fn wait(
        &mut self,
        poll: &mut Poll,
        events: &mut Events,
        timeout: Duration,
        budget: Duration,
    ) -> io::Result<()> {
        let start = Instant::now();
        if self.recent && self.cooldown == 0 && !budget.is_zero() {
            let spin_until = budget.min(timeout);
            let mut last = start;
            loop {
                poll.poll(events, Some(Duration::ZERO))?;
                if !events.is_empty() {
                    return Ok(());
                }
                let now = Instant::now();
                if now - last > PREEMPTED {
                    self.on_preempted();
                    break;
                }
                if now - start >= spin_until {
                    break;
                }
                last = now;
                std::hint::spin_loop();
            }
        }
        let result = poll.poll(events, Some(timeout.saturating_sub(start.elapsed())));
        self.recent = !events.is_empty() && start.elapsed() < budget;
        result
    }

    /// Called each cron tick: counts down the cooldown after a preemption, and forgets the backoff
    /// after a whole tick of spinning without one.
    pub fn review(&mut self) {
        if self.cooldown > 0 {
            self.cooldown -= 1;
        } else if !self.preempted {
            self.backoff = 1;
        }
        self.preempted = false;
    }

    /// A spin was preempted: stop spinning for `backoff` reviews, and twice as long next time.
    fn on_preempted(&mut self) {
        self.preempted = true;
        self.cooldown = self.backoff;
        self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spinning() -> Spin {
        Spin {
            recent: true,
            ..Spin::default()
        }
    }

    #[test]
    fn a_wait_without_events_blocks_for_the_timeout_and_stops_spinning() {
        let mut poll = Poll::new().unwrap();
        let mut events = Events::with_capacity(4);
        let mut spin = spinning();
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
    fn preemptions_stop_spinning_for_a_doubling_number_of_reviews() {
        let mut spin = spinning();
        spin.on_preempted();
        assert_eq!(spin.cooldown, 1);
        spin.review();
        assert_eq!(spin.cooldown, 0);
        spin.on_preempted();
        assert_eq!(spin.cooldown, 2);
        spin.review();
        spin.review();
        assert_eq!(spin.cooldown, 0);
        assert_eq!(spin.backoff, 4);
        spin.review();
        assert_eq!(
            spin.backoff, 1,
            "a quiet tick of spinning forgets the backoff"
        );
        for _ in 0..10 {
            spin.on_preempted();
        }
        assert_eq!(spin.cooldown, MAX_BACKOFF);
    }
}
