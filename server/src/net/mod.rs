//! Networking: the mio event loop (listeners, clients, timers, signals) and the connection type.

pub mod busy;
pub mod client;
pub mod event_loop;
pub mod spin;

pub use event_loop::run;
