//! Set family integration tests against the real binary: the `redis` crate for values, raw RESP2/RESP3
//! for exact replies, and invariants of the random commands (SPOP, SRANDMEMBER) and of SSCAN, whose
//! replies cannot be compared byte for byte with redis-server.

mod common;

use common::Server;
use redis::Connection;
use std::collections::HashSet;

fn sadd(c: &mut Connection, key: &str, members: &[String]) {
    let _: i64 = redis::cmd("SADD").arg(key).arg(members).query(c).unwrap();
}

fn members(c: &mut Connection, key: &str) -> HashSet<String> {
    redis::cmd("SMEMBERS").arg(key).query(c).unwrap()
}

fn scard(c: &mut Connection, key: &str) -> usize {
    redis::cmd("SCARD").arg(key).query(c).unwrap()
}

fn encoding(c: &mut Connection, key: &str) -> String {
    redis::cmd("OBJECT")
        .arg("ENCODING")
        .arg(key)
        .query(c)
        .unwrap()
}

fn numbers(range: std::ops::Range<i64>) -> Vec<String> {
    range.map(|i| i.to_string()).collect()
}

fn words(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("w{i}")).collect()
}

#[test]
fn basic_commands_through_redis_crate() {
    let s = Server::start();
    let mut c = s.client();
    let added: i64 = redis::cmd("SADD")
        .arg("s")
        .arg(&["b", "a", "b"])
        .query(&mut c)
        .unwrap();
    assert_eq!(added, 2);
    assert_eq!(
        members(&mut c, "s"),
        HashSet::from(["a".into(), "b".into()])
    );
    let is: bool = redis::cmd("SISMEMBER")
        .arg("s")
        .arg("a")
        .query(&mut c)
        .unwrap();
    assert!(is);
    let many: Vec<bool> = redis::cmd("SMISMEMBER")
        .arg("s")
        .arg(&["a", "z", "b"])
        .query(&mut c)
        .unwrap();
    assert_eq!(many, [true, false, true]);
    let removed: i64 = redis::cmd("SREM")
        .arg("s")
        .arg(&["a", "b", "c"])
        .query(&mut c)
        .unwrap();
    assert_eq!(removed, 2);
    let exists: bool = redis::cmd("EXISTS").arg("s").query(&mut c).unwrap();
    assert!(!exists, "an emptied set is deleted");
}

#[test]
fn intset_is_sorted_and_converts_at_the_limit() {
    let s = Server::start();
    let mut c = s.client();
    let mut r = s.raw();
    assert_eq!(r.cmd("SADD s 10 -3 7 0"), ":4\r\n");
    assert_eq!(
        r.cmd("SMEMBERS s"),
        "*4\r\n$2\r\n-3\r\n$1\r\n0\r\n$1\r\n7\r\n$2\r\n10\r\n"
    );
    sadd(&mut c, "big", &numbers(0..512));
    assert_eq!(encoding(&mut c, "big"), "intset");
    sadd(&mut c, "big", &numbers(512..513));
    assert_eq!(encoding(&mut c, "big"), "hashtable");
    assert_eq!(scard(&mut c, "big"), 513);
    assert_eq!(r.cmd("SADD s x"), ":1\r\n");
    assert_eq!(encoding(&mut c, "s"), "hashtable");
    assert_eq!(r.cmd("SREM s x"), ":1\r\n");
    assert_eq!(encoding(&mut c, "s"), "hashtable", "never converts back");
    assert_eq!(r.cmd("SISMEMBER s 7"), ":1\r\n");
}

