//! The configuration directives: one table (name, aliases, kind, default, mutability) read by the
//! config file loader, the `--name value` command line, and `CONFIG GET/SET`. Key decision: each
//! directive's parsed value is kept typed, indexed by the [`D`] enum, so hot paths read
//! `cfg.int(D::maxclients)` without a name lookup or parse.

use crate::db::glob::glob_match;

/// Kinds of directive values and their validation.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// An integer within bounds.
    Int(i64, i64),
    /// A memory size (`1gb`, `512mb`, bytes) within bounds.
    Memory(i64, i64),
    /// A memory size as above, or a percentage (`5%`, kept negated as Redis does, up to the bound).
    MemoryOrPercent(i64, i64),
    /// `yes` / `no`.
    Bool,
    /// Free text.
    Str,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
}

/// A value a directive can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// Integer or memory size.
    Int(i64),
    /// Boolean.
    Bool(bool),
    /// Text or enum word.
    Str(String),
}

/// One directive.
#[derive(Debug)]
pub struct Directive {
    /// Canonical name.
    pub name: &'static str,
    /// Old names still accepted (e.g. `hash-max-ziplist-entries`).
    pub alias: Option<&'static str>,
    /// Value kind.
    pub kind: Kind,
    /// Default in text form.
    pub default: &'static str,
    /// Whether `CONFIG SET` may change it.
    pub mutable: bool,
}

