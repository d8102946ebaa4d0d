//! `INFO`: the sections Redis clients read (server, clients, memory, persistence, stats, replication,
//! cpu, modules, commandstats, errorstats, cluster, keyspace), with Redis 7.0's field names. Key
//! decision: allocated memory comes from the counting allocator ([`crate::alloc`]), RSS and CPU
//! figures from /proc.

use super::memory::Usage;
use super::table::table;
use super::{CmdResult, Ctx};
use crate::config::D;
use crate::server::Server;
use std::fmt::Write as _;

const DEFAULT: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "errorstats",
    "cluster",
    "keyspace",
];

/// INFO [section ...].
pub fn info(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut wanted: Vec<String> = Vec::new();
    for a in &args[1..] {
        let w = String::from_utf8_lossy(a).to_ascii_lowercase();
        match w.as_str() {
            "default" => wanted.extend(DEFAULT.iter().map(|s| s.to_string())),
            "all" | "everything" => {
                wanted.extend(DEFAULT.iter().map(|s| s.to_string()));
                wanted.push("commandstats".into());
                wanted.push("latencystats".into());
            }
            _ => wanted.push(w),
        }
    }
    if wanted.is_empty() {
        wanted.extend(DEFAULT.iter().map(|s| s.to_string()));
    }
    let mut text = String::new();
    let order = [
        "server",
        "clients",
        "memory",
        "persistence",
        "stats",
        "replication",
        "cpu",
        "modules",
        "commandstats",
        "errorstats",
        "latencystats",
        "cluster",
        "keyspace",
    ];
    for section in order {
        if wanted.iter().any(|w| w == section) {
            if !text.is_empty() {
                text.push_str("\r\n");
            }
            write_section(cx.server, section, &mut text);
        }
    }
    cx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

fn write_section(s: &Server, section: &str, t: &mut String) {
    match section {
        "server" => server(s, t),
        "clients" => clients(s, t),
        "memory" => memory(s, t),
        "persistence" => persistence(s, t),
        "stats" => stats(s, t),
        "replication" => replication(s, t),
        "cpu" => cpu(t),
        "modules" => t.push_str("# Modules\r\n"),
        "commandstats" => commandstats(s, t),
        "errorstats" => errorstats(s, t),
        "latencystats" => {
            t.push_str("# Latencystats\r\n");
            super::latency::info_latencystats(s, t);
        }
        "cluster" => t.push_str("# Cluster\r\ncluster_enabled:0\r\n"),
        "keyspace" => keyspace(s, t),
        _ => {}
    }
}

fn line(t: &mut String, k: &str, v: impl std::fmt::Display) {
    let _ = write!(t, "{k}:{v}\r\n");
}

fn server(s: &Server, t: &mut String) {
    let up = s.started.elapsed().as_secs();
    t.push_str("# Server\r\n");
    line(t, "redis_version", crate::REDIS_VERSION);
    line(t, "redis_git_sha1", "00000000");
    line(t, "redis_git_dirty", 0);
    line(t, "redis_build_id", "0");
    line(t, "redis_mode", "standalone");
    line(
        t,
        "os",
        format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    );
    line(t, "arch_bits", 64);
    line(t, "monotonic_clock", "POSIX clock_gettime");
    line(t, "multiplexing_api", "epoll");
    line(t, "atomicvar_api", "c11-builtin");
    line(t, "gcc_version", "0.0.0");
    line(t, "process_id", std::process::id());
    line(t, "process_supervised", "no");
    line(t, "run_id", &s.run_id);
    line(t, "tcp_port", s.port);
    line(t, "server_time_usec", crate::db::clock::system_us());
    line(t, "uptime_in_seconds", up);
    line(t, "uptime_in_days", up / 86400);
    line(t, "hz", s.config.int(D::hz));
    line(t, "configured_hz", s.config.int(D::hz));
    line(t, "lru_clock", crate::db::clock::lru_clock() & 0xff_ffff);
    let exe = std::env::current_exe().map(|p| p.display().to_string());
    line(t, "executable", exe.unwrap_or_default());
    line(t, "config_file", &s.config_file);
    line(t, "io_threads_active", 0);
    line(t, "ferrous_version", env!("CARGO_PKG_VERSION"));
}

fn clients(s: &Server, t: &mut String) {
    t.push_str("# Clients\r\n");
    line(t, "connected_clients", s.client_count);
    line(t, "cluster_connections", 0);
    line(t, "maxclients", s.config.int(D::maxclients));
    line(t, "client_recent_max_input_buffer", 0);
    line(t, "client_recent_max_output_buffer", 0);
    line(
        t,
        "blocked_clients",
        s.blocking.count + super::pause::held_count(s),
    );
    line(t, "tracking_clients", s.tracking.client_count());
    line(t, "clients_in_timeout_table", 0);
}

/// Bytes in Redis's human form (`1.50M`).
pub fn human(n: u64) -> String {
    let units = [("G", 1u64 << 30), ("M", 1 << 20), ("K", 1 << 10)];
    for (u, size) in units {
        if n >= size {
            return format!("{:.2}{u}", n as f64 / size as f64);
        }
    }
    format!("{n}B")
}

fn memory(s: &Server, t: &mut String) {
    let u = Usage::now(&s.dbs);
    let (used, peak, rss) = (u.used as u64, u.peak as u64, u.rss as u64);
    let net = u.used.saturating_sub(u.startup);
    t.push_str("# Memory\r\n");
    line(t, "used_memory", used);
    line(t, "used_memory_human", human(used));
    line(t, "used_memory_rss", rss);
    line(t, "used_memory_rss_human", human(rss));
    line(t, "used_memory_peak", peak);
    line(t, "used_memory_peak_human", human(peak));
    let peak_perc = Usage::percent(u.used, u.peak);
    line(t, "used_memory_peak_perc", format!("{peak_perc:.2}%"));
    line(t, "used_memory_overhead", u.overhead());
    line(t, "used_memory_startup", u.startup);
    line(t, "used_memory_dataset", u.dataset());
    let dataset_perc = Usage::percent(u.dataset(), net);
    line(t, "used_memory_dataset_perc", format!("{dataset_perc:.2}%"));
    line(t, "used_memory_lua", 32768);
    line(t, "maxmemory", s.config.int(D::maxmemory));
    line(
        t,
        "maxmemory_human",
        human(s.config.int(D::maxmemory) as u64),
    );
    line(t, "maxmemory_policy", s.config.text(D::maxmemory_policy));
    line(
        t,
        "mem_fragmentation_ratio",
        format!("{:.2}", u.fragmentation()),
    );
    line(t, "mem_fragmentation_bytes", rss as i64 - used as i64);
    line(t, "mem_allocator", "libc");
    line(t, "lazyfree_pending_objects", 0);
}

fn persistence(s: &Server, t: &mut String) {
    let dirty: u64 = s.dbs.iter().map(|d| d.dirty).sum();
    t.push_str("# Persistence\r\n");
    line(t, "loading", 0);
    line(t, "async_loading", 0);
    line(t, "rdb_changes_since_last_save", dirty);
    line(t, "rdb_bgsave_in_progress", 0);
    line(t, "rdb_last_save_time", s.lastsave);
    line(t, "rdb_last_bgsave_status", "ok");
    line(t, "rdb_last_bgsave_time_sec", -1);
    line(t, "rdb_current_bgsave_time_sec", -1);
    line(t, "aof_enabled", s.config.flag(D::appendonly) as u8);
    line(t, "aof_rewrite_in_progress", 0);
    line(t, "aof_rewrite_scheduled", 0);
    line(t, "aof_last_rewrite_time_sec", -1);
    line(t, "aof_current_rewrite_time_sec", -1);
    line(t, "aof_last_bgrewrite_status", "ok");
    line(t, "aof_last_write_status", "ok");
}

fn stats(s: &Server, t: &mut String) {
    let st = &s.stats;
    let sum = |f: fn(&crate::db::Db) -> u64| s.dbs.iter().map(f).sum::<u64>();
    t.push_str("# Stats\r\n");
    line(t, "total_connections_received", st.connections_received);
    line(t, "total_commands_processed", st.commands_processed);
    line(t, "instantaneous_ops_per_sec", 0);
    line(t, "total_net_input_bytes", st.net_input_bytes);
    line(t, "total_net_output_bytes", st.net_output_bytes);
    line(t, "instantaneous_input_kbps", "0.00");
    line(t, "instantaneous_output_kbps", "0.00");
    line(t, "rejected_connections", st.rejected_connections);
    line(t, "sync_full", 0);
    line(t, "sync_partial_ok", 0);
    line(t, "sync_partial_err", 0);
    line(t, "expired_keys", sum(|d| d.expired_keys));
    line(t, "expired_stale_perc", "0.00");
    line(t, "expired_time_cap_reached_count", 0);
    line(t, "evicted_keys", 0);
    line(t, "evicted_clients", 0);
    line(t, "keyspace_hits", sum(|d| d.hits));
    line(t, "keyspace_misses", sum(|d| d.misses));
    line(t, "pubsub_channels", s.pubsub.channel_count());
    line(t, "pubsub_patterns", s.pubsub.pattern_count());
    line(t, "latest_fork_usec", 0);
    line(t, "total_forks", 0);
    line(t, "tracking_total_keys", s.tracking.total_keys());
    line(t, "tracking_total_items", s.tracking.total_items());
    line(t, "tracking_total_prefixes", s.tracking.total_prefixes());
    line(t, "unexpected_error_replies", 0);
    line(t, "total_error_replies", st.total_error_replies);
    line(t, "total_reads_processed", 0);
    line(t, "total_writes_processed", 0);
}

fn replication(s: &Server, t: &mut String) {
    t.push_str("# Replication\r\n");
    line(t, "role", "master");
    line(t, "connected_slaves", 0);
    line(t, "master_failover_state", "no-failover");
    line(t, "master_replid", &s.run_id);
    line(
        t,
        "master_replid2",
        "0000000000000000000000000000000000000000",
    );
    line(t, "master_repl_offset", 0);
    line(t, "second_repl_offset", -1);
    line(t, "repl_backlog_active", 0);
    line(t, "repl_backlog_size", s.config.int(D::repl_backlog_size));
    line(t, "repl_backlog_first_byte_offset", 0);
    line(t, "repl_backlog_histlen", 0);
}

fn cpu(t: &mut String) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 100.0
    };
    let (user, sys) = (ticks(11), ticks(12));
    t.push_str("# CPU\r\n");
    line(t, "used_cpu_sys", format!("{sys:.6}"));
    line(t, "used_cpu_user", format!("{user:.6}"));
    line(t, "used_cpu_sys_children", "0.000000");
    line(t, "used_cpu_user_children", "0.000000");
    line(t, "used_cpu_sys_main_thread", format!("{sys:.6}"));
    line(t, "used_cpu_user_main_thread", format!("{user:.6}"));
}

