//! List family integration tests through the real binary: the `redis` crate for typed round trips, raw
//! RESP for exact bytes (RESP2 and RESP3 nulls, error texts), and larger lists for the deque paths.

mod common;

use common::Server;
use redis::Commands;

const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

#[test]
fn push_pop_through_redis_crate() {
    let s = Server::start();
    let mut c = s.client();
    let n: usize = c.rpush("l", &["a", "b", "c"]).unwrap();
    assert_eq!(n, 3);
    let n: usize = c.lpush("l", "z").unwrap();
    assert_eq!(n, 4);
    let all: Vec<String> = c.lrange("l", 0, -1).unwrap();
    assert_eq!(all, ["z", "a", "b", "c"]);
    let head: String = c.lpop("l", None).unwrap();
    assert_eq!(head, "z");
    let tail: Vec<String> = c.rpop("l", std::num::NonZeroUsize::new(2)).unwrap();
    assert_eq!(tail, ["c", "b"]);
    let len: usize = c.llen("l").unwrap();
    assert_eq!(len, 1);
    let last: String = c.rpop("l", None).unwrap();
    assert_eq!(last, "a");
    let exists: bool = c.exists("l").unwrap();
    assert!(!exists, "an emptied list is deleted");
    let none: Option<String> = c.lpop("l", None).unwrap();
    assert_eq!(none, None);
}

#[test]
fn pushx_only_touches_existing_lists() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("LPUSHX l a"), ":0\r\n");
    assert_eq!(r.cmd("EXISTS l"), ":0\r\n");
    assert_eq!(r.cmd("RPUSH l m"), ":1\r\n");
    assert_eq!(r.cmd("LPUSHX l a b"), ":3\r\n");
    assert_eq!(r.cmd("RPUSHX l y z"), ":5\r\n");
    assert_eq!(
        r.cmd("LRANGE l 0 -1"),
        "*5\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nm\r\n$1\r\ny\r\n$1\r\nz\r\n"
    );
    assert_eq!(r.cmd("OBJECT ENCODING l"), "$9\r\nquicklist\r\n");
}

#[test]
fn pop_count_replies_and_errors() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("LPOP nokey"), "$-1\r\n");
    assert_eq!(r.cmd("LPOP nokey 2"), "*-1\r\n");
    assert_eq!(r.cmd("RPUSH l a b c"), ":3\r\n");
    assert_eq!(r.cmd("LPOP l 0"), "*0\r\n");
    assert_eq!(
        r.cmd("LPOP l -1"),
        "-ERR value is out of range, must be positive\r\n"
    );
    assert_eq!(
        r.cmd("RPOP l x"),
        "-ERR value is out of range, must be positive\r\n"
    );
    assert_eq!(
        r.cmd("LPOP l 1 2"),
        "-ERR wrong number of arguments for 'lpop' command\r\n"
    );
    assert_eq!(
        r.cmd("RPOP l 10"),
        "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"
    );
    assert_eq!(r.cmd("EXISTS l"), ":0\r\n");
    assert_eq!(r.cmd("SET s v"), "+OK\r\n");
    assert_eq!(r.cmd("LPOP s 0"), WRONGTYPE);
    assert_eq!(r.cmd("LPUSH s a"), WRONGTYPE);
}

#[test]
fn resp3_nulls() {
    let s = Server::start();
    let mut r = s.raw();
    assert!(r.cmd("HELLO 3").starts_with('%'));
    assert_eq!(r.cmd("LPOP nokey"), "_\r\n");
    assert_eq!(r.cmd("LPOP nokey 3"), "_\r\n");
    assert_eq!(r.cmd("LINDEX nokey 0"), "_\r\n");
    assert_eq!(r.cmd("LPOS nokey a"), "_\r\n");
    assert_eq!(r.cmd("LPOS nokey a COUNT 0"), "*0\r\n");
    assert_eq!(r.cmd("LMPOP 1 nokey LEFT"), "_\r\n");
    assert_eq!(r.cmd("LMOVE nokey x LEFT RIGHT"), "_\r\n");
    assert_eq!(r.cmd("RPUSH l a"), ":1\r\n");
    assert_eq!(r.cmd("LPOP l 0"), "*0\r\n");
    assert_eq!(
        r.cmd("LMPOP 1 l RIGHT COUNT 5"),
        "*2\r\n$1\r\nl\r\n*1\r\n$1\r\na\r\n"
    );
}