macro_rules! directives {
    ($( $field:ident : $name:literal $(| $alias:literal)?, $kind:expr, $default:literal, $mutable:literal; )*) => {
        /// Names of the directives as an index into [`DIRECTIVES`] (and a [`Config`]).
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum D {
            $( #[doc = $name] $field, )*
        }

        /// The directive table, in the order of [`D`].
        pub static DIRECTIVES: &[Directive] = &[
            $( Directive { name: $name, alias: directives!(@alias $($alias)?), kind: $kind,
                           default: $default, mutable: $mutable }, )*
        ];
    };
    (@alias $a:literal) => { Some($a) };
    (@alias) => { None };
}

const MAXMEM: i64 = i64::MAX;

directives! {
    bind: "bind", Kind::Str, "127.0.0.1 -::1", false;
    port: "port", Kind::Int(0, 65535), "6379", false;
    requirepass: "requirepass", Kind::Str, "", true;
    maxclients: "maxclients", Kind::Int(1, i64::MAX), "10000", true;
    timeout: "timeout", Kind::Int(0, i32::MAX as i64), "0", true;
    tcp_keepalive: "tcp-keepalive", Kind::Int(0, i32::MAX as i64), "300", true;
    tcp_backlog: "tcp-backlog", Kind::Int(0, i32::MAX as i64), "511", false;
    protected_mode: "protected-mode", Kind::Bool, "yes", true;
    databases: "databases", Kind::Int(1, i32::MAX as i64), "16", false;
    proto_max_bulk_len: "proto-max-bulk-len", Kind::Memory(1024 * 1024, MAXMEM), "512mb", true;
    client_query_buffer_limit: "client-query-buffer-limit", Kind::Memory(1024 * 1024, MAXMEM), "1gb", true;
    hz: "hz", Kind::Int(0, i32::MAX as i64), "10", true;
    dynamic_hz: "dynamic-hz", Kind::Bool, "yes", true;
    busy_poll_us: "busy-poll-us", Kind::Int(0, 1_000_000), "50", true;
    loglevel: "loglevel", Kind::Enum(&["debug", "verbose", "notice", "warning", "nothing"]), "notice", true;
    logfile: "logfile", Kind::Str, "", false;
    daemonize: "daemonize", Kind::Bool, "no", false;
    pidfile: "pidfile", Kind::Str, "", false;
    dir: "dir", Kind::Str, ".", true;
    dbfilename: "dbfilename", Kind::Str, "dump.rdb", true;
    save: "save", Kind::Str, "3600 1 300 100 60 10000", true;
    appendonly: "appendonly", Kind::Bool, "no", true;
    appendfsync: "appendfsync", Kind::Enum(&["always", "everysec", "no"]), "everysec", true;
    appendfilename: "appendfilename", Kind::Str, "appendonly.aof", false;
    appenddirname: "appenddirname", Kind::Str, "appendonlydir", false;
    maxmemory: "maxmemory", Kind::Memory(0, MAXMEM), "0", true;
    maxmemory_policy: "maxmemory-policy", Kind::Enum(&["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"]), "noeviction", true;
    maxmemory_samples: "maxmemory-samples", Kind::Int(1, i32::MAX as i64), "5", true;
    lfu_log_factor: "lfu-log-factor", Kind::Int(0, i32::MAX as i64), "10", true;
    lfu_decay_time: "lfu-decay-time", Kind::Int(0, i32::MAX as i64), "1", true;
    active_expire_effort: "active-expire-effort", Kind::Int(1, 10), "1", true;
    tracking_table_max_keys: "tracking-table-max-keys", Kind::Int(0, i64::MAX), "1000000", true;
    lazyfree_lazy_eviction: "lazyfree-lazy-eviction", Kind::Bool, "no", true;
    lazyfree_lazy_expire: "lazyfree-lazy-expire", Kind::Bool, "no", true;
    lazyfree_lazy_server_del: "lazyfree-lazy-server-del", Kind::Bool, "no", true;
    lazyfree_lazy_user_del: "lazyfree-lazy-user-del", Kind::Bool, "no", true;
    lazyfree_lazy_user_flush: "lazyfree-lazy-user-flush", Kind::Bool, "no", true;
    hash_max_listpack_entries: "hash-max-listpack-entries" | "hash-max-ziplist-entries", Kind::Int(0, i64::MAX), "512", true;
    hash_max_listpack_value: "hash-max-listpack-value" | "hash-max-ziplist-value", Kind::Memory(0, MAXMEM), "64", true;
    set_max_intset_entries: "set-max-intset-entries", Kind::Int(0, i64::MAX), "512", true;
    zset_max_listpack_entries: "zset-max-listpack-entries" | "zset-max-ziplist-entries", Kind::Int(0, i64::MAX), "128", true;
    zset_max_listpack_value: "zset-max-listpack-value" | "zset-max-ziplist-value", Kind::Memory(0, MAXMEM), "64", true;
    list_max_listpack_size: "list-max-listpack-size" | "list-max-ziplist-size", Kind::Int(i32::MIN as i64, i32::MAX as i64), "-2", true;
    list_compress_depth: "list-compress-depth", Kind::Int(0, i32::MAX as i64), "0", true;
    stream_node_max_bytes: "stream-node-max-bytes", Kind::Memory(0, MAXMEM), "4096", true;
    stream_node_max_entries: "stream-node-max-entries", Kind::Int(0, i64::MAX), "100", true;
    activerehashing: "activerehashing", Kind::Bool, "yes", true;
    enable_debug_command: "enable-debug-command", Kind::Enum(&["no", "yes", "local"]), "no", false;
    enable_protected_configs: "enable-protected-configs", Kind::Enum(&["no", "yes", "local"]), "no", false;
    enable_module_command: "enable-module-command", Kind::Enum(&["no", "yes", "local"]), "no", false;
    slowlog_log_slower_than: "slowlog-log-slower-than", Kind::Int(-1, i64::MAX), "10000", true;
    slowlog_max_len: "slowlog-max-len", Kind::Int(0, i64::MAX), "128", true;
    latency_monitor_threshold: "latency-monitor-threshold", Kind::Int(0, i64::MAX), "0", true;
    latency_tracking: "latency-tracking", Kind::Bool, "yes", true;
    latency_tracking_info_percentiles: "latency-tracking-info-percentiles", Kind::Str, "50 99 99.9", true;
    notify_keyspace_events: "notify-keyspace-events", Kind::Str, "", true;
    busy_reply_threshold: "busy-reply-threshold" | "lua-time-limit", Kind::Int(0, i64::MAX), "5000", true;
    repl_backlog_size: "repl-backlog-size", Kind::Memory(1, MAXMEM), "1mb", true;
    replica_read_only: "replica-read-only" | "slave-read-only", Kind::Bool, "yes", true;
    io_threads: "io-threads", Kind::Int(1, 128), "1", false;
    rdbcompression: "rdbcompression", Kind::Bool, "yes", true;
    rdbchecksum: "rdbchecksum", Kind::Bool, "yes", true;
    stop_writes_on_bgsave_error: "stop-writes-on-bgsave-error", Kind::Bool, "yes", true;
    aof_use_rdb_preamble: "aof-use-rdb-preamble", Kind::Bool, "yes", true;
    auto_aof_rewrite_percentage: "auto-aof-rewrite-percentage", Kind::Int(0, i32::MAX as i64), "100", true;
    auto_aof_rewrite_min_size: "auto-aof-rewrite-min-size", Kind::Memory(0, MAXMEM), "64mb", true;
    maxmemory_clients: "maxmemory-clients", Kind::MemoryOrPercent(0, MAXMEM), "0", true;
    client_output_buffer_limit: "client-output-buffer-limit", Kind::Str, "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", true;
    unixsocket: "unixsocket", Kind::Str, "", false;
    supervised: "supervised", Kind::Enum(&["upstart", "systemd", "auto", "no"]), "no", false;
    always_show_logo: "always-show-logo", Kind::Bool, "no", false;
    set_proc_title: "set-proc-title", Kind::Bool, "yes", false;
    crash_log_enabled: "crash-log-enabled", Kind::Bool, "yes", true;
}

/// Errors setting a directive.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// No directive has this name.
    Unknown,
    /// Not changeable at run time.
    Immutable,
    /// The value does not parse or is out of range (text explains why).
    Invalid(String),
}

