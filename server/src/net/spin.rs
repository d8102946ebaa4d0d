//! Waiting for events with a short busy-poll first. Key decision: when events have been arriving
//! close together, the loop polls without blocking for up to `busy-poll-us` microseconds before it
//! sleeps in `epoll_wait`. A request that arrives during the spin is served without the wake-up of a
//! sleeping thread, which on loopback costs the *client* a scheduler wake-up and an inter-processor
//! interrupt inside its `send` and adds latency on both sides — at one request per round trip this
//! is what bounds throughput, not the server's CPU.
//!
//! Spinning is only worth it while nobody else on the core needs the time, so it adapts twice. After a
//! wait that saw no event within the budget the next wait blocks at once, so an idle or lightly loaded
//! server sleeps and spends no CPU. And a spin that finds itself preempted (a gap between two polls
//! far longer than a poll takes) ends. When more than one spin in [`MISSED_SHARE`] of a cron tick's
//! ended without an event (timed out or preempted) — typically the clients run on the same core, so
//! they cannot send while the server spins — spinning stops until [`Spin::review`] has been called a
//! number of times that doubles with each such tick in a row. Measured: with the client on another
//! core nearly every spin catches an event (a few preemptions per tick by kernel threads, even beside a
//! CPU hog, where spinning still wins), so occasional misses do not stop it.
//! `busy-poll-us 0` turns it off.

use mio::{Events, Poll};
use std::io;
use std::time::{Duration, Instant};

/// A gap between two spinning polls longer than this means the thread was preempted.
const PREEMPTED: Duration = Duration::from_micros(50);
/// A tick with more than one missed spin in this many (and more than [`MISSED_MIN`]) stops spinning.
const MISSED_SHARE: u32 = 16;
/// Missed spins per tick tolerated whatever the share.
const MISSED_MIN: u32 = 4;
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
    /// Spins since the last review.
    spins: u32,
    /// Spins since the last review that ended without an event.
    missed: u32,
}

impl Default for Spin {
    fn default() -> Self {
        Spin {
            recent: false,
            cooldown: 0,
            backoff: 1,
            spins: 0,
            missed: 0,
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
            let mut last = start;
            self.spins += 1;
            loop {
                poll.poll(events, Some(Duration::ZERO))?;
                if !events.is_empty() {
                    return Ok(());
                }
                let now = Instant::now();
                if now - last > PREEMPTED || now - start >= budget {
                    self.missed += 1;
                    break;
                }
                if now - start >= timeout {
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

    /// Called each cron tick: stops spinning for a while after a tick in which many spins missed,
    /// counts that while down, and forgets the backoff after a tick of spinning well.
    pub fn review(&mut self) {
        let contended = self.missed > MISSED_MIN && self.missed * MISSED_SHARE > self.spins;
        if contended {
            self.cooldown = self.backoff;
            self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
        } else if self.cooldown > 0 {
            self.cooldown -= 1;
        } else {
            self.backoff = 1;
        }
        self.spins = 0;
        self.missed = 0;
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
    fn ticks_with_many_missed_spins_stop_spinning_for_a_doubling_number_of_reviews() {
        let mut spin = spinning();
        let contended_tick = |spin: &mut Spin| {
            spin.spins = 40;
            spin.missed = 10;
            spin.review();
        };
        contended_tick(&mut spin);
        assert_eq!(spin.cooldown, 1);
        spin.review();
        assert_eq!(spin.cooldown, 0);
        contended_tick(&mut spin);
        assert_eq!(spin.cooldown, 2);
        spin.review();
        spin.review();
        assert_eq!((spin.cooldown, spin.backoff), (0, 4));
        spin.review();
        assert_eq!(
            spin.backoff, 1,
            "a good tick of spinning forgets the backoff"
        );
        for _ in 0..10 {
            contended_tick(&mut spin);
        }
        assert_eq!(spin.cooldown, MAX_BACKOFF);
    }

    #[test]
    fn a_few_misses_among_many_spins_do_not_stop_spinning() {
        let mut spin = spinning();
        spin.spins = 17_000;
        spin.missed = 7;
        spin.review();
        assert_eq!(spin.cooldown, 0);
        spin.spins = 3;
        spin.missed = 3;
        spin.review();
        assert_eq!(
            spin.cooldown, 0,
            "at most MISSED_MIN misses are always tolerated"
        );
    }
}