#[test]
fn index_set_and_range() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("RPUSH l a b c d"), ":4\r\n");
    assert_eq!(r.cmd("LINDEX l -1"), "$1\r\nd\r\n");
    assert_eq!(r.cmd("LINDEX l 4"), "$-1\r\n");
    assert_eq!(
        r.cmd("LINDEX l x"),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(r.cmd("LINDEX nokey x"), "$-1\r\n");
    assert_eq!(r.cmd("LSET l -2 C"), "+OK\r\n");
    assert_eq!(r.cmd("LSET l 4 v"), "-ERR index out of range\r\n");
    assert_eq!(r.cmd("LSET nokey 0 v"), "-ERR no such key\r\n");
    assert_eq!(r.cmd("LRANGE l 1 2"), "*2\r\n$1\r\nb\r\n$1\r\nC\r\n");
    assert_eq!(r.cmd("LRANGE l 3 1"), "*0\r\n");
    assert_eq!(r.cmd("LRANGE l -100 0"), "*1\r\n$1\r\na\r\n");
}

#[test]
fn lrem_ltrim_linsert() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("RPUSH l a b a c a"), ":5\r\n");
    assert_eq!(r.cmd("LREM l -2 a"), ":2\r\n");
    assert_eq!(
        r.cmd("LRANGE l 0 -1"),
        "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"
    );
    assert_eq!(r.cmd("LINSERT l AFTER b x"), ":4\r\n");
    assert_eq!(r.cmd("LINSERT l BEFORE zz x"), ":-1\r\n");
    assert_eq!(r.cmd("LINSERT l SIDEWAYS b x"), "-ERR syntax error\r\n");
    assert_eq!(r.cmd("LINSERT nokey BEFORE a x"), ":0\r\n");
    assert_eq!(r.cmd("LTRIM l 1 2"), "+OK\r\n");
    assert_eq!(r.cmd("LRANGE l 0 -1"), "*2\r\n$1\r\nb\r\n$1\r\nx\r\n");
    assert_eq!(r.cmd("LTRIM l 5 9"), "+OK\r\n");
    assert_eq!(r.cmd("EXISTS l"), ":0\r\n");
}

#[test]
fn lpos_options() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("RPUSH l a b c 1 2 3 c c"), ":8\r\n");
    assert_eq!(r.cmd("LPOS l c"), ":2\r\n");
    assert_eq!(r.cmd("LPOS l c RANK -1"), ":7\r\n");
    assert_eq!(r.cmd("LPOS l c COUNT 0"), "*3\r\n:2\r\n:6\r\n:7\r\n");
    assert_eq!(r.cmd("LPOS l c RANK -2 COUNT 2"), "*2\r\n:6\r\n:2\r\n");
    assert_eq!(r.cmd("LPOS l c MAXLEN 2"), "$-1\r\n");
    assert_eq!(
        r.cmd("LPOS l c RANK 0"),
        "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"
    );
    assert_eq!(
        r.cmd("LPOS l c COUNT -1"),
        "-ERR COUNT can't be negative\r\n"
    );
    assert_eq!(
        r.cmd("LPOS l c MAXLEN x"),
        "-ERR MAXLEN can't be negative\r\n"
    );
    assert_eq!(r.cmd("LPOS l c RANK"), "-ERR syntax error\r\n");
}

