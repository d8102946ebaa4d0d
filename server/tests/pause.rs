//! `CLIENT PAUSE` / `CLIENT UNPAUSE` with several connections: held (not rejected) commands in WRITE
//! and ALL modes, resumed in arrival order with their pipelines, MULTI/EXEC and scripts under a WRITE
//! pause, expiry stopped while paused, the stronger mode and later end kept, `flags=b` and
//! `blocked_clients` for held clients, and argument errors. Each scenario's transcript is checked on
//! ferrous and, when redis-server is installed, compared with redis-server's.

mod common;

use common::{both, settle, Raw};
use std::thread::sleep;
use std::time::{Duration, Instant};

fn send(c: &mut Raw, line: &str) {
    let args = ferrous::resp::parser::split_args(line.as_bytes()).expect("quotes");
    let refs: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
    c.send(&common::encode(&refs));
}

/// The reply if it comes within 100 ms, else `held`.
fn quick(c: &mut Raw) -> String {
    match c.reply_within(Duration::from_millis(100)) {
        Some(r) => String::from_utf8_lossy(&r).into_owned(),
        None => "held".to_string(),
    }
}

fn reply(c: &mut Raw) -> String {
    String::from_utf8_lossy(&c.read_reply().expect("reply")).into_owned()
}

/// `flags=` and `cmd=` of client `id` in `CLIENT LIST`.
fn flags_of(c: &mut Raw, id: &str) -> String {
    let list = c.cmd("CLIENT LIST");
    let line = list
        .lines()
        .find(|l| l.contains(&format!("id={id} ")))
        .unwrap_or("");
    line.split(' ')
        .filter(|f| f.starts_with("flags=") || f.starts_with("cmd="))
        .collect::<Vec<_>>()
        .join(" ")
}

fn info_line(c: &mut Raw, section: &str, name: &str) -> String {
    let info = c.cmd(&format!("INFO {section}"));
    info.lines()
        .find(|l| l.starts_with(name))
        .unwrap_or("")
        .to_string()
}

fn id_of(c: &mut Raw) -> String {
    c.cmd("CLIENT ID")
        .trim_start_matches(':')
        .trim()
        .to_string()
}

fn write_pause(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut c = Raw::connect(port);
    let b_id = id_of(&mut b);
    let mut t = vec![a.cmd("FLUSHALL"), a.cmd("CLIENT PAUSE 100000 WRITE")];
    // A write is held, with the reads pipelined behind it; other clients' reads go on.
    b.send(b"*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\nb\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nl\r\n");
    t.push(quick(&mut b));
    t.push(c.cmd("LLEN l"));
    t.push(flags_of(&mut a, &b_id));
    t.push(info_line(&mut a, "clients", "blocked_clients"));
    send(&mut c, "RPUSH l c");
    t.push(quick(&mut c));
    // Commands that may replicate are held too; read-only scripts are not.
    let mut d = Raw::connect(port);
    for cmd in [
        "EVAL_RO \"return 1\" 0",
        "SPUBLISH sch m",
        "EVAL \"return 2\" 0",
        "PUBLISH ch m",
    ] {
        send(&mut d, cmd);
        t.push(quick(&mut d));
    }
    t.push(a.cmd("CLIENT UNPAUSE"));
    // Resumed in the order they were held.
    t.push(reply(&mut b));
    t.push(reply(&mut c));
    t.push(reply(&mut d));
    t.push(reply(&mut d));
    t.push(reply(&mut d));
    settle();
    t.push(reply(&mut b));
    t.push(a.cmd("LRANGE l 0 -1"));
    t.push(flags_of(&mut a, &b_id));
    t.push(info_line(&mut a, "clients", "blocked_clients"));
    t
}

#[test]
fn write_pause_holds_writes_and_resumes_in_order() {
    let t = both(&[], write_pause);
    assert_eq!(t[2], "held");
    assert_eq!(t[4], "flags=b cmd=rpush");
    assert_eq!(t[5], "blocked_clients:1");
    assert_eq!(t[7], ":1\r\n");
    assert_eq!(t.iter().filter(|r| *r == "held").count(), 5);
}

fn multi_and_expiry(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut t = vec![a.cmd("FLUSHALL"), a.cmd("CLIENT PAUSE 100000 WRITE")];
    t.push(b.cmd("MULTI"));
    t.push(b.cmd("GET x"));
    send(&mut b, "SET x 1");
    t.push(quick(&mut b));
    t.push(a.cmd("CLIENT UNPAUSE"));
    t.push(reply(&mut b));
    // EXEC of a queue holding a write waits; EXEC of reads only does not.
    t.push(a.cmd("CLIENT PAUSE 100000 WRITE"));
    send(&mut b, "EXEC");
    t.push(quick(&mut b));
    t.push(a.cmd("CLIENT UNPAUSE"));
    t.push(reply(&mut b));
    t.push(a.cmd("CLIENT PAUSE 100000 WRITE"));
    t.push(b.cmd("MULTI"));
    t.push(b.cmd("GET x"));
    t.push(b.cmd("EXEC"));
    t.push(a.cmd("CLIENT UNPAUSE"));
    // An expired key reads as missing during a pause but is only removed after it.
    t.push(a.cmd("SET k v PX 50"));
    t.push(a.cmd("CLIENT PAUSE 100000 WRITE"));
    sleep(Duration::from_millis(150));
    t.push(a.cmd("GET k"));
    t.push(a.cmd("EXISTS k"));
    t.push(a.cmd("DBSIZE"));
    t.push(a.cmd("CLIENT UNPAUSE"));
    t.push(a.cmd("GET k"));
    t.push(a.cmd("DBSIZE"));
    t
}

