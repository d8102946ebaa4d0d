//! SCAN-family guarantees through the real binary: an element present for the whole iteration is
//! returned even when other elements are deleted between calls (SCAN, SSCAN, HSCAN, ZSCAN on their
//! hashtable/skiplist encodings), and a full iteration without changes returns every element.

mod common;

use common::Server;
use redis::Connection;
use std::collections::HashSet;

/// Which scan command and how to read its reply's elements.
#[derive(Clone, Copy)]
enum Family {
    Keys,
    Set,
    Hash,
    ZSet,
}

fn fill(c: &mut Connection, f: Family, n: usize) {
    for i in 0..n {
        let name = format!("e{i}");
        let mut cmd = match f {
            Family::Keys => redis::cmd("SET"),
            Family::Set => redis::cmd("SADD"),
            Family::Hash => redis::cmd("HSET"),
            Family::ZSet => redis::cmd("ZADD"),
        };
        match f {
            Family::Keys => cmd.arg(&name).arg(1),
            Family::Set => cmd.arg("k").arg(&name),
            Family::Hash => cmd.arg("k").arg(&name).arg(1),
            Family::ZSet => cmd.arg("k").arg(i).arg(&name),
        };
        let _: () = cmd.query(c).unwrap();
    }
}

fn remove(c: &mut Connection, f: Family, name: &str) {
    let mut cmd = match f {
        Family::Keys => redis::cmd("DEL"),
        Family::Set => redis::cmd("SREM"),
        Family::Hash => redis::cmd("HDEL"),
        Family::ZSet => redis::cmd("ZREM"),
    };
    if !matches!(f, Family::Keys) {
        cmd.arg("k");
    }
    let _: i64 = cmd.arg(name).query(c).unwrap();
}

/// One scan call: the next cursor and the element names.
fn step(c: &mut Connection, f: Family, cursor: u64) -> (u64, Vec<String>) {
    let mut cmd = match f {
        Family::Keys => redis::cmd("SCAN"),
        Family::Set => redis::cmd("SSCAN"),
        Family::Hash => redis::cmd("HSCAN"),
        Family::ZSet => redis::cmd("ZSCAN"),
    };
    if !matches!(f, Family::Keys) {
        cmd.arg("k");
    }
    let (next, items): (String, Vec<String>) =
        cmd.arg(cursor).arg("COUNT").arg(7).query(c).unwrap();
    let names = match f {
        Family::Hash | Family::ZSet => items.into_iter().step_by(2).collect(),
        _ => items,
    };
    (next.parse().unwrap(), names)
}

/// Scans while deleting every third element not yet seen; the others (never deleted) must all come.
fn check_deletions(f: Family) {
    let server = Server::start();
    let mut c = server.client();
    let n = 1000;
    fill(&mut c, f, n);
    let doomed: Vec<String> = (0..n)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("e{i}"))
        .collect();
    let keep: HashSet<String> = (0..n)
        .filter(|i| i % 3 != 0)
        .map(|i| format!("e{i}"))
        .collect();
    let mut doomed = doomed.into_iter();
    let mut seen = HashSet::new();
    let mut cursor = 0;
    let mut calls = 0;
    loop {
        let (next, names) = step(&mut c, f, cursor);
        seen.extend(names);
        for _ in 0..2 {
            if let Some(d) = doomed.next() {
                remove(&mut c, f, &d);
            }
        }
        calls += 1;
        assert!(calls < 10 * n, "scan did not terminate");
        if next == 0 {
            break;
        }
        cursor = next;
    }
    let missing: Vec<&String> = keep.difference(&seen).collect();
    assert!(missing.is_empty(), "never returned: {missing:?}");
}

#[test]
fn scan_keeps_survivors_while_deleting() {
    check_deletions(Family::Keys);
}

#[test]
fn sscan_keeps_survivors_while_deleting() {
    check_deletions(Family::Set);
}

#[test]
fn hscan_keeps_survivors_while_deleting() {
    check_deletions(Family::Hash);
}

#[test]
fn zscan_keeps_survivors_while_deleting() {
    check_deletions(Family::ZSet);
}

#[test]
fn full_iteration_returns_everything_once_without_changes() {
    let server = Server::start();
    let mut c = server.client();
    fill(&mut c, Family::Keys, 500);
    let mut seen = Vec::new();
    let mut cursor = 0;
    loop {
        let (next, names) = step(&mut c, Family::Keys, cursor);
        seen.extend(names);
        if next == 0 {
            break;
        }
        cursor = next;
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(seen.len(), 500);
    assert_eq!(unique.len(), 500);
}
