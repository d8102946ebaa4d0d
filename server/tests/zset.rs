//! Sorted set integration tests through the real binary: the `redis` crate, raw RESP2/RESP3 replies,
//! encoding thresholds, a model check of the skiplist on large sets, and a randomized comparison with
//! redis-server on sets large enough to use the skiplist encoding (skipped when it is not installed).

mod common;

use common::{Raw, Server};
use std::collections::BTreeSet;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn redis_crate_round_trip() {
    let s = Server::start();
    let mut c = s.client();
    let added: i64 = redis::cmd("ZADD")
        .arg("z")
        .arg(1.5)
        .arg("a")
        .arg(2)
        .arg("b")
        .arg("-inf")
        .arg("c")
        .query(&mut c)
        .unwrap();
    assert_eq!(added, 3);
    let all: Vec<(String, f64)> = redis::cmd("ZRANGE")
        .arg("z")
        .arg(0)
        .arg(-1)
        .arg("WITHSCORES")
        .query(&mut c)
        .unwrap();
    assert_eq!(
        all,
        vec![
            ("c".to_string(), f64::NEG_INFINITY),
            ("a".to_string(), 1.5),
            ("b".to_string(), 2.0)
        ]
    );
    let score: f64 = redis::cmd("ZINCRBY")
        .arg("z")
        .arg(0.25)
        .arg("a")
        .query(&mut c)
        .unwrap();
    assert_eq!(score, 1.75);
    let rank: Option<i64> = redis::cmd("ZREVRANK")
        .arg("z")
        .arg("c")
        .query(&mut c)
        .unwrap();
    assert_eq!(rank, Some(2));
    let none: Option<f64> = redis::cmd("ZSCORE")
        .arg("z")
        .arg("zz")
        .query(&mut c)
        .unwrap();
    assert_eq!(none, None);
    let popped: Vec<(String, f64)> = redis::cmd("ZPOPMAX").arg("z").arg(2).query(&mut c).unwrap();
    assert_eq!(
        popped,
        vec![("b".to_string(), 2.0), ("a".to_string(), 1.75)]
    );
    let n: i64 = redis::cmd("ZCARD").arg("z").query(&mut c).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn score_formatting_resp2_and_resp3() {
    let s = Server::start();
    let mut r = s.raw();
    let cases = [
        ("1.5", "1.5"),
        ("0.1", "0.10000000000000001"),
        ("1e300", "1.0000000000000001e+300"),
        ("inf", "inf"),
        ("-inf", "-inf"),
        ("3.0", "3"),
        ("-2.5e-5", "-2.5000000000000001e-05"),
    ];
    for (i, (input, text)) in cases.iter().enumerate() {
        assert_eq!(r.cmd(&format!("ZADD f {input} m{i}")), ":1\r\n");
        let want = format!("${}\r\n{text}\r\n", text.len());
        assert_eq!(r.cmd(&format!("ZSCORE f m{i}")), want, "{input}");
    }
    let _ = r.cmd("HELLO 3");
    for (i, (input, text)) in cases.iter().enumerate() {
        assert_eq!(
            r.cmd(&format!("ZSCORE f m{i}")),
            format!(",{text}\r\n"),
            "{input}"
        );
    }
    assert_eq!(
        r.cmd("ZRANGE f 0 1 WITHSCORES"),
        "*2\r\n*2\r\n$2\r\nm4\r\n,-inf\r\n*2\r\n$2\r\nm6\r\n,-2.5000000000000001e-05\r\n"
    );
    assert_eq!(r.cmd("ZSCORE f nosuch"), "_\r\n");
    assert_eq!(r.cmd("ZMPOP 1 nokey MIN"), "_\r\n");
}

#[test]
fn errors_leave_no_partial_effect() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(
        r.cmd("ZADD z 1 a nan b"),
        "-ERR value is not a valid float\r\n"
    );
    assert_eq!(r.cmd("EXISTS z"), ":0\r\n");
    assert_eq!(r.cmd("ZADD z +inf a"), ":1\r\n");
    assert_eq!(
        r.cmd("ZINCRBY z -inf a"),
        "-ERR resulting score is not a number (NaN)\r\n"
    );
    assert_eq!(r.cmd("ZSCORE z a"), "$3\r\ninf\r\n");
    assert_eq!(
        r.cmd("ZRANGE z (x 1 BYSCORE"),
        "-ERR min or max is not a float\r\n"
    );
    assert_eq!(
        r.cmd("ZRANGE z x y BYLEX"),
        "-ERR min or max not valid string range item\r\n"
    );
    assert_eq!(r.cmd("SET s v"), "+OK\r\n");
    assert_eq!(
        r.cmd("ZRANGESTORE s2 s 0 -1"),
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    );
    assert_eq!(r.cmd("EXISTS s2"), ":0\r\n");
}

