//! Hash family integration tests through the real binary: the `redis` crate, raw RESP2 and RESP3
//! replies, encoding conversions, HSCAN/HRANDFIELD contracts on both encodings, and randomized
//! comparisons with redis-server (skipped with a notice when it is not installed).

mod common;

use common::{Raw, Server};
use std::collections::{HashMap, HashSet};

/// A tiny deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn redis_crate_round_trip() {
    let s = Server::start();
    let mut c = s.client();
    let added: i64 = redis::cmd("HSET")
        .arg("h")
        .arg("a")
        .arg("1")
        .arg("b")
        .arg("2")
        .query(&mut c)
        .unwrap();
    assert_eq!(added, 2);
    let all: HashMap<String, String> = redis::cmd("HGETALL").arg("h").query(&mut c).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all["a"], "1");
    let n: i64 = redis::cmd("HINCRBY")
        .arg("h")
        .arg("a")
        .arg(41)
        .query(&mut c)
        .unwrap();
    assert_eq!(n, 42);
    let f: String = redis::cmd("HINCRBYFLOAT")
        .arg("h")
        .arg("x")
        .arg("0.1")
        .query(&mut c)
        .unwrap();
    let f2: String = redis::cmd("HINCRBYFLOAT")
        .arg("h")
        .arg("x")
        .arg("0.2")
        .query(&mut c)
        .unwrap();
    assert_eq!((f.as_str(), f2.as_str()), ("0.1", "0.3"));
    let vals: Vec<Option<String>> = redis::cmd("HMGET")
        .arg("h")
        .arg("b")
        .arg("nope")
        .query(&mut c)
        .unwrap();
    assert_eq!(vals, vec![Some("2".to_string()), None]);
    let deleted: i64 = redis::cmd("HDEL")
        .arg("h")
        .arg("a")
        .arg("b")
        .arg("x")
        .query(&mut c)
        .unwrap();
    assert_eq!(deleted, 3);
    let exists: bool = redis::cmd("EXISTS").arg("h").query(&mut c).unwrap();
    assert!(!exists, "an emptied hash is deleted");
}

#[test]
fn resp2_and_resp3_shapes() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("HSET h f1 v1 f2 v2"), ":2\r\n");
    let flat = "*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n";
    assert_eq!(r.cmd("HGETALL h"), flat);
    assert_eq!(r.cmd("HGETALL nokey"), "*0\r\n");
    assert_eq!(r.cmd("HGET h nofield"), "$-1\r\n");
    assert_eq!(r.cmd("HRANDFIELD nokey"), "$-1\r\n");
    assert_eq!(r.cmd("HSCAN h 0"), format!("*2\r\n$1\r\n0\r\n{flat}"));
    r.cmd("HELLO 3");
    assert_eq!(
        r.cmd("HGETALL h"),
        "%2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n"
    );
    assert_eq!(r.cmd("HGETALL nokey"), "%0\r\n");
    assert_eq!(r.cmd("HGET h nofield"), "_\r\n");
    assert_eq!(r.cmd("HMGET h f1 x"), "*2\r\n$2\r\nv1\r\n_\r\n");
    assert_eq!(
        r.cmd("HRANDFIELD h 5 WITHVALUES"),
        "*2\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$2\r\nf2\r\n$2\r\nv2\r\n"
    );
    assert_eq!(r.cmd("HSCAN h 0"), format!("*2\r\n$1\r\n0\r\n{flat}"));
    assert_eq!(r.cmd("HEXISTS h f1"), ":1\r\n");
}

