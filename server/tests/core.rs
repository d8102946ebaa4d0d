//! Core integration tests through the real binary: strings, generic keys, expiry, CONFIG, INFO fields,
//! SORT, COMMAND GETKEYS, many concurrent clients, big pipelines and protocol limits.

mod common;

use common::{encode, Server};
use redis::{Commands, Connection};
use std::io::{Read, Write};
use std::time::Duration;

fn query<T: redis::FromRedisValue>(c: &mut Connection, args: &[&str]) -> redis::RedisResult<T> {
    let mut cmd = redis::cmd(args[0]);
    for a in &args[1..] {
        cmd.arg(*a);
    }
    cmd.query(c)
}

fn error_text(r: redis::RedisResult<redis::Value>) -> String {
    let e = r.expect_err("an error reply");
    format!("{} {}", e.code().unwrap_or(""), e.detail().unwrap_or(""))
}

#[test]
fn strings() {
    let server = Server::start();
    let mut c = server.client();
    let _: () = c.set("s", "hello").unwrap();
    assert_eq!(c.append::<_, _, i64>("s", " world").unwrap(), 11);
    assert_eq!(c.strlen::<_, i64>("s").unwrap(), 11);
    assert_eq!(c.getrange::<_, String>("s", 0, 4).unwrap(), "hello");
    assert_eq!(c.setrange::<_, _, i64>("s", 6, "WORLD").unwrap(), 11);
    assert_eq!(c.get::<_, String>("s").unwrap(), "hello WORLD");
    assert_eq!(
        query::<Option<String>>(&mut c, &["SET", "s", "x", "NX"]).unwrap(),
        None
    );
    assert_eq!(
        query::<String>(&mut c, &["SET", "s", "x", "XX", "GET"]).unwrap(),
        "hello WORLD"
    );
    assert_eq!(query::<String>(&mut c, &["GETDEL", "s"]).unwrap(), "x");
    assert!(!c.exists::<_, bool>("s").unwrap());
    assert_eq!(c.incr::<_, _, i64>("n", 5).unwrap(), 5);
    assert_eq!(c.decr::<_, _, i64>("n", 7).unwrap(), -2);
    let _: () = c.set("max", i64::MAX).unwrap();
    assert_eq!(
        error_text(query(&mut c, &["INCR", "max"])),
        "ERR increment or decrement would overflow"
    );
    assert_eq!(
        query::<String>(&mut c, &["INCRBYFLOAT", "f", "0.1"]).unwrap(),
        "0.1"
    );
    assert_eq!(
        query::<String>(&mut c, &["INCRBYFLOAT", "f", "0.2"]).unwrap(),
        "0.3"
    );
    assert_eq!(
        query::<String>(&mut c, &["INCRBYFLOAT", "f", "1e3"]).unwrap(),
        "1000.29999999999999999"
    );
    let _: () = c.mset(&[("a", "1"), ("b", "2")]).unwrap();
    let got: Vec<Option<String>> = c.mget(&["a", "nokey", "b"]).unwrap();
    assert_eq!(got, vec![Some("1".into()), None, Some("2".into())]);
    let _: () = c.lpush("list", "x").unwrap();
    assert!(error_text(query(&mut c, &["GET", "list"])).starts_with("WRONGTYPE"));
}

#[test]
fn keys_and_expiry() {
    let server = Server::start();
    let mut c = server.client();
    let _: () = c.set("k", "v").unwrap();
    assert_eq!(query::<String>(&mut c, &["TYPE", "k"]).unwrap(), "string");
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), -1);
    assert_eq!(c.ttl::<_, i64>("nokey").unwrap(), -2);
    assert!(c.expire::<_, bool>("k", 100).unwrap());
    assert!((99..=100).contains(&c.ttl::<_, i64>("k").unwrap()));
    assert_eq!(
        query::<i64>(&mut c, &["EXPIRE", "k", "50", "GT"]).unwrap(),
        0
    );
    assert_eq!(
        query::<i64>(&mut c, &["EXPIRE", "k", "50", "LT"]).unwrap(),
        1
    );
    assert!(c.persist::<_, bool>("k").unwrap());
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), -1);
    let _: () = c.rename("k", "k2").unwrap();
    assert_eq!(c.get::<_, String>("k2").unwrap(), "v");
    assert_eq!(query::<i64>(&mut c, &["PEXPIRE", "k2", "40"]).unwrap(), 1);
    std::thread::sleep(Duration::from_millis(80));
    assert_eq!(c.get::<_, Option<String>>("k2").unwrap(), None);
    let _: () = query(&mut c, &["SET", "gone", "v", "PX", "1"]).unwrap();
    let at: i64 = query(&mut c, &["PEXPIRETIME", "gone"]).unwrap_or(-2);
    assert!(at == -2 || at > 0);
    assert_eq!(query::<i64>(&mut c, &["EXPIRE", "k3", "10"]).unwrap(), 0);
    assert_eq!(
        error_text(query(&mut c, &["EXPIRE", "k2", "10", "NX", "XX"])),
        "ERR NX and XX, GT or LT options at the same time are not compatible"
    );
}