#[test]
fn lmove_rpoplpush_and_types() {
    let s = Server::start();
    let mut c = s.client();
    let _: usize = c.rpush("src", &["1", "2", "3"]).unwrap();
    let v: String = c
        .lmove(
            "src",
            "dst",
            redis::Direction::Left,
            redis::Direction::Right,
        )
        .unwrap();
    assert_eq!(v, "1");
    let v: String = c.rpoplpush("src", "dst").unwrap();
    assert_eq!(v, "3");
    let dst: Vec<String> = c.lrange("dst", 0, -1).unwrap();
    assert_eq!(dst, ["3", "1"]);
    let v: String = c.rpoplpush("dst", "dst").unwrap();
    assert_eq!(v, "1");
    let dst: Vec<String> = c.lrange("dst", 0, -1).unwrap();
    assert_eq!(dst, ["1", "3"]);
    let mut r = s.raw();
    assert_eq!(r.cmd("SET str v"), "+OK\r\n");
    assert_eq!(r.cmd("LMOVE src str LEFT RIGHT"), WRONGTYPE);
    assert_eq!(r.cmd("LLEN src"), ":1\r\n", "nothing moves on WRONGTYPE");
    assert_eq!(r.cmd("LMOVE src dst UP LEFT"), "-ERR syntax error\r\n");
    assert_eq!(r.cmd("RPOPLPUSH src dst"), "$1\r\n2\r\n");
    assert_eq!(r.cmd("EXISTS src"), ":0\r\n");
}

#[test]
fn lmpop_arguments() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("RPUSH b 1 2 3"), ":3\r\n");
    assert_eq!(
        r.cmd("LMPOP 2 a b LEFT COUNT 2"),
        "*2\r\n$1\r\nb\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    );
    assert_eq!(
        r.cmd("LMPOP 2 a b RIGHT"),
        "*2\r\n$1\r\nb\r\n*1\r\n$1\r\n3\r\n"
    );
    assert_eq!(r.cmd("LMPOP 2 a b RIGHT"), "*-1\r\n");
    assert_eq!(
        r.cmd("LMPOP 0 a LEFT"),
        "-ERR numkeys should be greater than 0\r\n"
    );
    assert_eq!(r.cmd("LMPOP 5 a LEFT"), "-ERR syntax error\r\n");
    assert_eq!(
        r.cmd("LMPOP 9223372036854775807 a LEFT"),
        "-ERR syntax error\r\n"
    );
    assert_eq!(
        r.cmd("LMPOP 1 a LEFT COUNT 0"),
        "-ERR count should be greater than 0\r\n"
    );
    assert_eq!(
        r.cmd("LMPOP 1 a LEFT COUNT 1 COUNT 1"),
        "-ERR syntax error\r\n"
    );
    assert_eq!(
        r.cmd("LMPOP 1"),
        "-ERR wrong number of arguments for 'lmpop' command\r\n"
    );
}

#[test]
fn binary_safe_elements() {
    let s = Server::start();
    let mut r = s.raw();
    let odd: &[u8] = b"\x00\r\n\xff";
    assert_eq!(r.cmd_args(&[b"RPUSH", b"k", odd, b""]), b":2\r\n");
    assert_eq!(
        r.cmd_args(&[b"LRANGE", b"k", b"0", b"-1"]),
        b"*2\r\n$4\r\n\x00\r\n\xff\r\n$0\r\n\r\n"
    );
    assert_eq!(r.cmd_args(&[b"LPOS", b"k", odd]), b":0\r\n");
    assert_eq!(r.cmd_args(&[b"LREM", b"k", b"0", odd]), b":1\r\n");
}

#[test]
fn large_list_ends_and_middle() {
    let s = Server::start();
    let mut c = s.client();
    let n = 100_000usize;
    let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    for chunk in items.chunks(10_000) {
        let _: usize = c.rpush("big", chunk).unwrap();
    }
    let len: usize = c.llen("big").unwrap();
    assert_eq!(len, n);
    let mid: String = c.lindex("big", 50_000).unwrap();
    assert_eq!(mid, "50000");
    let tail: Vec<String> = c.lrange("big", -3, -1).unwrap();
    assert_eq!(tail, ["99997", "99998", "99999"]);
    let _: () = c.lset("big", 70_000, "x").unwrap();
    let pos: usize = redis::cmd("LPOS")
        .arg("big")
        .arg("x")
        .query(&mut c)
        .unwrap();
    assert_eq!(pos, 70_000);
    let _: () = c.ltrim("big", 10, 19).unwrap();
    let kept: Vec<String> = c.lrange("big", 0, -1).unwrap();
    assert_eq!(kept, (10..20).map(|i| i.to_string()).collect::<Vec<_>>());
}