#[test]
fn errors_and_wrongtype() {
    let s = Server::start();
    let mut r = s.raw();
    r.cmd("SET s x");
    let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    for cmd in [
        "HSET s a 1",
        "HGET s a",
        "HGETALL s",
        "HINCRBY s a 1",
        "HSCAN s 0",
    ] {
        assert_eq!(r.cmd(cmd), wrongtype, "{cmd}");
    }
    assert_eq!(
        r.cmd("HSET h a"),
        "-ERR wrong number of arguments for 'hset' command\r\n"
    );
    assert_eq!(
        r.cmd("HMSET h a 1 b"),
        "-ERR wrong number of arguments for 'hmset' command\r\n"
    );
    r.cmd("HSET h s abc big 9223372036854775807");
    assert_eq!(
        r.cmd("HINCRBY h s 1"),
        "-ERR hash value is not an integer\r\n"
    );
    assert_eq!(
        r.cmd("HINCRBY h big 1"),
        "-ERR increment or decrement would overflow\r\n"
    );
    assert_eq!(
        r.cmd("HINCRBYFLOAT h s 1"),
        "-ERR hash value is not a float\r\n"
    );
    assert_eq!(
        r.cmd("HINCRBYFLOAT h x inf"),
        "-ERR value is NaN or Infinity\r\n"
    );
    assert!(r.cmd("HINCRBYFLOAT h x 1e4932").starts_with("$4933\r\n1"));
    assert_eq!(
        r.cmd("HINCRBYFLOAT h x 1e4932"),
        "-ERR increment would produce NaN or Infinity\r\n"
    );
    assert_eq!(
        r.cmd("HRANDFIELD h 4611686018427387904 WITHVALUES"),
        "-ERR value is out of range\r\n"
    );
    assert_eq!(r.cmd("HRANDFIELD h 1 WITH"), "-ERR syntax error\r\n");
    assert_eq!(r.cmd("HSCAN h x"), "-ERR invalid cursor\r\n");
    assert_eq!(r.cmd("HSCAN h 0 COUNT 0"), "-ERR syntax error\r\n");
    assert_eq!(r.cmd("EXISTS s h"), ":2\r\n");
}

#[test]
fn encoding_conversions() {
    let s = Server::start();
    let mut r = s.raw();
    for i in 0..512 {
        r.cmd(&format!("HSET big f{i} {i}"));
    }
    assert_eq!(r.cmd("OBJECT ENCODING big"), "$8\r\nlistpack\r\n");
    r.cmd("HSET big f512 512");
    assert_eq!(r.cmd("OBJECT ENCODING big"), "$9\r\nhashtable\r\n");
    for i in 0..513 {
        r.cmd(&format!("HDEL big f{i}"));
    }
    assert_eq!(r.cmd("EXISTS big"), ":0\r\n");
    r.cmd(&format!("HSET long f {}", "x".repeat(65)));
    assert_eq!(r.cmd("OBJECT ENCODING long"), "$9\r\nhashtable\r\n");
}

/// Every field of a hash, from a full HSCAN iteration.
fn scan_all(r: &mut Raw, key: &str, count: usize) -> (Vec<String>, usize) {
    let mut cursor = "0".to_string();
    let mut fields = Vec::new();
    let mut calls = 0;
    loop {
        let reply = r.cmd(&format!("HSCAN {key} {cursor} COUNT {count}"));
        calls += 1;
        let lines: Vec<&str> = reply.split("\r\n").collect();
        cursor = lines[2].to_string();
        let items: Vec<&str> = lines[4..].iter().skip(1).step_by(2).copied().collect();
        fields.extend(items.chunks(2).map(|p| p[0].to_string()));
        if cursor == "0" {
            return (fields, calls);
        }
    }
}

#[test]
fn hscan_visits_every_field_of_a_hashtable() {
    let s = Server::start();
    let mut r = s.raw();
    for i in 0..1000 {
        r.cmd(&format!("HSET h field:{i} {i}"));
    }
    let (fields, calls) = scan_all(&mut r, "h", 50);
    assert!(calls > 1, "a hashtable is scanned in steps");
    let set: HashSet<String> = fields.iter().cloned().collect();
    assert_eq!(set.len(), 1000);
    let reply = r.cmd("HSCAN h 0 MATCH field:99? COUNT 100000");
    assert_eq!(reply.matches("field:99").count(), 10);
    r.cmd("HSET small a 1 b 2");
    assert_eq!(
        scan_all(&mut r, "small", 1),
        (vec!["a".into(), "b".into()], 1)
    );
}