/// `busy-poll-us` is ferrous's own directive (the event loop's busy-poll, `net/spin.rs`): it shows in
/// CONFIG like Redis's integer directives, and 0 turns the spin off with the server still serving.
#[test]
fn busy_poll_directive() {
    let server = Server::start();
    let mut c = server.client();
    let got: Vec<String> = query(&mut c, &["CONFIG", "GET", "busy-poll-us"]).unwrap();
    assert_eq!(got, vec!["busy-poll-us", "50"]);
    assert!(
        error_text(query(&mut c, &["CONFIG", "SET", "busy-poll-us", "-1"]))
            .contains("argument must be between 0 and 1000000 inclusive")
    );
    let _: () = query(&mut c, &["CONFIG", "SET", "busy-poll-us", "0"]).unwrap();
    for i in 0..100 {
        let _: () = c.set("k", i).unwrap();
    }
    assert_eq!(c.get::<_, i64>("k").unwrap(), 99);
}

#[test]
fn config_and_info_fields() {
    let server = Server::start();
    let mut c = server.client();
    let got: Vec<String> = query(&mut c, &["CONFIG", "GET", "maxmemory-policy"]).unwrap();
    assert_eq!(got, vec!["maxmemory-policy", "noeviction"]);
    let _: () = query(&mut c, &["CONFIG", "SET", "hash-max-listpack-entries", "3"]).unwrap();
    let got: Vec<String> = query(&mut c, &["CONFIG", "GET", "hash-max-ziplist-entries"]).unwrap();
    assert_eq!(got, vec!["hash-max-ziplist-entries", "3"]);
    let _: () = c
        .hset_multiple("h", &[("a", 1), ("b", 2), ("c", 3), ("d", 4)])
        .unwrap();
    assert_eq!(
        query::<String>(&mut c, &["OBJECT", "ENCODING", "h"]).unwrap(),
        "hashtable"
    );
    let _: () = c.set("x", 1).unwrap();
    let info: String = query(&mut c, &["INFO"]).unwrap();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("INFO has no {name}"))
    };
    assert_eq!(field("redis_version"), ferrous::REDIS_VERSION);
    assert_eq!(field("tcp_port"), server.port.to_string());
    assert_eq!(field("connected_clients"), "1");
    assert_eq!(field("role"), "master");
    assert!(field("used_memory").parse::<u64>().unwrap() > 0);
    assert!(field("total_commands_processed").parse::<u64>().unwrap() >= 5);
    assert!(field("db0").starts_with("keys=2,expires=0"));
    for section in [
        "# Server",
        "# Clients",
        "# Memory",
        "# Persistence",
        "# Stats",
        "# Replication",
        "# CPU",
        "# Keyspace",
    ] {
        assert!(info.contains(section), "INFO lacks {section}");
    }
}

#[test]
fn sort_through_redis_crate() {
    let server = Server::start();
    let mut c = server.client();
    let _: () = c.rpush("ids", &[3, 1, 2]).unwrap();
    let _: () = c
        .mset(&[("w_1", "30"), ("w_2", "10"), ("w_3", "20")])
        .unwrap();
    let _: () = c.hset_multiple("h_1", &[("name", "one")]).unwrap();
    let _: () = c.hset_multiple("h_2", &[("name", "two")]).unwrap();
    assert_eq!(
        query::<Vec<i64>>(&mut c, &["SORT", "ids"]).unwrap(),
        vec![1, 2, 3]
    );
    assert_eq!(
        query::<Vec<i64>>(&mut c, &["SORT", "ids", "BY", "w_*"]).unwrap(),
        vec![2, 3, 1]
    );
    let got: Vec<Option<String>> = query(
        &mut c,
        &[
            "SORT",
            "ids",
            "BY",
            "w_*",
            "DESC",
            "GET",
            "#",
            "GET",
            "h_*->name",
        ],
    )
    .unwrap();
    let want = ["1", "one", "3", "", "2", "two"].map(|s| (!s.is_empty()).then(|| s.to_string()));
    assert_eq!(got, want.to_vec());
    assert_eq!(
        query::<i64>(&mut c, &["SORT", "ids", "LIMIT", "1", "5", "STORE", "dst"]).unwrap(),
        2
    );
    assert_eq!(c.lrange::<_, Vec<i64>>("dst", 0, -1).unwrap(), vec![2, 3]);
    assert_eq!(
        error_text(query(&mut c, &["SORT_RO", "ids", "STORE", "dst"])),
        "ERR syntax error"
    );
    let _: () = c.rpush("words", "abc").unwrap();
    assert_eq!(
        error_text(query(&mut c, &["SORT", "words"])),
        "ERR One or more scores can't be converted into double"
    );
}

