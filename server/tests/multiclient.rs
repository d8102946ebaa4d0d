//! Scenarios with several concurrent connections: WATCH races, blocked pops woken by other clients and
//! by EXEC, timeouts and fairness, pub/sub across clients in RESP2 and RESP3, keyspace notifications,
//! MONITOR, CLIENT REPLY/UNBLOCK/KILL, and a slow subscriber disconnected while the server stays
//! responsive. Each scenario produces a transcript of raw replies; it is checked against expected
//! values on ferrous and, when redis-server is installed, compared with redis-server's transcript.

mod common;

use common::{both, settle, Raw, Server};
use std::thread::sleep;
use std::time::{Duration, Instant};

fn reply(c: &mut Raw) -> String {
    String::from_utf8_lossy(&c.read_reply().expect("reply")).into_owned()
}

fn send(c: &mut Raw, line: &str) {
    let args = ferrous::resp::parser::split_args(line.as_bytes()).expect("quotes");
    let refs: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
    c.send(&common::encode(&refs));
}

fn watch_races(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut t = Vec::new();
    let mut exec_after = |a: &mut Raw, b: &mut Raw, setup: &str, touch: &str| {
        t.push(a.cmd("FLUSHALL"));
        if !setup.is_empty() {
            t.push(a.cmd(setup));
        }
        t.push(a.cmd("WATCH k"));
        if !touch.is_empty() {
            t.push(b.cmd(touch));
        }
        t.push(a.cmd("MULTI"));
        t.push(a.cmd("INCR counter"));
        t.push(a.cmd("EXEC"));
    };
    exec_after(&mut a, &mut b, "", "");
    exec_after(&mut a, &mut b, "", "SET k 1");
    exec_after(&mut a, &mut b, "SET k 1", "DEL k");
    exec_after(&mut a, &mut b, "", "DEL k");
    exec_after(&mut a, &mut b, "SET k 1", "FLUSHDB");
    exec_after(&mut a, &mut b, "", "FLUSHDB");
    exec_after(&mut a, &mut b, "SET k 1", "SWAPDB 0 1");
    exec_after(&mut a, &mut b, "SET k 1", "RENAME k k2");
    exec_after(&mut a, &mut b, "SET other 1", "RENAME other k");
    exec_after(&mut a, &mut b, "SET k 1", "EXPIRE k 100");
    exec_after(&mut a, &mut b, "RPUSH k a", "LPOP k");
    exec_after(&mut a, &mut b, "SET k 1", "GET k");
    exec_after(&mut a, &mut b, "SET k 1", "SELECT 1");
    t.push(b.cmd("SELECT 0"));
    t.push(a.cmd("FLUSHALL"));
    t.push(a.cmd("SET k v PX 100"));
    t.push(a.cmd("WATCH k"));
    sleep(Duration::from_millis(200));
    t.push(a.cmd("MULTI"));
    t.push(a.cmd("PING"));
    t.push(a.cmd("EXEC"));
    t
}

#[test]
fn watched_keys_touched_by_other_clients_abort_exec() {
    let t = both(&[], watch_races);
    let execs: Vec<&String> = t.iter().filter(|r| r.starts_with('*')).collect();
    assert_eq!(execs[0], "*1\r\n:1\r\n");
    assert_eq!(execs[1], "*-1\r\n");
    assert_eq!(t.last().unwrap(), "*-1\r\n");
}