#[test]
fn binary_members() {
    let s = Server::start();
    let mut r = s.raw();
    let m: &[u8] = b"a\x00b\r\n\xff";
    assert_eq!(r.cmd_args(&[b"ZADD", b"z", b"1", m]), b":1\r\n");
    let mut want = b"*1\r\n$6\r\n".to_vec();
    want.extend_from_slice(m);
    want.extend_from_slice(b"\r\n");
    assert_eq!(r.cmd_args(&[b"ZRANGE", b"z", b"0", b"-1"]), want);
    assert_eq!(r.cmd_args(&[b"ZSCORE", b"z", m]), b"$1\r\n1\r\n");
}

#[test]
fn encoding_thresholds() {
    let s = Server::start();
    let mut r = s.raw();
    for i in 0..128 {
        let _ = r.cmd(&format!("ZADD z {i} m{i}"));
    }
    assert_eq!(r.cmd("OBJECT ENCODING z"), "$8\r\nlistpack\r\n");
    assert_eq!(r.cmd("ZADD z 0 m0"), ":0\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING z"), "$8\r\nlistpack\r\n");
    assert_eq!(r.cmd("ZADD z 500 m500"), ":1\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING z"), "$8\r\nskiplist\r\n");
    assert_eq!(r.cmd("ZREMRANGEBYRANK z 0 100"), ":101\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING z"), "$8\r\nskiplist\r\n");
    let long = "x".repeat(65);
    assert_eq!(r.cmd(&format!("ZADD l 1 {long}")), ":1\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING l"), "$8\r\nskiplist\r\n");
    let short = "x".repeat(64);
    assert_eq!(r.cmd(&format!("ZADD l2 1 {short}")), ":1\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING l2"), "$8\r\nlistpack\r\n");
    assert_eq!(r.cmd("ZUNIONSTORE u 1 z"), ":28\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING u"), "$8\r\nlistpack\r\n");
}

/// Checks ranks, ranges and counts of a large skiplist-encoded set against an ordered model.
#[test]
fn large_set_matches_model() {
    let s = Server::start();
    let mut r = s.raw();
    let mut model: BTreeSet<(i64, String)> = BTreeSet::new();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for _ in 0..3000 {
        let member = format!("m{}", rng.below(1500));
        let score = rng.below(200) as i64 - 100;
        if let Some(old) = model.iter().find(|(_, m)| *m == member).cloned() {
            model.remove(&old);
        }
        if rng.below(5) == 0 {
            let _ = r.cmd(&format!("ZREM big {member}"));
        } else {
            let _ = r.cmd(&format!("ZADD big {score} {member}"));
            model.insert((score, member));
        }
    }
    assert_eq!(r.cmd("OBJECT ENCODING big"), "$8\r\nskiplist\r\n");
    assert_eq!(r.cmd("ZCARD big"), format!(":{}\r\n", model.len()));
    let ordered: Vec<&(i64, String)> = model.iter().collect();
    for (i, (_, m)) in ordered.iter().enumerate().step_by(37) {
        assert_eq!(r.cmd(&format!("ZRANK big {m}")), format!(":{i}\r\n"));
        let rev = ordered.len() - 1 - i;
        assert_eq!(r.cmd(&format!("ZREVRANK big {m}")), format!(":{rev}\r\n"));
    }
    for start in (0..ordered.len()).step_by(101) {
        let want: Vec<&str> = ordered[start..(start + 5).min(ordered.len())]
            .iter()
            .map(|(_, m)| m.as_str())
            .collect();
        assert_eq!(
            r.cmd(&format!("ZRANGE big {start} {}", start + 4)),
            bulk_array(&want)
        );
    }
    for lo in (-100..100).step_by(17) {
        let hi = lo + 23;
        let n = model.iter().filter(|(s, _)| *s > lo && *s <= hi).count();
        assert_eq!(
            r.cmd(&format!("ZCOUNT big ({lo} {hi}")),
            format!(":{n}\r\n")
        );
        let want: Vec<&str> = model
            .iter()
            .filter(|(s, _)| *s > lo && *s <= hi)
            .map(|(_, m)| m.as_str())
            .skip(2)
            .take(4)
            .collect();
        let got = r.cmd(&format!("ZRANGEBYSCORE big ({lo} {hi} LIMIT 2 4"));
        assert_eq!(got, bulk_array(&want));
    }
}

