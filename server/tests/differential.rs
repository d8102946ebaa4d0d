//! Differential tests: every script in `tests/redis/*.txt` runs against redis-server (when installed)
//! and ferrous; replies must match byte for byte.
//!
//! Script syntax, one command per line (redis-cli quoting):
//! - `# ...` comment, blank lines ignored;
//! - `~ CMD ...` runs the command on both but does not compare (run ids, timestamps...);
//! - `!sleep MS` pauses both;
//! - anything else is a command whose raw replies are compared.

mod common;

use common::{Raw, Server};
use std::path::PathBuf;

fn scripts() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/redis");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    files
}

fn run_script(path: &PathBuf, failures: &mut Vec<String>) {
    let Some(redis) = Server::start_redis(&[]) else {
        return;
    };
    let ferrous = Server::start();
    let mut a = Raw::connect(redis.port);
    let mut b = Raw::connect(ferrous.port);
    let text = std::fs::read_to_string(path).unwrap();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(ms) = line.strip_prefix("!sleep ") {
            std::thread::sleep(std::time::Duration::from_millis(ms.trim().parse().unwrap()));
            continue;
        }
        let (compare, cmd) = match line.strip_prefix("~ ") {
            Some(rest) => (false, rest),
            None => (true, line),
        };
        let expected = a.cmd(cmd);
        let got = b.cmd(cmd);
        if compare && expected != got {
            failures.push(format!(
                "{}:{}: {cmd}\n  redis:   {expected:?}\n  ferrous: {got:?}",
                path.display(),
                n + 1
            ));
        }
    }
}

#[test]
fn scripts_match_redis() {
    if Server::start_redis(&[]).is_none() {
        println!("NOTICE: redis-server not installed; differential scripts skipped");
        return;
    }
    let mut failures = Vec::new();
    for path in scripts() {
        run_script(&path, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
