//! Scripts seen from outside: MONITOR lines of scripts (`[db lua]` after the EVAL/FCALL line),
//! scripts queued in MULTI/EXEC (errors in place, WATCH, blocked clients served after EXEC),
//! blocked clients woken by a script only once it ends — also a script sliced past
//! `busy-reply-threshold` while others get BUSY —, the propagated effects of writes compared
//! with the AOF redis-server writes, and `FUNCTION DUMP` payloads byte-identical to redis-server's. Each scenario runs on ferrous and, when redis-server is
//! installed, on redis-server, and the transcripts must match.

mod common;

use common::{both, encode, settle, Raw, Server};
use std::io::Read;
use std::thread::sleep;
use std::time::{Duration, Instant};

fn send(c: &mut Raw, args: &[&str]) {
    let refs: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    c.send(&encode(&refs));
}

fn reply(c: &mut Raw) -> String {
    String::from_utf8_lossy(&c.read_reply().expect("reply")).into_owned()
}

fn cmd(c: &mut Raw, args: &[&str]) -> String {
    send(c, args);
    reply(c)
}

/// True when `c` has no reply waiting (checked for `ms` milliseconds).
fn nothing_pending(c: &mut Raw, ms: u64) -> bool {
    c.stream
        .set_read_timeout(Some(Duration::from_millis(ms)))
        .unwrap();
    let mut b = [0u8; 1];
    let none = c.stream.peek(&mut b).is_err();
    c.stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    none
}

/// A MONITOR line with its timestamp and client address replaced (`lua` is kept).
fn normalize_monitor(line: &str) -> String {
    let rest = line.split_once(' ').map_or("", |(_, r)| r);
    let (bracket, args) = rest.split_once("] ").unwrap_or((rest, ""));
    let (db, who) = bracket
        .trim_start_matches('[')
        .split_once(' ')
        .unwrap_or(("?", "?"));
    let who = if who == "lua" { "lua" } else { "addr" };
    format!("[{db} {who}] {args}")
}

