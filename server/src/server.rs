//! The server state shared by every command: databases, configuration, statistics and the connected
//! clients. Key decision: it is owned by the single event-loop thread and handed to handlers as
//! `&mut` — no locks anywhere.

use crate::config::{Config, D};
use crate::db::Db;
use crate::net::client::Conn;
use std::collections::HashMap;
use std::time::Instant;

/// Counters reported by `INFO stats` / `INFO commandstats` / `INFO errorstats`.
#[derive(Debug, Default)]
pub struct Stats {
    /// Connections accepted.
    pub connections_received: u64,
    /// Commands executed.
    pub commands_processed: u64,
    /// Connections refused because of `maxclients`.
    pub rejected_connections: u64,
    /// Bytes read from clients.
    pub net_input_bytes: u64,
    /// Bytes written to clients.
    pub net_output_bytes: u64,
    /// Calls per command (indexed by table id).
    pub calls: Vec<u64>,
    /// Failed calls per command (indexed by table id).
    pub failed_calls: Vec<u64>,
    /// Calls rejected before running (arity, auth...), per command.
    pub rejected_calls: Vec<u64>,
    /// Error replies by code (`ERR`, `WRONGTYPE`...).
    pub errors: HashMap<String, u64>,
    /// Total error replies.
    pub total_error_replies: u64,
    /// Microseconds spent per command (indexed by table id).
    pub usec: Vec<u64>,
}

/// Why and how the server should stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shutdown {
    /// Keep running.
    No,
    /// Stop after this iteration of the event loop.
    Now,
}

/// Everything a command may touch.
pub struct Server {
    /// The databases (`databases` directive, 16 by default).
    pub dbs: Vec<Db>,
    /// Current configuration.
    pub config: Config,
    /// Statistics.
    pub stats: Stats,
    /// Connected clients other than the one executing (it is taken out while it runs).
    pub clients: Vec<Option<Box<Conn>>>,
    /// Client slots to close once they are not executing (`CLIENT KILL`, idle timeout).
    pub kill_queue: Vec<usize>,
    /// Number of connected clients (including the executing one).
    pub client_count: usize,
    /// Next client id.
    pub next_client_id: u64,
    /// When the server started.
    pub started: Instant,
    /// Unix time (s) of start.
    pub start_unix: i64,
    /// 40 hex characters identifying this run.
    pub run_id: String,
    /// Path of the config file, if any (`INFO server` config_file).
    pub config_file: String,
    /// TCP port actually bound.
    pub port: u16,
    /// Set by `SHUTDOWN` and signals.
    pub shutdown: Shutdown,
    /// Whether the active expiry cycle runs (`DEBUG SET-ACTIVE-EXPIRE`).
    pub active_expire: bool,
    /// Unix time (s) of the last successful save (start time when never saved).
    pub lastsave: i64,
    /// Channel, pattern and shard channel subscriptions.
    pub pubsub: crate::pubsub::PubSub,
    /// Clients blocked on keys.
    pub blocking: crate::blocking::Waiting,
    /// Slots that received output outside their own command (publish, wake-up): the event loop
    /// writes them.
    pub pending_write: Vec<usize>,
    /// Slots of clients just unblocked: the event loop resumes their pipelined commands.
    pub unblocked: Vec<usize>,
    /// `MONITOR` clients (id, slot).
    pub monitors: Vec<(u64, usize)>,
    /// Output buffer limits per client class, parsed from `client-output-buffer-limit`.
    pub obuf_limits: ObufLimits,
    /// Script cache, function libraries, their Lua states and the running script.
    pub scripting: crate::script::Scripting,
    /// The slow log.
    pub slowlog: crate::cmd::slowlog::SlowLog,
    /// Latency monitor events and per-command latency histograms.
    pub latency: crate::cmd::latency::Latency,
    /// `CLIENT PAUSE` state and the clients it holds.
    pub pause: crate::cmd::pause::Pause,
    /// Sockets for serving clients while a slow script runs (set by the event loop).
    pub busy_net: Option<crate::net::busy::BusyNet>,
}

/// Output buffer limit of one client class: hard bytes, soft bytes, soft seconds (0: no limit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ObufLimit {
    /// Close as soon as the buffer exceeds this.
    pub hard: usize,
    /// Close when the buffer stays over this for `soft_secs`.
    pub soft: usize,
    /// Seconds over the soft limit tolerated.
    pub soft_secs: u64,
}

/// The limits of the `normal`, `replica` and `pubsub` classes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ObufLimits {
    /// Normal clients.
    pub normal: ObufLimit,
    /// Replicas.
    pub replica: ObufLimit,
    /// Clients subscribed to channels or patterns.
    pub pubsub: ObufLimit,
}

impl std::fmt::Display for ObufLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let classes = [
            ("normal", self.normal),
            ("slave", self.replica),
            ("pubsub", self.pubsub),
        ];
        let parts: Vec<String> = classes
            .iter()
            .map(|(n, l)| format!("{n} {} {} {}", l.hard, l.soft, l.soft_secs))
            .collect();
        f.write_str(&parts.join(" "))
    }
}

