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
    /// Script cache, function libraries, their Lua states and the running script.
    pub scripting: crate::script::Scripting,
    /// Sockets for serving clients while a slow script runs (set by the event loop).
    pub busy_net: Option<crate::net::busy::BusyNet>,
}

impl Server {
    /// A server with empty databases for `config`.
    pub fn new(config: Config) -> Server {
        let n = config.int(D::databases).max(1) as usize;
        let commands = crate::cmd::table::table().len();
        let start_unix = crate::db::clock::system_ms() / 1000;
        Server {
            dbs: (0..n).map(|_| Db::new()).collect(),
            port: config.int(D::port) as u16,
            config,
            stats: Stats {
                calls: vec![0; commands],
                failed_calls: vec![0; commands],
                rejected_calls: vec![0; commands],
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
            scripting: crate::script::Scripting::default(),
            busy_net: None,
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