fn monitor_scenario(port: u16) -> Vec<String> {
    let mut m = Raw::connect(port);
    let mut c = Raw::connect(port);
    let mut t = vec![cmd(&mut m, &["MONITOR"])];
    let lib = "#!lua name=mlib\nredis.register_function('f', function(k, a) return redis.call('incr', k[1]) end)";
    let calls: &[&[&str]] = &[
        &["SELECT", "3"],
        &[
            "EVAL",
            "redis.call('set','k','v'); redis.call('select','4'); return redis.call('get','k')",
            "0",
        ],
        &["EVAL", "return redis.pcall('nosuch')", "0"],
        &["EVAL", "return redis.call('set')", "0"],
        &["EVALSHA", "0123456789012345678901234567890123456789", "0"],
        &["EVAL", "return 1", "-1"],
        &["FUNCTION", "LOAD", lib],
        &["FCALL", "f", "1", "cnt"],
        &["FCALL_RO", "nosuch", "0"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["EVAL", "return redis.call('get','a')", "0"],
        &["EXEC"],
        &["SELECT", "0"],
    ];
    for call in calls {
        t.push(cmd(&mut c, call));
    }
    t.push(cmd(&mut c, &["PING"]));
    settle();
    loop {
        let line = reply(&mut m);
        if line.contains("\"PING\"") {
            break;
        }
        t.push(normalize_monitor(line.trim_end()));
    }
    t
}

#[test]
fn monitor_shows_script_commands_as_lua_after_their_script() {
    let t = both(&[], monitor_scenario);
    let want = [
        "[3 addr] \"SELECT\" \"3\"",
        "[3 addr] \"EVAL\" \"redis.call('set','k','v'); redis.call('select','4'); return redis.call('get','k')\" \"0\"",
        "[3 lua] \"set\" \"k\" \"v\"",
        "[4 lua] \"select\" \"4\"",
        "[4 lua] \"get\" \"k\"",
    ];
    let lines: Vec<&str> = t.iter().map(|s| s.as_str()).collect();
    let start = lines.iter().position(|l| l.starts_with('[')).unwrap();
    assert_eq!(&lines[start..start + want.len()], want);
    assert!(lines.contains(&"[3 lua] \"incr\" \"cnt\""));
    assert!(lines.contains(&"[3 addr] \"FCALL_RO\" \"nosuch\" \"0\""));
}

fn multi_exec_scenario(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut t = Vec::new();
    let lib = "#!lua name=tlib\nredis.register_function('push', function(k, a) return redis.call('rpush', k[1], a[1]) end)";
    t.push(cmd(&mut a, &["FUNCTION", "LOAD", "REPLACE", lib]));
    let loaded = cmd(&mut a, &["SCRIPT", "LOAD", "return ARGV[1]"]);
    let sha = loaded.lines().nth(1).unwrap_or("").to_string();
    t.push(loaded);
    t.push(cmd(&mut a, &["MULTI"]));
    for call in [
        &["EVAL", "return redis.call('incr', KEYS[1])", "1", "n"][..],
        &["EVALSHA", "0123456789012345678901234567890123456789", "0"],
        &["EVALSHA", &sha, "0", "x"],
        &["EVAL", "return redis.call('nosuch')", "0"],
        &["EVAL", "error('boom')", "0"],
        &["EVAL", "return redis.call('incr', KEYS[1])", "-1"],
        &["FCALL", "push", "1", "l", "v"],
        &["FCALL", "nosuch", "0"],
        &["EVAL_RO", "return redis.call('set','x','1')", "0"],
        &[
            "EVAL",
            "return {redis.call('get', KEYS[1]), redis.call('lrange','l',0,-1)}",
            "1",
            "n",
        ],
    ] {
        t.push(cmd(&mut a, call));
    }
    t.push(cmd(&mut a, &["EXEC"]));
    // Queuing errors still abort the whole transaction.
    t.push(cmd(&mut a, &["MULTI"]));
    t.push(cmd(&mut a, &["EVAL", "return 1"]));
    t.push(cmd(&mut a, &["EVAL", "return redis.call('incr','n')", "0"]));
    t.push(cmd(&mut a, &["EXEC"]));
    t.push(cmd(&mut a, &["GET", "n"]));
    // WATCH: a script of another client touching the key breaks the transaction.
    t.push(cmd(&mut a, &["WATCH", "w"]));
    t.push(cmd(
        &mut b,
        &["EVAL", "return redis.call('set','w','1')", "0"],
    ));
    t.push(cmd(&mut a, &["MULTI"]));
    t.push(cmd(&mut a, &["EVAL", "return redis.call('incr','w')", "0"]));
    t.push(cmd(&mut a, &["EXEC"]));
    // A script that only reads the watched key does not.
    t.push(cmd(&mut a, &["WATCH", "w"]));
    t.push(cmd(&mut b, &["EVAL", "return redis.call('get','w')", "0"]));
    t.push(cmd(&mut a, &["MULTI"]));
    t.push(cmd(&mut a, &["EVAL", "return redis.call('incr','w')", "0"]));
    t.push(cmd(&mut a, &["EXEC"]));
    // WATCH inside a script is refused; MULTI/EXEC too.
    t.push(cmd(
        &mut a,
        &["EVAL", "return redis.pcall('watch','w')", "0"],
    ));
    t.push(cmd(&mut a, &["EVAL", "return redis.pcall('multi')", "0"]));
    t
}

#[test]
fn scripts_queued_in_multi_run_in_exec_with_errors_in_place() {
    let t = both(&[], multi_exec_scenario);
    assert!(t.iter().any(|r| r.contains("-NOSCRIPT")));
    assert!(t.iter().any(|r| r == "*-1\r\n"));
}

fn exec_wakes_after_scenario(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut c = Raw::connect(port);
    let mut t = Vec::new();
    send(&mut a, &["BLPOP", "q", "0"]);
    send(&mut c, &["BLPOP", "q", "0"]);
    settle();
    t.push(cmd(&mut b, &["MULTI"]));
    t.push(cmd(
        &mut b,
        &["EVAL", "return redis.call('rpush','q','x','y','z')", "0"],
    ));
    t.push(cmd(
        &mut b,
        &["EVAL", "return redis.call('lrange','q',0,-1)", "0"],
    ));
    t.push(cmd(&mut b, &["FCALL_RO", "nosuch", "0"]));
    t.push(cmd(&mut b, &["EVAL", "return redis.call('lpop','q')", "0"]));
    t.push(cmd(&mut b, &["EXEC"]));
    t.push(reply(&mut a));
    t.push(reply(&mut c));
    t.push(cmd(&mut b, &["LRANGE", "q", "0", "-1"]));
    t
}

#[test]
fn clients_blocked_before_exec_are_served_after_it() {
    let t = both(&[], exec_wakes_after_scenario);
    assert_eq!(t[1], "+QUEUED\r\n");
    assert_eq!(t[t.len() - 3], "*2\r\n$1\r\nq\r\n$1\r\ny\r\n");
    assert_eq!(t[t.len() - 2], "*2\r\n$1\r\nq\r\n$1\r\nz\r\n");
    assert_eq!(t[t.len() - 1], "*0\r\n");
}

fn sliced_script_scenario(port: u16) -> Vec<String> {
    let mut a = Raw::connect(port);
    let mut b = Raw::connect(port);
    let mut c = Raw::connect(port);
    let mut t = vec![cmd(
        &mut c,
        &["CONFIG", "SET", "busy-reply-threshold", "100"],
    )];
    send(&mut a, &["BLPOP", "q", "0"]);
    settle();
    let script = "redis.call('lpush','q','x')
local t0 = redis.call('time')
while true do
  local t = redis.call('time')
  if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 2000000 then break end
end
return redis.call('lrange','q',0,-1)";
    let started = Instant::now();
    send(&mut b, &["EVAL", script, "0"]);
    sleep(Duration::from_millis(500));
    let busy = cmd(&mut c, &["PING"]);
    t.push(busy);
    t.push(format!(
        "blocked client still waiting while the script runs: {}",
        nothing_pending(&mut a, 300)
    ));
    t.push(reply(&mut b));
    t.push(format!(
        "script ran past 2s: {}",
        started.elapsed() >= Duration::from_secs(2)
    ));
    t.push(reply(&mut a));
    t.push(cmd(&mut c, &["LLEN", "q"]));
    t.push(cmd(
        &mut c,
        &["CONFIG", "SET", "busy-reply-threshold", "5000"],
    ));
    t
}

#[test]
fn a_sliced_script_wakes_blocked_clients_only_when_it_ends() {
    let t = both(&[], sliced_script_scenario);
    assert!(t[1].starts_with("-BUSY"), "{t:?}");
    assert_eq!(
        t[2],
        "blocked client still waiting while the script runs: true"
    );
    assert_eq!(t[3], "*1\r\n$1\r\nx\r\n");
    assert_eq!(t[5], "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
    assert_eq!(t[6], ":0\r\n");
}

/// The commands of a RESP stream of multibulk requests (an AOF).
fn parse_commands(mut bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(end) = common::reply_end(bytes, 0) {
        out.push(words(&bytes[..end]));
        bytes = &bytes[end..];
    }
    out
}

/// The bulk strings of one array reply, joined by spaces.
fn words(reply: &[u8]) -> String {
    let mut words = Vec::new();
    let mut pos = reply.iter().position(|&b| b == b'\n').unwrap_or(0) + 1;
    while pos < reply.len() {
        let nl = pos + reply[pos..].iter().position(|&b| b == b'\n').unwrap_or(0);
        let n: usize = std::str::from_utf8(&reply[pos + 1..nl - 1])
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        words.push(String::from_utf8_lossy(&reply[nl + 1..nl + 1 + n]).into_owned());
        pos = nl + 1 + n + 2;
    }
    let masked: Vec<String> = words
        .into_iter()
        .map(|w| {
            let stamp = w.len() == 13 && w.bytes().all(|b| b.is_ascii_digit());
            if stamp {
                "<ms>".to_string()
            } else {
                w
            }
        })
        .collect();
    masked.join(" ")
}

/// The commands run by the propagation scenario (a blocked client is served by a script).
fn propagation_workload(port: u16) {
    let mut c = Raw::connect(port);
    let mut blocked = Raw::connect(port);
    let lib = "#!lua name=plib\nredis.register_function('f', function(k, a) return redis.call('incr', k[1]) end)";
    let calls: &[&[&str]] = &[
        &["SET", "a", "1"],
        &["GET", "a"],
        &["DEL", "nosuch"],
        &[
            "EVAL",
            "redis.call('set','x','1'); redis.call('select','2'); redis.call('set','y','2'); return 1",
            "0",
        ],
        &["EVAL", "redis.call('set','z','1'); return 1", "0"],
        &["EVAL", "return redis.call('get','z')", "0"],
        &[
            "EVAL",
            "redis.set_repl(redis.REPL_REPLICA); redis.call('set','p','1'); redis.call('set','q','1'); return 1",
            "0",
        ],
        &[
            "EVAL",
            "redis.call('set','r','1'); redis.set_repl(redis.REPL_NONE); redis.call('set','s','1'); redis.set_repl(redis.REPL_ALL); redis.call('set','t','1'); return 1",
            "0",
        ],
        &["EVAL", "return redis.replicate_commands()", "0"],
        &[
            "EVAL",
            "redis.call('incr','e'); redis.call('incr','e'); return redis.call('nosuch')",
            "0",
        ],
        &["SELECT", "5"],
        &["MULTI"],
        &["SET", "m", "1"],
        &["GET", "m"],
        &["EVAL", "return redis.call('incr','m')", "0"],
        &["SELECT", "6"],
        &["INCR", "n"],
        &["EXEC"],
        &["MULTI"],
        &["GET", "m"],
        &["EXEC"],
        &["MULTI"],
        &["DEL", "n"],
        &["EXEC"],
        &["SELECT", "0"],
        &["FLUSHDB"],
        &["FUNCTION", "LOAD", lib],
        &["FCALL", "f", "1", "cnt"],
        &["FCALL_RO", "f", "1", "cnt"],
        &["PUBLISH", "ch", "m"],
        &["RPUSH", "l", "a", "b", "c", "d"],
        &["BLPOP", "l", "0"],
        &["BRPOPLPUSH", "l", "d", "0"],
        &["BLMOVE", "l", "d", "left", "right", "0"],
        &["RPUSH", "l", "e", "f", "g"],
        &["LMPOP", "1", "l", "RIGHT", "COUNT", "5"],
        &["ZADD", "z", "1", "a", "2", "b", "3", "c"],
        &["BZPOPMIN", "z", "0"],
        &["ZMPOP", "1", "z", "MAX", "COUNT", "1"],
        &["BZMPOP", "0", "1", "z", "MIN"],
        &["SWAPDB", "0", "1"],
        &["SWAPDB", "0", "1"],
        &["FUNCTION", "DELETE", "nosuch"],
        &["FUNCTION", "DELETE", "plib"],
    ];
    for call in calls {
        cmd(&mut c, call);
    }
    send(&mut blocked, &["BLPOP", "bq", "0"]);
    settle();
    cmd(
        &mut c,
        &[
            "EVAL",
            "redis.call('lpush','bq','x'); redis.call('set','after','1'); return 1",
            "0",
        ],
    );
    reply(&mut blocked);
    cmd(&mut c, &["FLUSHALL"]);
}

/// The AOF stream of Redis 7.0 for [`propagation_workload`], as redis-server writes it.
const EXPECTED_AOF: &[&str] = &[
    "SELECT 0",
    "SET a 1",
    "MULTI",
    "set x 1",
    "SELECT 2",
    "set y 2",
    "EXEC",
    "SELECT 0",
    "set z 1",
    "MULTI",
    "set r 1",
    "set t 1",
    "EXEC",
    "MULTI",
    "incr e",
    "incr e",
    "EXEC",
    "SELECT 5",
    "MULTI",
    "SET m 1",
    "incr m",
    "SELECT 6",
    "INCR n",
    "EXEC",
    "DEL n",
    "SELECT 0",
    "FLUSHDB",
    "FUNCTION LOAD #!lua name=plib\nredis.register_function('f', function(k, a) return redis.call('incr', k[1]) end)",
    "incr cnt",
    "RPUSH l a b c d",
    "LPOP l",
    "RPOPLPUSH l d",
    "LMOVE l d left right",
    "RPUSH l e f g",
    "RPOP l 4",
    "ZADD z 1 a 2 b 3 c",
    "ZPOPMIN z",
    "ZPOPMAX z 1",
    "ZPOPMIN z 1",
    "SWAPDB 0 1",
    "SWAPDB 0 1",
    "FUNCTION DELETE plib",
    "MULTI",
    "lpush bq x",
    "set after 1",
    "EXEC",
    "LPOP bq",
    "FLUSHALL",
];

#[test]
fn propagated_effects_match_redis_aof() {
    check_propagation(propagation_workload, EXPECTED_AOF);
}

/// Runs `workload` on ferrous with a recorder attached as an AOF, and on redis-server (when
/// installed) with its AOF on; both streams must be `want` (timestamps written `<ms>`).
fn check_propagation(workload: fn(u16), want: &[&str]) {
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    let ferrous = Server::start_with(&["--enable-debug-command", "yes"]);
    let mut c = Raw::connect(ferrous.port);
    assert_eq!(cmd(&mut c, &["DEBUG", "PROPAGATION-LOG", "AOF"]), "+OK\r\n");
    workload(ferrous.port);
    send(&mut c, &["DEBUG", "PROPAGATION-LOG", "GET"]);
    let ours = parse_log(&c.read_reply().unwrap());
    assert_eq!(ours, want, "ferrous's propagated stream");
    assert_eq!(cmd(&mut c, &["DEBUG", "PROPAGATION-LOG", "OFF"]), "+OK\r\n");

    let dir = std::env::temp_dir().join(format!(
        "ferrous-aof-{}-{}",
        std::process::id(),
        common::free_port()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_string_lossy().into_owned();
    let args = [
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--enable-debug-command",
        "yes",
        "--dir",
        &dir_arg,
    ];
    let Some(redis) = Server::start_redis(&args) else {
        println!("NOTICE: redis-server not installed; comparison skipped");
        return;
    };
    workload(redis.port);
    settle();
    let aof = dir.join("appendonlydir").join("appendonly.aof.1.incr.aof");
    let mut bytes = Vec::new();
    std::fs::File::open(&aof)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .unwrap();
    drop(redis);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(want, parse_commands(&bytes), "redis-server's AOF");
}

/// Keys found expired by a command are deleted in its execution unit (so a write after the
/// lookup gets wrapped with the DEL), the active cycle's deletions go alone, and
/// `lazyfree-lazy-expire` makes them UNLINKs.
fn expiry_workload(port: u16) {
    let mut c = Raw::connect(port);
    let soon = || {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        (now.as_millis() + 20).to_string()
    };
    let expire_soon = |c: &mut Raw, key: &str| {
        cmd(c, &["SET", key, "v"]);
        cmd(c, &["PEXPIREAT", key, &soon()]);
    };
    cmd(&mut c, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
    expire_soon(&mut c, "a");
    expire_soon(&mut c, "b");
    expire_soon(&mut c, "c");
    expire_soon(&mut c, "d");
    sleep(Duration::from_millis(60));
    cmd(&mut c, &["GET", "a"]);
    for call in [
        &["MULTI"][..],
        &["GET", "b"],
        &["SET", "after", "v"],
        &["EXEC"],
    ] {
        cmd(&mut c, call);
    }
    cmd(&mut c, &["SET", "c", "w"]);
    cmd(
        &mut c,
        &[
            "EVAL",
            "redis.call('get','d'); return redis.call('set','e','1')",
            "0",
        ],
    );
    expire_soon(&mut c, "f");
    sleep(Duration::from_millis(60));
    cmd(&mut c, &["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
    sleep(Duration::from_millis(400));
    cmd(&mut c, &["CONFIG", "SET", "lazyfree-lazy-expire", "yes"]);
    cmd(&mut c, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
    expire_soon(&mut c, "g");
    sleep(Duration::from_millis(60));
    cmd(&mut c, &["GET", "g"]);
    cmd(&mut c, &["CONFIG", "SET", "lazyfree-lazy-expire", "no"]);
}

const EXPECTED_EXPIRY: &[&str] = &[
    "SELECT 0",
    "SET a v",
    "PEXPIREAT a <ms>",
    "SET b v",
    "PEXPIREAT b <ms>",
    "SET c v",
    "PEXPIREAT c <ms>",
    "SET d v",
    "PEXPIREAT d <ms>",
    "DEL a",
    "MULTI",
    "DEL b",
    "SET after v",
    "EXEC",
    "MULTI",
    "DEL c",
    "SET c w",
    "EXEC",
    "MULTI",
    "DEL d",
    "set e 1",
    "EXEC",
    "SET f v",
    "PEXPIREAT f <ms>",
    "DEL f",
    "SET g v",
    "PEXPIREAT g <ms>",
    "UNLINK g",
];

#[test]
fn expired_keys_propagate_as_deletions_like_redis() {
    check_propagation(expiry_workload, EXPECTED_EXPIRY);
}

/// The log of `DEBUG PROPAGATION-LOG GET` as commands, the stream name dropped.
fn parse_log(reply: &[u8]) -> Vec<String> {
    let mut pos = reply.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut out = Vec::new();
    while let Some(end) = common::reply_end(reply, pos) {
        let w = words(&reply[pos..end]);
        out.push(w.strip_prefix("aof ").unwrap_or(&w).to_string());
        pos = end;
    }
    out
}

/// `FUNCTION DUMP` of one library (the bulk payload's bytes) after loading it alone.
fn dump_of(port: u16, code: &str) -> Vec<u8> {
    let mut c = Raw::connect(port);
    assert_eq!(cmd(&mut c, &["FUNCTION", "FLUSH"]), "+OK\r\n");
    assert!(cmd(&mut c, &["FUNCTION", "LOAD", code]).starts_with('$'));
    let reply = c.cmd_args(&[b"FUNCTION", b"DUMP"]);
    let start = reply.iter().position(|&b| b == b'\n').unwrap() + 1;
    reply[start..reply.len() - 2].to_vec()
}

fn restore(port: u16, payload: &[u8]) -> String {
    let mut c = Raw::connect(port);
    cmd(&mut c, &["FUNCTION", "FLUSH"]);
    let r = c.cmd_args(&[b"FUNCTION", b"RESTORE", payload]);
    String::from_utf8_lossy(&r).into_owned() + &cmd(&mut c, &["FCALL", "g", "0"])
}

#[test]
fn function_dump_is_lzf_compressed_like_redis() {
    let mut long = String::from("#!lua name=big\n");
    for i in 0..40 {
        long.push_str(&format!(
            "redis.register_function('f{i}', function(keys, args) return redis.call('get', keys[1]) end)\n"
        ));
    }
    long.push_str("redis.register_function('g', function() return 'ok' end)\n");
    let short = "#!lua name=small\nredis.register_function('g', function() return 'ok' end)";
    let ferrous = Server::start();
    let ours: Vec<Vec<u8>> = [&long[..], short]
        .iter()
        .map(|c| dump_of(ferrous.port, c))
        .collect();
    assert_eq!(ours[0][1], 0xC3, "long library code is compressed");
    assert!(ours[0].len() < long.len() / 4);
    assert_eq!(
        ours[1][1..3],
        [0x40, short.len() as u8],
        "short code is stored as is"
    );
    for payload in &ours {
        assert_eq!(restore(ferrous.port, payload), "+OK\r\n$2\r\nok\r\n");
    }
    let Some(redis) = Server::start_redis(&[]) else {
        println!("NOTICE: redis-server not installed; comparison skipped");
        return;
    };
    for (code, payload) in [&long[..], short].iter().zip(&ours) {
        assert_eq!(
            &dump_of(redis.port, code),
            payload,
            "same bytes as redis-server"
        );
        assert_eq!(restore(redis.port, payload), "+OK\r\n$2\r\nok\r\n");
    }
}

/// Commands Redis propagates rewritten: relative TTLs as absolute ones, random or float results
/// as the values they produced.
fn rewrite_workload(port: u16) {
    let mut c = Raw::connect(port);
    let calls: &[&[&str]] = &[
        &["SET", "g", "1"],
        &["GETDEL", "g"],
        &["HINCRBYFLOAT", "h", "f", "1.5"],
        &["INCRBYFLOAT", "f", "2"],
        &["SADD", "s", "a"],
        &["SPOP", "s"],
        &["SADD", "s", "a", "b", "c"],
        &["SPOP", "s", "5"],
        &["SET", "k", "v"],
        &["SET", "k", "v2", "GET"],
        &["SET", "k", "v3", "NX", "GET"],
        &["SET", "k", "v4", "XX", "PX", "100000", "GET"],
        &["GETEX", "k", "EX", "100"],
        &["GETEX", "k", "PERSIST"],
        &["GETEX", "k", "PERSIST"],
        &["GETEX", "k", "PXAT", "1"],
        &["SET", "k", "v"],
        &["EXPIRE", "k", "100", "NX"],
        &["EXPIRE", "k", "100", "NX"],
        &["PEXPIREAT", "k", "99999999999999"],
        &["EXPIRE", "k", "-1"],
        &["SETEX", "k", "100", "v"],
        &["PSETEX", "k", "100000", "v"],
        &[
            "EVAL",
            "redis.call('set','x','1','ex','100'); return redis.call('incrbyfloat','f','1')",
            "0",
        ],
    ];
    for call in calls {
        cmd(&mut c, call);
    }
}

const EXPECTED_REWRITES: &[&str] = &[
    "SELECT 0",
    "SET g 1",
    "DEL g",
    "HSET h f 1.5",
    "SET f 2 KEEPTTL",
    "SADD s a",
    "SREM s a",
    "SADD s a b c",
    "DEL s",
    "SET k v",
    "SET k v2",
    "SET k v4 PXAT <ms>",
    "PEXPIREAT k <ms>",
    "PERSIST k",
    "DEL k",
    "SET k v",
    "PEXPIREAT k <ms> NX",
    "PEXPIREAT k 99999999999999",
    "DEL k",
    "SET k v PXAT <ms>",
    "SET k v PXAT <ms>",
    "MULTI",
    "SET x 1 PXAT <ms>",
    "SET f 3 KEEPTTL",
    "EXEC",
];

#[test]
fn rewritten_commands_propagate_like_redis() {
    check_propagation(rewrite_workload, EXPECTED_REWRITES);
}