/// Finds a directive by name or alias, case-insensitively.
pub fn find(name: &str) -> Option<usize> {
    DIRECTIVES.iter().position(|d| {
        d.name.eq_ignore_ascii_case(name) || d.alias.is_some_and(|a| a.eq_ignore_ascii_case(name))
    })
}

/// Parses a memory size: digits with an optional `k kb m mb g gb` suffix (case-insensitive).
pub fn parse_memory(s: &str) -> Option<i64> {
    if s.starts_with('-') {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let units: [(&str, i64); 6] = [
        ("gb", 1 << 30),
        ("mb", 1 << 20),
        ("kb", 1 << 10),
        ("g", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1000),
    ];
    for (suffix, mul) in units {
        if let Some(num) = lower.strip_suffix(suffix) {
            return num.parse::<i64>().ok()?.checked_mul(mul);
        }
    }
    lower.parse().ok()
}

fn parse_setting(d: &Directive, value: &str) -> Result<Setting, String> {
    match d.kind {
        Kind::MemoryOrPercent(min, max) => {
            let n = match value.strip_suffix('%') {
                Some(pct) if !pct.starts_with(['-', '+']) => pct.parse::<i64>().ok().map(|p| -p),
                Some(_) => None,
                None => parse_memory(value),
            };
            let n = n.ok_or("argument must be a memory or percent value")?;
            if n < -100 {
                return Err("percentage argument must be less or equal to 100".into());
            }
            if n > max || (n >= 0 && n < min) {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            Ok(Setting::Int(n))
        }
        Kind::Int(min, max) | Kind::Memory(min, max) => {
            let n = if matches!(d.kind, Kind::Memory(..)) {
                parse_memory(value).ok_or("argument must be a memory value")?
            } else {
                value
                    .parse::<i64>()
                    .map_err(|_| "argument couldn't be parsed into an integer")?
            };
            if n < min || n > max {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            Ok(Setting::Int(n))
        }
        Kind::Bool => match value.to_ascii_lowercase().as_str() {
            "yes" => Ok(Setting::Bool(true)),
            "no" => Ok(Setting::Bool(false)),
            _ => Err("argument must be 'yes' or 'no'".into()),
        },
        Kind::Str => Ok(Setting::Str(value.to_string())),
        Kind::Enum(words) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(value))
            .map(|w| Setting::Str(w.to_string()))
            .ok_or_else(|| {
                "argument(s) must be one of the following: ".to_string() + &words.join(", ")
            }),
    }
}

fn show(d: &Directive, s: &Setting) -> String {
    match s {
        Setting::Int(n) if *n < 0 && matches!(d.kind, Kind::MemoryOrPercent(..)) => {
            format!("{}%", -n)
        }
        Setting::Int(n) => n.to_string(),
        Setting::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Setting::Str(s) => s.clone(),
    }
}

/// The current value of every directive, indexed by [`D`].
#[derive(Debug, Clone)]
pub struct Config {
    values: Vec<Setting>,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// Every directive at its default.
    pub fn new() -> Self {
        let values = DIRECTIVES
            .iter()
            .map(|d| parse_setting(d, d.default).unwrap_or(Setting::Str(d.default.into())))
            .collect();
        Config { values }
    }

    /// Integer value of a directive (booleans read as 0/1, text as 0).
    pub fn int(&self, d: D) -> i64 {
        match &self.values[d as usize] {
            Setting::Int(n) => *n,
            Setting::Bool(b) => *b as i64,
            Setting::Str(_) => 0,
        }
    }

    /// Boolean value of a directive.
    pub fn flag(&self, d: D) -> bool {
        matches!(self.values[d as usize], Setting::Bool(true))
    }

    /// Text value of a text or enum directive.
    pub fn text(&self, d: D) -> &str {
        match &self.values[d as usize] {
            Setting::Str(s) => s,
            _ => "",
        }
    }

    /// Sets directive `name` from its text form (used by the config file, `--name value` and CONFIG SET).
    pub fn set(&mut self, name: &str, value: &str, at_runtime: bool) -> Result<(), ConfigError> {
        let i = find(name).ok_or(ConfigError::Unknown)?;
        let d = &DIRECTIVES[i];
        if at_runtime && !d.mutable {
            return Err(ConfigError::Immutable);
        }
        self.values[i] = parse_setting(d, value).map_err(ConfigError::Invalid)?;
        Ok(())
    }

    /// Text value of directive `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        find(name).map(|i| show(&DIRECTIVES[i], &self.values[i]))
    }

    /// (name, value) of every directive whose name or alias matches the glob `pattern`.
    pub fn matching(&self, pattern: &[u8]) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (i, d) in DIRECTIVES.iter().enumerate() {
            let value = show(d, &self.values[i]);
            if glob_match(pattern, d.name.as_bytes(), true) {
                out.push((d.name, value.clone()));
            }
            if let Some(a) = d.alias {
                if glob_match(pattern, a.as_bytes(), true) {
                    out.push((a, value));
                }
            }
        }
        out
    }
}

/// Reads redis.conf-syntax text: one directive per line, `#` comments, quoted arguments; multi-word
/// values (`save 900 1`) are joined with spaces. Errors name the line like redis-server does.
pub fn load_text(cfg: &mut Config, text: &str) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let bad = |why: &str| {
            format!(
                "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line {}\n>>> '{}'\n{}",
                n + 1,
                trimmed,
                why
            )
        };
        let args = crate::resp::parser::split_args(trimmed.as_bytes())
            .ok_or_else(|| bad("Unbalanced quotes in configuration line"))?;
        if args.len() < 2 {
            return Err(bad("wrong number of arguments"));
        }
        let name = String::from_utf8_lossy(&args[0]).to_string();
        let value: Vec<String> = args[1..]
            .iter()
            .map(|a| String::from_utf8_lossy(a).to_string())
            .collect();
        match cfg.set(&name, &value.join(" "), false) {
            Ok(()) => {}
            Err(ConfigError::Unknown) => {
                return Err(bad("Bad directive or wrong number of arguments"))
            }
            Err(ConfigError::Immutable) => return Err(bad("can't set immutable config")),
            Err(ConfigError::Invalid(why)) => return Err(bad(&why)),
        }
    }
    Ok(())
}