#[test]
fn hrandfield_contracts() {
    let s = Server::start();
    let mut c = s.client();
    for (key, n) in [("lp", 20), ("ht", 600)] {
        for i in 0..n {
            let _: () = redis::cmd("HSET")
                .arg(key)
                .arg(format!("f{i}"))
                .arg(i)
                .query(&mut c)
                .unwrap();
        }
        let distinct: Vec<String> = redis::cmd("HRANDFIELD")
            .arg(key)
            .arg(n / 2)
            .query(&mut c)
            .unwrap();
        assert_eq!(distinct.len(), n / 2);
        assert_eq!(distinct.iter().collect::<HashSet<_>>().len(), n / 2);
        let repeated: Vec<String> = redis::cmd("HRANDFIELD")
            .arg(key)
            .arg(-3 * n as i64)
            .query(&mut c)
            .unwrap();
        assert_eq!(repeated.len(), 3 * n);
        let seen: HashSet<_> = repeated.iter().collect();
        assert!(seen.len() > 1 && seen.len() <= n);
        let pairs: Vec<String> = redis::cmd("HRANDFIELD")
            .arg(key)
            .arg(-5)
            .arg("WITHVALUES")
            .query(&mut c)
            .unwrap();
        for p in pairs.chunks(2) {
            assert_eq!(format!("f{}", p[1]), p[0]);
        }
        let one: String = redis::cmd("HRANDFIELD").arg(key).query(&mut c).unwrap();
        assert!(one.starts_with('f'));
    }
}

/// A random decimal in one of the shapes users send to HINCRBYFLOAT.
fn random_float(rng: &mut Rng) -> String {
    let sign = if rng.below(3) == 0 { "-" } else { "" };
    let int = rng.below(100_000);
    let frac = rng.below(1_000_000_000);
    match rng.below(5) {
        0 => format!("{sign}{int}"),
        1 => format!("{sign}{int}.{:0w$}", frac, w = 1 + rng.below(9) as usize),
        2 => format!("{sign}0.{frac:09}"),
        3 => format!("{sign}{int}.{frac}e{}", rng.below(40) as i64 - 20),
        _ => format!("{sign}{}.{}", rng.next() % 1_000, rng.next()),
    }
}

#[test]
fn hincrbyfloat_matches_redis_on_random_sums() {
    let Some(redis) = Server::start_redis(&[]) else {
        println!("NOTICE: redis-server not installed; random HINCRBYFLOAT comparison skipped");
        return;
    };
    let ferrous = Server::start();
    let (mut a, mut b) = (redis.raw(), ferrous.raw());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..3000 {
        let field = format!("f{}", i % 7);
        let cmd = format!("HINCRBYFLOAT h {field} {}", random_float(&mut rng));
        assert_eq!(a.cmd(&cmd), b.cmd(&cmd), "{cmd}");
    }
}

#[test]
fn random_writes_keep_redis_listpack_order() {
    let Some(redis) = Server::start_redis(&[]) else {
        println!("NOTICE: redis-server not installed; random write comparison skipped");
        return;
    };
    let ferrous = Server::start();
    let (mut a, mut b) = (redis.raw(), ferrous.raw());
    let mut rng = Rng(42);
    for _ in 0..4000 {
        let key = format!("k{}", rng.below(4));
        let field = format!("f{}", rng.below(12));
        let cmd = match rng.below(8) {
            0 | 1 => format!("HSET {key} {field} v{}", rng.below(1000)),
            2 => format!("HSET {key} {field} 1 g{} 2", rng.below(5)),
            3 => format!("HDEL {key} {field} f{}", rng.below(12)),
            4 => format!("HSETNX {key} {field} n"),
            5 => format!("HINCRBY {key} i{} {}", rng.below(3), rng.below(100)),
            6 => format!("HGETALL {key}"),
            _ => format!("HSCAN {key} 0 MATCH *{}*", rng.below(10)),
        };
        assert_eq!(a.cmd(&cmd), b.cmd(&cmd), "{cmd}");
    }
    for k in 0..4 {
        let cmd = format!("HKEYS k{k}");
        assert_eq!(a.cmd(&cmd), b.cmd(&cmd), "{cmd}");
    }
}