#[test]
fn resp2_and_resp3_reply_types() {
    let s = Server::start();
    let mut r = s.raw();
    r.cmd("SADD s 2 1");
    assert_eq!(r.cmd("SMEMBERS nokey"), "*0\r\n");
    assert_eq!(r.cmd("SPOP nokey"), "$-1\r\n");
    assert_eq!(r.cmd("SRANDMEMBER nokey"), "$-1\r\n");
    assert_eq!(r.cmd("SUNION s"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert!(r.cmd("HELLO 3").starts_with('%'));
    assert_eq!(r.cmd("SMEMBERS s"), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(r.cmd("SINTER s s"), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(r.cmd("SUNION s nokey"), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(r.cmd("SDIFF s nokey"), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(r.cmd("SMEMBERS nokey"), "~0\r\n");
    assert_eq!(r.cmd("SPOP nokey"), "_\r\n");
    assert_eq!(r.cmd("SPOP nokey 3"), "~0\r\n");
    assert_eq!(r.cmd("SRANDMEMBER nokey 3"), "*0\r\n");
    assert_eq!(r.cmd("SRANDMEMBER s 5"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(
        r.cmd("SSCAN s 0"),
        "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    );
    assert_eq!(r.cmd("SMISMEMBER s 1 3"), "*2\r\n:1\r\n:0\r\n");
    assert_eq!(r.cmd("SPOP s 5"), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(r.cmd("EXISTS s"), ":0\r\n");
}

#[test]
fn errors() {
    let s = Server::start();
    let mut r = s.raw();
    r.cmd("SET str x");
    r.cmd("SADD s 1");
    let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    for cmd in [
        "SADD str a",
        "SMEMBERS str",
        "SINTER nokey str",
        "SUNIONSTORE d str",
        "SMOVE s str 1",
        "SSCAN str 0",
        "SPOP str 1",
    ] {
        assert_eq!(r.cmd(cmd), wrongtype, "{cmd}");
    }
    assert_eq!(
        r.cmd("SADD s"),
        "-ERR wrong number of arguments for 'sadd' command\r\n"
    );
    assert_eq!(
        r.cmd("SPOP s -1"),
        "-ERR value is out of range, must be positive\r\n"
    );
    assert_eq!(r.cmd("SPOP s 1 2"), "-ERR syntax error\r\n");
    assert_eq!(
        r.cmd("SRANDMEMBER s -9223372036854775808"),
        "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
    );
    assert_eq!(
        r.cmd("SINTERCARD 0 s"),
        "-ERR numkeys should be greater than 0\r\n"
    );
    assert_eq!(
        r.cmd("SINTERCARD 2 s"),
        "-ERR Number of keys can't be greater than number of args\r\n"
    );
    assert_eq!(
        r.cmd("SINTERCARD 1 s LIMIT -1"),
        "-ERR LIMIT can't be negative\r\n"
    );
    assert_eq!(r.cmd("SSCAN s x"), "-ERR invalid cursor\r\n");
    assert_eq!(r.cmd("SSCAN s 0 COUNT 0"), "-ERR syntax error\r\n");
    assert_eq!(r.cmd("SSCAN nokey 0 COUNT 0"), "*2\r\n$1\r\n0\r\n*0\r\n");
}

#[test]
fn store_commands_overwrite_and_delete() {
    let s = Server::start();
    let mut r = s.raw();
    r.cmd("SADD a 1 2 3");
    r.cmd("SADD b 2 3 4");
    r.cmd("SETEX d 100 v");
    assert_eq!(r.cmd("SINTERSTORE d a b"), ":2\r\n");
    assert_eq!(r.cmd("TTL d"), ":-1\r\n");
    assert_eq!(r.cmd("SMEMBERS d"), "*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(r.cmd("SUNIONSTORE d a b"), ":4\r\n");
    assert_eq!(r.cmd("SDIFFSTORE d a b"), ":1\r\n");
    assert_eq!(r.cmd("SMEMBERS d"), "*1\r\n$1\r\n1\r\n");
    assert_eq!(r.cmd("SDIFFSTORE d a a"), ":0\r\n");
    assert_eq!(r.cmd("EXISTS d"), ":0\r\n");
    assert_eq!(r.cmd("SUNIONSTORE a a b"), ":4\r\n");
    assert_eq!(r.cmd("SINTERCARD 2 a b LIMIT 2"), ":2\r\n");
}

#[test]
fn spop_with_count_invariants() {
    let s = Server::start();
    let mut c = s.client();
    // Covers Redis's three cases (whole set, pop one by one, keep the rest in a new set) on both
    // encodings.
    for (list, count) in [
        (numbers(0..100), 3),
        (numbers(0..100), 90),
        (numbers(0..100), 100),
        (words(100), 3),
        (words(100), 90),
        (words(100), 150),
        (numbers(0..1000), 999),
    ] {
        let _: () = redis::cmd("DEL").arg("p").query(&mut c).unwrap();
        sadd(&mut c, "p", &list);
        let before = list.iter().cloned().collect::<HashSet<_>>();
        let popped: Vec<String> = redis::cmd("SPOP")
            .arg("p")
            .arg(count)
            .query(&mut c)
            .unwrap();
        let popped_set: HashSet<String> = popped.iter().cloned().collect();
        assert_eq!(popped.len(), count.min(list.len()), "distinct and sized");
        assert_eq!(popped_set.len(), popped.len());
        assert!(popped_set.is_subset(&before));
        let rest = members(&mut c, "p");
        assert!(rest.is_disjoint(&popped_set));
        assert_eq!(rest.len() + popped.len(), before.len());
    }
    let mut r = s.raw();
    r.cmd("SADD one x");
    assert_eq!(r.cmd("SPOP one"), "$1\r\nx\r\n");
    assert_eq!(r.cmd("EXISTS one"), ":0\r\n");
    r.cmd("SADD ints 1 2 3 4 5 6 7 8 9 10 11 12 x");
    r.cmd("SREM ints x");
    r.cmd("SPOP ints 11");
    assert_eq!(r.cmd("OBJECT ENCODING ints"), "$6\r\nintset\r\n");
}

#[test]
fn srandmember_invariants() {
    let s = Server::start();
    let mut c = s.client();
    for (key, members) in [("i", numbers(0..60)), ("w", words(60))] {
        sadd(&mut c, key, &members);
        let all: HashSet<String> = members.iter().cloned().collect();
        for count in [1, 5, 19, 21, 59, 60, 100] {
            let got: Vec<String> = redis::cmd("SRANDMEMBER")
                .arg(key)
                .arg(count)
                .query(&mut c)
                .unwrap();
            let distinct: HashSet<String> = got.iter().cloned().collect();
            assert_eq!(got.len(), count.min(60));
            assert_eq!(distinct.len(), got.len(), "positive count: distinct");
            assert!(distinct.is_subset(&all));
        }
        let got: Vec<String> = redis::cmd("SRANDMEMBER")
            .arg(key)
            .arg(-500)
            .query(&mut c)
            .unwrap();
        assert_eq!(got.len(), 500);
        assert!(got.iter().all(|m| all.contains(m)));
        let distinct: HashSet<&String> = got.iter().collect();
        assert!(distinct.len() > 30, "repetitions drawn over the whole set");
        let one: String = redis::cmd("SRANDMEMBER").arg(key).query(&mut c).unwrap();
        assert!(all.contains(&one));
        assert_eq!(scard(&mut c, key), 60, "SRANDMEMBER does not modify");
    }
}

/// SPOP and SRANDMEMBER with counts over intsets small enough to live inline in the value (up to 7
/// 16-bit integers), at and across that boundary: members stay distinct, drawn from the set, and what
/// SPOP leaves is still an ascending intset.
#[test]
fn random_commands_over_inline_intsets() {
    let s = Server::start();
    let mut c = s.client();
    for n in [1, 5, 7, 8] {
        let list: Vec<String> = (0..n as i64)
            .map(|i| (i * 1000 - 3000).to_string())
            .collect();
        let all: HashSet<String> = list.iter().cloned().collect();
        for count in [1, 2, n - 1, n, n + 3] {
            let _: () = redis::cmd("DEL").arg("t").query(&mut c).unwrap();
            sadd(&mut c, "t", &list);
            let got: Vec<String> = redis::cmd("SRANDMEMBER")
                .arg("t")
                .arg(count)
                .query(&mut c)
                .unwrap();
            let distinct: HashSet<String> = got.iter().cloned().collect();
            assert_eq!((got.len(), distinct.len()), (count.min(n), count.min(n)));
            assert!(distinct.is_subset(&all));
            let got: Vec<String> = redis::cmd("SRANDMEMBER")
                .arg("t")
                .arg(-(count as i64))
                .query(&mut c)
                .unwrap();
            assert_eq!(got.len(), count);
            assert!(got.iter().all(|m| all.contains(m)));
            let popped: Vec<String> = redis::cmd("SPOP")
                .arg("t")
                .arg(count)
                .query(&mut c)
                .unwrap();
            let popped: HashSet<String> = popped.into_iter().collect();
            assert_eq!(popped.len(), count.min(n), "{n} {count}");
            assert!(popped.is_subset(&all));
            let rest: Vec<i64> = redis::cmd("SMEMBERS").arg("t").query(&mut c).unwrap();
            assert_eq!(rest.len() + popped.len(), n);
            assert!(rest.windows(2).all(|w| w[0] < w[1]), "ascending: {rest:?}");
            assert!(rest.iter().all(|m| !popped.contains(&m.to_string())));
            if !rest.is_empty() {
                assert_eq!(encoding(&mut c, "t"), "intset");
            }
        }
    }
}

/// Runs a full SSCAN iteration, removing each returned member when `delete` is set.
fn full_scan(c: &mut Connection, key: &str, count: usize, delete: bool) -> Vec<String> {
    let mut cursor = 0u64;
    let mut seen = Vec::new();
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SSCAN")
            .arg(key)
            .arg(cursor)
            .arg("COUNT")
            .arg(count)
            .query(c)
            .unwrap();
        if delete && !batch.is_empty() {
            let _: i64 = redis::cmd("SREM").arg(key).arg(&batch).query(c).unwrap();
        }
        seen.extend(batch);
        cursor = next;
        if cursor == 0 {
            return seen;
        }
    }
}

#[test]
fn sscan_returns_every_member() {
    let s = Server::start();
    let mut c = s.client();
    let all: HashSet<String> = words(1000).into_iter().collect();
    sadd(&mut c, "h", &words(1000));
    let seen = full_scan(&mut c, "h", 7, false);
    assert_eq!(seen.len(), 1000, "no duplicates without changes");
    assert_eq!(seen.into_iter().collect::<HashSet<_>>(), all);
    let seen = full_scan(&mut c, "h", 13, true);
    assert_eq!(seen.into_iter().collect::<HashSet<_>>(), all);
    assert_eq!(scard(&mut c, "h"), 0, "scan-and-delete empties the set");
    sadd(&mut c, "h", &words(300));
    let (_, matched): (u64, Vec<String>) = redis::cmd("SSCAN")
        .arg("h")
        .arg(0)
        .arg("MATCH")
        .arg("w1?")
        .arg("COUNT")
        .arg(1000)
        .query(&mut c)
        .unwrap();
    let matched: HashSet<String> = matched.into_iter().collect();
    assert_eq!(matched, (10..20).map(|i| format!("w{i}")).collect());
}

#[test]
fn smove_between_encodings() {
    let s = Server::start();
    let mut r = s.raw();
    r.cmd("SADD src 1 x");
    assert_eq!(r.cmd("SMOVE src dst 1"), ":1\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING dst"), "$6\r\nintset\r\n");
    assert_eq!(r.cmd("SMOVE src dst x"), ":1\r\n");
    assert_eq!(r.cmd("EXISTS src"), ":0\r\n");
    assert_eq!(r.cmd("OBJECT ENCODING dst"), "$9\r\nhashtable\r\n");
    assert_eq!(r.cmd("SMOVE dst dst x"), ":1\r\n");
    assert_eq!(r.cmd("SCARD dst"), ":2\r\n");
}