fn blocking_scenarios(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut c = Raw::connect(port);
    let mut t = vec![c.cmd("FLUSHALL")];
    // Fairness: first blocked, first served.
    send(&mut a, "BLPOP q 0");
    settle();
    send(&mut b, "BRPOP q 0");
    settle();
    t.push(c.cmd("RPUSH q x y z"));
    t.push(reply(&mut a));
    t.push(reply(&mut b));
    t.push(c.cmd("LRANGE q 0 -1"));
    // Woken by EXEC; BLMOVE's push wakes a second waiter on the destination.
    send(&mut a, "BLMOVE src dst LEFT RIGHT 0");
    settle();
    send(&mut b, "BLPOP dst 0");
    settle();
    t.push(c.cmd("MULTI"));
    t.push(c.cmd("LPUSH src 1"));
    t.push(c.cmd("EXEC"));
    t.push(reply(&mut a));
    t.push(reply(&mut b));
    // A type change does not wake a zset waiter; a later ZADD does.
    send(&mut a, "BZPOPMIN zz 0");
    settle();
    t.push(c.cmd("SET zz str"));
    t.push(c.cmd("DEL zz"));
    t.push(c.cmd("ZADD zz 3 m"));
    t.push(reply(&mut a));
    // Fractional timeout.
    let start = Instant::now();
    t.push(a.cmd("BLPOP nothing 0.2"));
    assert!(start.elapsed() >= Duration::from_millis(180));
    // BLMPOP / BZMPOP woken.
    send(&mut a, "BLMPOP 0 2 l1 l2 RIGHT COUNT 2");
    settle();
    t.push(c.cmd("RPUSH l2 a b c"));
    t.push(reply(&mut a));
    send(&mut a, "BZMPOP 0 1 z2 MAX COUNT 5");
    settle();
    t.push(c.cmd("ZADD z2 1 a 2 b"));
    t.push(reply(&mut a));
    // Commands pipelined behind a blocked command run after it is served.
    a.send(b"*3\r\n$5\r\nBLPOP\r\n$2\r\npq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n");
    settle();
    t.push(c.cmd("LPUSH pq v"));
    t.push(reply(&mut a));
    t.push(reply(&mut a));
    // CLIENT UNBLOCK with TIMEOUT and ERROR.
    let id = a.cmd("CLIENT ID");
    let id = id.trim_start_matches(':').trim();
    send(&mut a, "BLPOP nothing 0");
    settle();
    t.push(c.cmd(&format!("CLIENT UNBLOCK {id} TIMEOUT")));
    t.push(reply(&mut a));
    send(&mut a, "BRPOPLPUSH nothing x 0");
    settle();
    t.push(c.cmd(&format!("CLIENT UNBLOCK {id} ERROR")));
    t.push(reply(&mut a));
    t.push(c.cmd(&format!("CLIENT UNBLOCK {id}")));
    // SWAPDB brings a list into the waited database.
    send(&mut a, "BLPOP swapped 0");
    settle();
    t.push(c.cmd("SELECT 1"));
    t.push(c.cmd("RPUSH swapped v"));
    t.push(c.cmd("SWAPDB 0 1"));
    t.push(c.cmd("SELECT 0"));
    t.push(reply(&mut a));
    // RESP3 timeout reply.
    t.push(b.cmd("HELLO 3").lines().take(1).collect());
    t.push(b.cmd("BLPOP nothing 0.05"));
    t
}