impl ObufLimits {
    /// Parses `normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60` (any subset of
    /// classes, sizes with units); `None` when malformed.
    pub fn parse(text: &str, base: ObufLimits) -> Option<ObufLimits> {
        let words: Vec<&str> = text.split_ascii_whitespace().collect();
        if !words.len().is_multiple_of(4) {
            return None;
        }
        let mut out = base;
        for w in words.chunks_exact(4) {
            let limit = ObufLimit {
                hard: crate::config::parse_memory(w[1])?.try_into().ok()?,
                soft: crate::config::parse_memory(w[2])?.try_into().ok()?,
                soft_secs: w[3].parse().ok()?,
            };
            match w[0].to_ascii_lowercase().as_str() {
                "normal" => out.normal = limit,
                "slave" | "replica" => out.replica = limit,
                "pubsub" => out.pubsub = limit,
                _ => return None,
            }
        }
        Some(out)
    }
}

impl Server {
    /// A server with empty databases for `config`.
    pub fn new(config: Config) -> Server {
        let n = config.int(D::databases).max(1) as usize;
        let commands = crate::cmd::table::table().len();
        let start_unix = crate::db::clock::system_ms() / 1000;
        let mut server = Server {
            dbs: (0..n).map(|_| Db::new()).collect(),
            port: config.int(D::port) as u16,
            config,
            stats: Stats {
                calls: vec![0; commands],
                failed_calls: vec![0; commands],
                rejected_calls: vec![0; commands],
                usec: vec![0; commands],
                ..Stats::default()
            },
            clients: Vec::new(),
            kill_queue: Vec::new(),
            client_count: 0,
            next_client_id: 1,
            started: Instant::now(),
            start_unix,
            run_id: random_hex(40),
            config_file: String::new(),
            shutdown: Shutdown::No,
            active_expire: true,
            lastsave: start_unix,
            pubsub: Default::default(),
            blocking: Default::default(),
            pending_write: Vec::new(),
            unblocked: Vec::new(),
            monitors: Vec::new(),
            obuf_limits: ObufLimits::default(),
            scripting: crate::script::Scripting::default(),
            busy_net: None,
            pause: Default::default(),
            slowlog: Default::default(),
            latency: Default::default(),
        };
        server.apply_config();
        server
    }

    /// Refreshes the state derived from configuration (output buffer limits, keyspace notification
    /// classes); called at start and after `CONFIG SET`.
    pub fn apply_config(&mut self) {
        let text = self.config.text(D::client_output_buffer_limit);
        if let Some(l) = ObufLimits::parse(text, self.obuf_limits) {
            self.obuf_limits = l;
            let canonical = l.to_string();
            let _ = self
                .config
                .set("client-output-buffer-limit", &canonical, false);
        }
        let mask = crate::cmd::notify::parse_flags(self.config.text(D::notify_keyspace_events))
            .unwrap_or(0);
        let canonical = crate::cmd::notify::flags_to_string(mask);
        let _ = self.config.set("notify-keyspace-events", &canonical, false);
        for db in &mut self.dbs {
            db.hooks.notify_mask = mask;
        }
        let text = self.config.text(D::latency_tracking_info_percentiles);
        if let Ok(p) = crate::cmd::latency::parse_percentiles(text) {
            let canonical: Vec<String> = p.iter().map(f64::to_string).collect();
            let _ = self.config.set(
                "latency-tracking-info-percentiles",
                &canonical.join(" "),
                false,
            );
        }
    }

    /// The connection in `slot` when it is client `id` (and not the one executing).
    pub fn conn_mut(&mut self, slot: usize, id: u64) -> Option<&mut Conn> {
        self.clients
            .get_mut(slot)?
            .as_deref_mut()
            .filter(|c| c.state.id == id)
    }

    /// Writes output to client `id` in `slot` outside its own command (a message, a wake-up reply),
    /// schedules the write, and closes the client when its buffer exceeds its class's limits.
    pub fn send_to(&mut self, slot: usize, id: u64, f: impl FnOnce(&mut crate::resp::Reply)) {
        let limits = self.obuf_limits;
        let Some(conn) = self.conn_mut(slot, id) else {
            return;
        };
        if conn.state.close_after_reply {
            return;
        }
        f(&mut conn.reply);
        let over = over_limit(conn, &limits);
        if over {
            crate::log::warning(&format!(
                "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                conn.state.id, conn.state.addr
            ));
            conn.reply.buf.clear();
            conn.reply_pos = 0;
            conn.state.close_after_reply = true;
            self.kill_queue.push(slot);
        } else {
            self.pending_write.push(slot);
        }
    }

    /// Total keys over all databases.
    pub fn total_keys(&self) -> usize {
        self.dbs.iter().map(Db::len).sum()
    }
}

/// `n` random lowercase hex digits.
pub fn random_hex(n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(crate::db::random_index(16) as u32, 16).unwrap_or('0'))
        .collect()
}

/// True when `conn`'s pending output breaks the limits of its class (updating its soft-limit timer).
fn over_limit(conn: &mut Conn, limits: &ObufLimits) -> bool {
    let limit = if conn.state.subs.active() {
        limits.pubsub
    } else {
        limits.normal
    };
    let used = conn.pending_output();
    if limit.hard > 0 && used > limit.hard {
        return true;
    }
    if limit.soft > 0 && used > limit.soft {
        let since = *conn.soft_limit_since.get_or_insert_with(Instant::now);
        return since.elapsed() > std::time::Duration::from_secs(limit.soft_secs);
    }
    conn.soft_limit_since = None;
    false
}
