//! Ferrous: a Redis 7.0-compatible server.
//!
//! # Tour
//! A request travels: [`net`] (mio event loop accepts, reads into the connection's query buffer) →
//! [`resp`] (the parser turns bytes into arguments, enforcing Redis's protocol limits) → [`cmd`] (the
//! command table finds the entry, checks arity and auth, calls the handler) → [`db`] (the handler
//! reads/writes the keyspace of the selected database) → [`resp::Reply`] (the handler's reply is
//! encoded for RESP2 or RESP3 into the connection's output buffer) → [`net`] (written once per read).
//!
//! - [`config`]: the directive table behind the config file, `--name value` and `CONFIG GET/SET`.
//! - [`server`]: the state every command can reach (databases, config, stats, clients).
//! - [`log`]: Redis-style log lines.
//! - [`alloc`]: the counting global allocator behind `INFO memory` and `MEMORY`.
//! - [`pubsub`]: who is subscribed to which channels and patterns.
//! - [`blocking`]: clients blocked on keys (BLPOP...), by key and by deadline.
//! - [`tracking`]: client-side caching: tracking clients, the keys they read, broadcast prefixes
//!   (delivery of invalidations is in `cmd::tracking`).
//!
//! After each top-level command, `cmd::after_command` serves clients blocked on keys that were written
//! (`db::hooks` records them) and publishes keyspace notifications.
//! - [`script`]: EVAL/FUNCTION on the ferrous-lua interpreter.
//! - [`lzf`]: LZF compression of RDB strings, byte-identical to Redis's.
//! - [`propagate`]: the effects of each command, queued per execution unit for the AOF and replicas.
//!
//! Everything runs on one thread: commands execute one at a time, so each is atomic.
//! How to add commands: see the [`cmd`] module documentation.

pub mod alloc;
pub mod blocking;
pub mod cmd;
pub mod config;
pub mod db;
pub mod log;
pub mod lzf;
pub mod net;
pub mod propagate;
pub mod pubsub;
pub mod resp;
pub mod script;
pub mod server;
pub mod tracking;

/// The Redis version this server reports and behaves as.
pub const REDIS_VERSION: &str = "7.0.15";