#[test]
fn command_getkeys_movable() {
    let server = Server::start();
    let mut c = server.client();
    let keys = |c: &mut Connection, call: &[&str]| -> Vec<String> {
        let mut args = vec!["COMMAND", "GETKEYS"];
        args.extend_from_slice(call);
        query(c, &args).unwrap()
    };
    assert_eq!(
        keys(&mut c, &["SINTERCARD", "2", "a", "b", "LIMIT", "1"]),
        ["a", "b"]
    );
    assert_eq!(keys(&mut c, &["LMPOP", "2", "a", "b", "LEFT"]), ["a", "b"]);
    assert_eq!(
        keys(&mut c, &["ZUNIONSTORE", "d", "2", "a", "b"]),
        ["d", "a", "b"]
    );
    assert_eq!(keys(&mut c, &["SORT", "a", "STORE", "b"]), ["a", "b"]);
    assert_eq!(keys(&mut c, &["MSET", "a", "1", "b", "2"]), ["a", "b"]);
    let count: i64 = query(&mut c, &["COMMAND", "COUNT"]).unwrap();
    let list: Vec<String> = query(&mut c, &["COMMAND", "LIST"]).unwrap();
    assert_eq!(
        count as usize,
        list.iter().filter(|n| !n.contains('|')).count()
    );
}

#[test]
fn many_clients_incr_exact_total() {
    let server = Server::start();
    let port = server.port;
    let threads: Vec<_> = (0..50)
        .map(|_| {
            std::thread::spawn(move || {
                let client = redis::Client::open(format!("redis://127.0.0.1:{port}/")).unwrap();
                let mut c = client.get_connection().unwrap();
                for _ in 0..200 {
                    let _: i64 = c.incr("counter", 1).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut c = server.client();
    assert_eq!(c.get::<_, i64>("counter").unwrap(), 10_000);
    let info: String = query(&mut c, &["INFO", "stats"]).unwrap();
    let conns = info
        .lines()
        .find_map(|l| l.strip_prefix("total_connections_received:"))
        .unwrap();
    assert!(conns.trim().parse::<u64>().unwrap() >= 51);
}

#[test]
fn big_pipeline_in_one_write() {
    let server = Server::start();
    let mut raw = server.raw();
    let n = 100_000;
    let mut batch = Vec::new();
    for i in 0..n {
        batch.extend_from_slice(&encode(&[b"SET", format!("k{i}").as_bytes(), b"v"]));
    }
    batch.extend_from_slice(&encode(&[b"DBSIZE"]));
    let mut writer = raw.stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || writer.write_all(&batch).unwrap());
    for _ in 0..n {
        assert_eq!(raw.read_reply().unwrap(), b"+OK\r\n");
    }
    assert_eq!(raw.read_reply().unwrap(), format!(":{n}\r\n").as_bytes());
    sender.join().unwrap();
}

#[test]
fn protocol_limits_close_the_connection() {
    let server = Server::start();
    let cases: [(&[u8], &str); 4] = [
        (
            b"*2147483648\r\n",
            "-ERR Protocol error: invalid multibulk length\r\n",
        ),
        (
            b"*1\r\n$536870913\r\n",
            "-ERR Protocol error: invalid bulk length\r\n",
        ),
        (
            b"*1\r\nx\r\n",
            "-ERR Protocol error: expected '$', got 'x'\r\n",
        ),
        (
            b"*abc\r\n",
            "-ERR Protocol error: invalid multibulk length\r\n",
        ),
    ];
    for (bytes, want) in cases {
        let mut raw = server.raw();
        raw.send(bytes);
        assert_eq!(String::from_utf8_lossy(&raw.read_reply().unwrap()), want);
        assert!(raw.is_closed(), "connection left open after {want}");
    }
    let mut raw = server.raw();
    raw.send(b"PING\r\n");
    assert_eq!(raw.read_reply().unwrap(), b"+PONG\r\n");
    raw.send(&vec![b'x'; 70 * 1024]);
    let mut reply = Vec::new();
    let _ = raw.stream.read_to_end(&mut reply);
    assert!(
        String::from_utf8_lossy(&reply).starts_with("-ERR Protocol error: too big inline request")
    );
}