#[test]
fn write_pause_holds_transactions_with_writes_and_stops_expiry() {
    let t = both(&[], multi_and_expiry);
    assert_eq!(t[4], "held");
    assert_eq!(t[6], "+QUEUED\r\n");
    assert_eq!(t[8], "held");
    assert_eq!(t[20], ":2\r\n");
    assert_eq!(t.last().unwrap(), ":1\r\n");
}

fn all_pause(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut c = Raw::connect(port);
    let mut t = vec![a.cmd("FLUSHALL")];
    // ALL holds everything, CLIENT UNPAUSE included, until the timer ends the pause.
    let start = Instant::now();
    t.push(a.cmd("CLIENT PAUSE 400 ALL"));
    send(&mut b, "PING");
    t.push(quick(&mut b));
    send(&mut c, "CLIENT UNPAUSE");
    t.push(quick(&mut c));
    t.push(reply(&mut b));
    t.push(reply(&mut c));
    t.push(format!(
        "waited {}",
        start.elapsed() >= Duration::from_millis(350)
    ));
    // A weaker, shorter second pause keeps the stronger mode and the later end.
    let start = Instant::now();
    t.push(a.cmd("CLIENT PAUSE 400 WRITE"));
    t.push(a.cmd("CLIENT PAUSE 10 ALL"));
    send(&mut b, "GET x");
    t.push(quick(&mut b));
    t.push(reply(&mut b));
    t.push(format!(
        "waited {}",
        start.elapsed() >= Duration::from_millis(350)
    ));
    // Timeout 0: no pause at all.
    t.push(a.cmd("CLIENT PAUSE 0"));
    sleep(Duration::from_millis(20));
    t.push(b.cmd("SET x 1"));
    t
}

fn subscribed_client(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut t = vec![b.cmd("SUBSCRIBE ch"), a.cmd("CLIENT PAUSE 100000 WRITE")];
    // The RESP2 pub/sub context error comes first; PING is allowed and not held.
    send(&mut b, "SET x 1");
    t.push(quick(&mut b));
    send(&mut b, "PING");
    t.push(quick(&mut b));
    t.push(a.cmd("CLIENT UNPAUSE"));
    t
}

#[test]
fn subscribed_clients_get_the_context_error_during_a_pause() {
    let t = both(&[], subscribed_client);
    assert!(t[2].starts_with("-ERR Can't execute 'set'"));
}

#[test]
fn all_pause_holds_everything_until_its_timer() {
    let t = both(&[], all_pause);
    assert_eq!(t[2], "held");
    assert_eq!(t[3], "held");
    assert_eq!(t[6], "waited true");
    assert_eq!(t[11], "waited true");
}

fn errors(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    [
        "CLIENT PAUSE",
        "CLIENT PAUSE abc",
        "CLIENT PAUSE -1",
        "CLIENT PAUSE 100 foo",
        "CLIENT PAUSE 100 write extra",
        "CLIENT PAUSE abc write extra",
        "CLIENT UNPAUSE x",
        "CLIENT PAUSE 100 write",
        "CLIENT UNPAUSE",
        "COMMAND INFO client|pause client|unpause",
    ]
    .iter()
    .map(|c| a.cmd(c))
    .collect()
}

#[test]
fn pause_argument_errors_match_redis() {
    let t = both(&[], errors);
    assert_eq!(t[2], "-ERR timeout is negative\r\n");
}

fn idle_timeout(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut idle = Raw::connect(port);
    let mut t = vec![a.cmd("CONFIG SET timeout 1")];
    t.push(idle.cmd("PING"));
    let mut blocked = Raw::connect(port);
    send(&mut blocked, "BLPOP nothing 0");
    for _ in 0..26 {
        sleep(Duration::from_millis(100));
        a.cmd("PING");
    }
    t.push(a.cmd("PING"));
    t.push(format!("idle closed {}", idle.is_closed()));
    t.push(a.cmd("LPUSH nothing v"));
    t.push(reply(&mut blocked));
    t.push(a.cmd("CONFIG SET timeout 0"));
    t
}

#[test]
fn idle_clients_are_closed_after_timeout_but_not_blocked_ones() {
    let t = both(&[], idle_timeout);
    assert_eq!(t[3], "idle closed true");
    assert_eq!(t[5], "*2\r\n$7\r\nnothing\r\n$1\r\nv\r\n");
}
