//! The `ferrous` binary: redis-server's command line (`ferrous [config-file] [--name value ...]`),
//! start-up logging, and the event loop. Key decision: arguments are parsed like redis-server does
//! (everything after the file becomes config lines), so any directive works as an option.

use ferrous::config::{self, Config, D};
use ferrous::log::{self, Level};
use ferrous::server::Server;
use std::process::ExitCode;

/// Every allocation is counted for `INFO memory` and `MEMORY` (see `ferrous::alloc`).
#[global_allocator]
static ALLOCATOR: ferrous::alloc::Counting = ferrous::alloc::Counting;

fn usage() -> ExitCode {
    eprintln!("Usage: ./ferrous [/path/to/redis.conf] [options] [-]");
    eprintln!("       ./ferrous - (read config from stdin)");
    eprintln!("       ./ferrous -v or --version");
    eprintln!("       ./ferrous -h or --help");
    eprintln!();
    eprintln!("Examples:");
    eprintln!("       ./ferrous (run the server with default conf)");
    eprintln!("       ./ferrous /etc/redis/6379.conf");
    eprintln!("       ./ferrous --port 7777");
    eprintln!("       ./ferrous /etc/myredis.conf --loglevel verbose");
    ExitCode::from(1)
}

/// Turns `--name value value2 --flag` into config text lines, like redis-server.
fn options_to_config(args: &[String]) -> String {
    let mut text = String::new();
    for a in args {
        if let Some(name) = a.strip_prefix("--") {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(name);
        } else {
            text.push(' ');
            text.push_str(&quote(a));
        }
    }
    text.push('\n');
    text
}

fn quote(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Some(first) = argv.first() {
        match first.as_str() {
            "-v" | "--version" => {
                println!(
                    "Redis server v={} sha=00000000:0 malloc=libc bits=64 build=ferrous-{}",
                    ferrous::REDIS_VERSION,
                    env!("CARGO_PKG_VERSION")
                );
                return ExitCode::SUCCESS;
            }
            "-h" | "--help" => return usage(),
            _ => {}
        }
    }
    let (file, rest) = match argv.first() {
        Some(f) if !f.starts_with("--") => (Some(f.clone()), &argv[1..]),
        _ => (None, &argv[..]),
    };
    let pid = std::process::id();
    log::log(
        Level::Warning,
        'C',
        "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
    );
    log::log(
        Level::Warning,
        'C',
        &format!(
            "Redis version={}, bits=64, commit=00000000, modified=0, pid={pid}, just started",
            ferrous::REDIS_VERSION
        ),
    );
    let mut cfg = Config::new();
    let mut text = String::new();
    if let Some(path) = &file {
        let content = if path == "-" {
            std::io::read_to_string(std::io::stdin())
        } else {
            std::fs::read_to_string(path)
        };
        match content {
            Ok(c) => text.push_str(&c),
            Err(e) => {
                eprintln!("Fatal error, can't open config file '{path}': {e}");
                return ExitCode::from(1);
            }
        }
        text.push('\n');
    } else {
        log::log(Level::Warning, 'C', "Warning: no config file specified, using the default config. In order to specify a config file use ./ferrous /path/to/redis.conf");
    }
    text.push_str(&options_to_config(rest));
    if let Err(e) = config::load_text(&mut cfg, &text) {
        eprintln!("{e}");
        return ExitCode::from(1);
    }
    log::log(Level::Warning, 'C', "Configuration loaded");
    log::set_level(cfg.text(D::loglevel));
    if let Err(e) = log::set_file(cfg.text(D::logfile)) {
        eprintln!("Can't open the log file: {e}");
        return ExitCode::from(1);
    }
    if let Err(e) = std::env::set_current_dir(cfg.text(D::dir)) {
        eprintln!("Can't chdir to '{}': {e}", cfg.text(D::dir));
        return ExitCode::from(1);
    }
    if let Ok(cwd) = std::env::current_dir() {
        let _ = cfg.set("dir", &cwd.display().to_string(), false);
    }
    let port = cfg.int(D::port);
    log::notice(&format!("Running mode=standalone, port={port}."));
    let mut server = Server::new(cfg);
    server.config_file = file
        .map(|f| {
            std::fs::canonicalize(&f)
                .map(|p| p.display().to_string())
                .unwrap_or(f)
        })
        .unwrap_or_default();
    ferrous::alloc::mark_startup();
    match ferrous::net::run(server) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::warning(&format!(
                "Failed listening on port {port} (tcp), aborting: {e}"
            ));
            ExitCode::from(1)
        }
    }
}