fn commandstats(s: &Server, t: &mut String) {
    t.push_str("# Commandstats\r\n");
    for (id, cmd) in table().order.iter().enumerate() {
        let calls = s.stats.calls[id];
        let usec = s.stats.usec[id];
        let rejected = s.stats.rejected_calls[id];
        if calls == 0 && rejected == 0 {
            continue;
        }
        let _ = write!(
            t,
            "cmdstat_{}:calls={calls},usec={usec},usec_per_call={:.2},rejected_calls={rejected},failed_calls={}\r\n",
            cmd.name,
            if calls == 0 { 0.0 } else { usec as f64 / calls as f64 },
            s.stats.failed_calls[id]
        );
    }
}

fn errorstats(s: &Server, t: &mut String) {
    t.push_str("# Errorstats\r\n");
    let mut codes: Vec<_> = s.stats.errors.iter().collect();
    codes.sort();
    for (code, n) in codes {
        let _ = write!(t, "errorstat_{code}:count={n}\r\n");
    }
}

fn keyspace(s: &Server, t: &mut String) {
    t.push_str("# Keyspace\r\n");
    for (i, db) in s.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        let _ = write!(
            t,
            "db{i}:keys={},expires={},avg_ttl=0\r\n",
            db.len(),
            db.volatile_len()
        );
    }
}