#[test]
fn blocked_pops_are_served_in_order_woken_by_any_write() {
    let t = both(&[], blocking_scenarios);
    assert_eq!(t[2], "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
    assert_eq!(t[3], "*2\r\n$1\r\nq\r\n$1\r\nz\r\n");
    assert!(t.contains(&"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n".to_string()));
    assert_eq!(t.last().unwrap(), "_\r\n");
}

/// Several keys made ready by one transaction: the keys are served in the order they were written,
/// and a client blocked on several keys is served from the key that became ready first, not from its
/// first key in argument order (Redis 7.0's `handleClientsBlockedOnKeys`).
fn wake_order(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut c = Raw::connect(port);
    let mut t = vec![c.cmd("FLUSHALL")];
    let b_id = b.cmd("CLIENT ID");
    let b_id = b_id.trim_start_matches(':').trim().to_string();
    let mut round = |t: &mut Vec<String>, first: &str, second: &str, writes: &[&str]| {
        send(&mut a, first);
        settle();
        if !second.is_empty() {
            send(&mut b, second);
            settle();
        }
        t.push(c.cmd("MULTI"));
        for w in writes {
            t.push(c.cmd(w));
        }
        t.push(c.cmd("EXEC"));
        t.push(reply(&mut a));
        if !second.is_empty() {
            t.push(c.cmd(&format!("CLIENT UNBLOCK {b_id}")));
            t.push(reply(&mut b));
        }
        t.push(c.cmd("LRANGE a 0 -1"));
        t.push(c.cmd("LRANGE b 0 -1"));
        t.push(c.cmd("DEL a b"));
    };
    round(&mut t, "BLPOP a b 0", "", &["LPUSH b x", "LPUSH a y"]);
    round(
        &mut t,
        "BLPOP a b 0",
        "BLPOP b 0",
        &["LPUSH b x", "LPUSH a y"],
    );
    round(
        &mut t,
        "BLPOP b 0",
        "BLPOP a b 0",
        &["LPUSH b x", "LPUSH a y"],
    );
    round(
        &mut t,
        "BLPOP a b 0",
        "BLPOP b a 0",
        &["LPUSH a y", "LPUSH b x"],
    );
    round(
        &mut t,
        "BLMPOP 0 2 a b LEFT COUNT 5",
        "",
        &["LPUSH b x1 x2", "LPUSH a y"],
    );
    round(
        &mut t,
        "BLPOP a b 0",
        "BLPOP a 0",
        &["LPUSH b x", "LPUSH a y", "DEL b"],
    );
    round(&mut t, "BZPOPMAX a b 0", "", &["ZADD b 1 x", "ZADD a 2 y"]);
    t
}

#[test]
fn blocked_clients_are_served_from_the_first_ready_key() {
    let t = both(&[], wake_order);
    assert_eq!(t[5], "*2\r\n$1\r\nb\r\n$1\r\nx\r\n");
}

fn pubsub_across_clients(port: u16) -> Vec<String> {
    let mut s2 = Raw::connect(port);
    let mut s3 = Raw::connect(port);
    let mut p = Raw::connect(port);
    let mut t = vec![s2.cmd("SUBSCRIBE news")];
    t.push(s2.cmd("PSUBSCRIBE n*s h[ae]llo \\*"));
    t.push(reply(&mut s2));
    t.push(reply(&mut s2));
    t.push(s3.cmd("HELLO 3").lines().take(1).collect());
    t.push(s3.cmd("PSUBSCRIBE n?ws"));
    t.push(s3.cmd("SSUBSCRIBE shard"));
    t.push(p.cmd("PUBLISH news hi"));
    for _ in 0..2 {
        t.push(reply(&mut s2));
    }
    t.push(reply(&mut s3));
    t.push(p.cmd("PUBLISH hello x"));
    t.push(reply(&mut s2));
    t.push(p.cmd("PUBLISH * star"));
    t.push(reply(&mut s2));
    t.push(p.cmd("SPUBLISH shard s"));
    t.push(reply(&mut s3));
    t.push(s3.cmd("GET anything"));
    t.push(s2.cmd("GET anything"));
    t.push(p.cmd("PUBSUB NUMSUB news shard"));
    t.push(p.cmd("PUBSUB SHARDNUMSUB shard"));
    t.push(p.cmd("PUBSUB NUMPAT"));
    t.push(s2.cmd("UNSUBSCRIBE news"));
    t.push(p.cmd("PUBSUB NUMSUB news"));
    drop(s3);
    settle();
    t.push(p.cmd("PUBSUB NUMPAT"));
    t.push(p.cmd("PUBLISH news again"));
    t
}

#[test]
fn pubsub_patterns_across_clients_resp2_and_resp3() {
    let t = both(&[], pubsub_across_clients);
    assert!(
        t.contains(&">4\r\n$8\r\npmessage\r\n$4\r\nn?ws\r\n$4\r\nnews\r\n$2\r\nhi\r\n".to_string())
    );
    assert_eq!(t[7], ":3\r\n");
}

fn keyspace_events(port: u16) -> Vec<String> {
    let mut s = Raw::connect(port);
    let mut c = Raw::connect(port);
    let mut t = vec![
        c.cmd("FLUSHALL"),
        c.cmd("CONFIG SET notify-keyspace-events KEA"),
    ];
    t.push(s.cmd("PSUBSCRIBE __key*__:*"));
    for cmd in [
        "SET s 1",
        "INCR s",
        "RPUSH l a b",
        "LMOVE l l2 LEFT RIGHT",
        "LPOP l",
        "HSET h f v",
        "HDEL h f",
        "SADD st a",
        "SMOVE st st2 a",
        "ZADD z 1 a",
        "ZINCRBY z 1 a",
        "ZPOPMIN z",
        "RENAME s s2",
        "EXPIRE s2 100",
        "PEXPIRE s2 1",
    ] {
        t.push(c.cmd(cmd));
    }
    sleep(Duration::from_millis(150));
    t.push(c.cmd("GET s2"));
    let mut events = Vec::new();
    s.stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    while let Some(r) = s.read_reply() {
        events.push(r);
    }
    t.extend(
        events
            .iter()
            .map(|e| String::from_utf8_lossy(e).into_owned()),
    );
    t.push(c.cmd("CONFIG SET notify-keyspace-events \"\""));
    t
}

#[test]
fn keyspace_notifications_match_redis() {
    let t = both(&[], keyspace_events);
    let joined = t.join("");
    for event in ["lmove", "rename_from", "expired", "zincr", "hdel", "srem"] {
        if event == "lmove" {
            assert!(!joined.contains(event));
        } else {
            assert!(joined.contains(event), "missing {event}");
        }
    }
}

fn client_reply_and_kill(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut t = Vec::new();
    send(&mut a, "CLIENT REPLY OFF");
    send(&mut a, "SET k 1");
    send(&mut a, "CLIENT REPLY ON");
    t.push(reply(&mut a));
    send(&mut a, "CLIENT REPLY SKIP");
    send(&mut a, "GET k");
    t.push(a.cmd("GET k"));
    t.push(b.cmd("SUBSCRIBE c"));
    t.push(a.cmd("CLIENT KILL TYPE pubsub"));
    t.push(if b.is_closed() { "closed" } else { "open" }.to_string());
    t.push(a.cmd("CLIENT KILL TYPE normal SKIPME yes"));
    t.push(a.cmd("PING"));
    t
}

#[test]
fn client_reply_modes_and_kill_by_type() {
    let t = both(&[], client_reply_and_kill);
    assert_eq!(t[0], "+OK\r\n");
    assert_eq!(t[1], "$1\r\n1\r\n");
    assert_eq!(t[4], "closed");
}

#[test]
fn monitor_streams_commands_in_redis_format() {
    let server = Server::start();
    let mut m = server.raw();
    let mut c = server.raw();
    assert_eq!(m.cmd("MONITOR"), "+OK\r\n");
    c.cmd("SET \"a b\" \"x\\ny\"");
    c.cmd("MULTI");
    c.cmd("LPUSH l v");
    c.cmd("EXEC");
    c.cmd("CONFIG GET port");
    let lines: Vec<String> = (0..4).map(|_| reply(&mut m)).collect();
    let addr = c.stream.local_addr().unwrap().to_string();
    let expected = [
        format!("[0 {addr}] \"SET\" \"a b\" \"x\\ny\""),
        format!("[0 {addr}] \"MULTI\""),
        format!("[0 {addr}] \"LPUSH\" \"l\" \"v\""),
        format!("[0 {addr}] \"EXEC\""),
    ];
    for (line, want) in lines.iter().zip(expected) {
        let (stamp, rest) = line[1..].split_once(' ').unwrap();
        assert!(stamp.contains('.') && stamp.split('.').nth(1).unwrap().len() == 6);
        assert_eq!(rest.trim_end(), want);
    }
    m.stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    assert!(m.read_reply().is_none(), "CONFIG (admin) must not be shown");
}

#[test]
fn slow_subscriber_is_disconnected_and_server_stays_responsive() {
    let server = Server::start_with(&["--client-output-buffer-limit", "pubsub 1mb 256kb 1"]);
    let mut slow = server.raw();
    assert!(slow.cmd("SUBSCRIBE firehose").starts_with("*3"));
    let mut p = server.raw();
    let payload = vec![b'x'; 64 * 1024];
    let start = Instant::now();
    let mut receivers = Vec::new();
    for _ in 0..400 {
        let r = p.cmd_args(&[b"PUBLISH", b"firehose", &payload]);
        let done = r == b":0\r\n";
        receivers.push(r);
        if done {
            break;
        }
    }
    assert_eq!(
        receivers.last().unwrap(),
        b":0\r\n",
        "slow subscriber was never dropped"
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(p.cmd("PING"), "+PONG\r\n");
    assert_eq!(
        p.cmd("PUBSUB NUMSUB firehose"),
        "*2\r\n$8\r\nfirehose\r\n:0\r\n"
    );
}

/// The `cmd=` field another client sees in `CLIENT LIST` after each of `probe`'s commands.
fn last_command_seen(port: u16) -> Vec<String> {
    let mut probe = Raw::connect(port);
    let mut watcher = Raw::connect(port);
    probe.cmd("CLIENT SETNAME probe");
    let lines = [
        "GET",
        "CLIENT KILL",
        "CLIENT NOSUCH",
        "NOSUCHCMD",
        "CONFIG GET",
        "CLIENT",
        "MULTI",
        "SET k v",
        "EXEC",
        "EVAL \"return redis.call('get','k')\" 0",
    ];
    let mut t = Vec::new();
    for line in lines {
        probe.cmd(line);
        let list = watcher.cmd("CLIENT LIST");
        let entry = list
            .lines()
            .find(|l| l.contains("name=probe"))
            .unwrap_or("");
        let cmd = entry
            .split(' ')
            .find(|f| f.starts_with("cmd="))
            .unwrap_or("");
        t.push(format!("{line} -> {cmd}"));
    }
    t
}

#[test]
fn client_list_shows_the_last_command_looked_up_even_when_it_failed() {
    let t = both(&[], last_command_seen);
    assert_eq!(t[0], "GET -> cmd=get");
    assert_eq!(t[2], "CLIENT NOSUCH -> cmd=NULL");
    assert_eq!(t[7], "SET k v -> cmd=set");
    assert_eq!(t[8], "EXEC -> cmd=exec");
}