fn bulk_array(items: &[&str]) -> String {
    let mut s = format!("*{}\r\n", items.len());
    for i in items {
        s.push_str(&format!("${}\r\n{i}\r\n", i.len()));
    }
    s
}

/// One random command over a few keys of a few hundred members (both encodings, ties, lex).
fn random_command(rng: &mut Rng) -> String {
    let key = ["k1", "k2", "k3"][rng.below(3) as usize];
    let m = |rng: &mut Rng| format!("m{:03}", rng.below(400));
    let sc = |rng: &mut Rng| match rng.below(10) {
        0 => "-inf".to_string(),
        1 => "+inf".to_string(),
        2 => format!("{}.5", rng.below(50)),
        3 => format!("({}", rng.below(50)),
        _ => format!("{}", rng.below(50) as i64 - 5),
    };
    match rng.below(22) {
        0..=5 => {
            let n = 1 + rng.below(6);
            let pairs: Vec<String> = (0..n)
                .map(|_| format!("{} {}", rng.below(60) as i64 - 10, m(rng)))
                .collect();
            let flag = ["", "CH ", "GT CH ", "LT ", "XX CH ", "NX "][rng.below(6) as usize];
            format!("ZADD {key} {flag}{}", pairs.join(" "))
        }
        6 => format!("ZINCRBY {key} {} {}", rng.below(7) as i64 - 3, m(rng)),
        7 => format!("ZREM {key} {} {}", m(rng), m(rng)),
        8 => format!("ZRANK {key} {}", m(rng)),
        9 => format!("ZREVRANK {key} {}", m(rng)),
        10 => format!(
            "ZRANGE {key} {} {} WITHSCORES",
            rng.below(300) as i64 - 150,
            rng.below(300) as i64 - 150
        ),
        11 => format!(
            "ZRANGE {key} {} {} BYSCORE LIMIT {} {}",
            sc(rng),
            sc(rng),
            rng.below(5),
            rng.below(8) as i64 - 1
        ),
        12 => format!(
            "ZRANGE {key} {} {} BYSCORE REV WITHSCORES",
            sc(rng),
            sc(rng)
        ),
        13 => format!("ZCOUNT {key} {} {}", sc(rng), sc(rng)),
        14 => format!("ZREMRANGEBYSCORE {key} {} {}", sc(rng), sc(rng)),
        15 => format!("ZREMRANGEBYRANK {key} {} {}", rng.below(20), rng.below(30)),
        16 => format!("ZPOPMIN {key} {}", rng.below(4)),
        17 => format!("ZPOPMAX {key}"),
        18 => format!(
            "ZUNIONSTORE u 3 k1 k2 k3 WEIGHTS 1 2 0.5 AGGREGATE {}",
            ["SUM", "MIN", "MAX"][rng.below(3) as usize]
        ),
        19 => "ZINTER 2 k1 k2 WITHSCORES".to_string(),
        20 => format!("ZDIFF 2 {key} k3 WITHSCORES"),
        _ => format!("OBJECT ENCODING {key}"),
    }
}

#[test]
fn random_commands_match_redis() {
    let Some(redis) = Server::start_redis(&[]) else {
        println!("NOTICE: redis-server not installed; randomized zset comparison skipped");
        return;
    };
    let ours = Server::start();
    let mut a = Raw::connect(redis.port);
    let mut b = Raw::connect(ours.port);
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for i in 0..6000 {
        let cmd = random_command(&mut rng);
        assert_eq!(a.cmd(&cmd), b.cmd(&cmd), "command #{i}: {cmd}");
    }
    for key in ["k1", "k2", "k3", "u"] {
        let cmd = format!("ZRANGE {key} 0 -1 WITHSCORES");
        assert_eq!(a.cmd(&cmd), b.cmd(&cmd), "{cmd}");
    }
}
