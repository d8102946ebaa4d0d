//! Memory accounting through the real binary: `INFO memory` follows the counting allocator (grows with
//! data, falls after FLUSHALL), `MEMORY USAGE` scales with a value's size, `MEMORY STATS` reports the
//! keyspace; and a large list across many quicklist nodes behaves like a model deque.

mod common;

use common::Server;
use redis::Commands;

fn info_field(c: &mut redis::Connection, name: &str) -> f64 {
    let info: String = redis::cmd("INFO").arg("memory").query(c).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("{name} missing in {info}"))
        .trim_end_matches('%')
        .parse()
        .unwrap()
}

#[test]
fn info_memory_follows_the_dataset() {
    let s = Server::start();
    let mut c = s.client();
    let empty = info_field(&mut c, "used_memory");
    assert!(empty > 0.0);
    let mut pipe = redis::pipe();
    for i in 0..20000 {
        pipe.set(format!("key:{i}"), format!("value:{i}")).ignore();
    }
    let () = pipe.query(&mut c).unwrap();
    let loaded = info_field(&mut c, "used_memory");
    assert!(loaded > empty + 20000.0 * 40.0, "{empty} -> {loaded}");
    assert!(info_field(&mut c, "used_memory_peak") >= loaded);
    assert!(info_field(&mut c, "used_memory_dataset") > 0.0);
    assert!(info_field(&mut c, "mem_fragmentation_ratio") > 0.0);
    let () = redis::cmd("FLUSHALL").query(&mut c).unwrap();
    let flushed = info_field(&mut c, "used_memory");
    assert!(flushed < loaded - 20000.0 * 40.0, "{loaded} -> {flushed}");
    assert!(info_field(&mut c, "used_memory_peak") >= loaded);
}

#[test]
fn memory_usage_and_stats() {
    let s = Server::start();
    let mut c = s.client();
    let () = c.set("small", "x").unwrap();
    let () = c.set("big", "x".repeat(10000)).unwrap();
    let small: i64 = redis::cmd("MEMORY")
        .arg("USAGE")
        .arg("small")
        .query(&mut c)
        .unwrap();
    let big: i64 = redis::cmd("MEMORY")
        .arg("USAGE")
        .arg("big")
        .query(&mut c)
        .unwrap();
    assert!(small > 0 && small < 200, "{small}");
    assert!(big > 10000 && big < 10300, "{big}");
    for i in 0..1000 {
        let _: i64 = c.sadd("set", format!("member-{i}")).unwrap();
        let _: i64 = c.rpush("list", format!("element-{i}")).unwrap();
        let _: i64 = c.hset("hash", format!("f{i}"), "v").unwrap();
        let _: i64 = c.zadd("zset", format!("m{i}"), i).unwrap();
    }
    for key in ["set", "list", "hash", "zset"] {
        let all: i64 = redis::cmd("MEMORY")
            .arg("USAGE")
            .arg(key)
            .arg("SAMPLES")
            .arg(0)
            .query(&mut c)
            .unwrap();
        assert!(all > 1000 * 10 && all < 1000 * 400, "{key}: {all}");
    }
    let none: Option<i64> = redis::cmd("MEMORY")
        .arg("USAGE")
        .arg("nokey")
        .query(&mut c)
        .unwrap();
    assert_eq!(none, None);
    let stats: redis::Value = redis::cmd("MEMORY").arg("STATS").query(&mut c).unwrap();
    let text = format!("{stats:?}");
    for field in ["peak.allocated", "db.0", "keys.count", "fragmentation"] {
        assert!(text.contains(field), "{field} in {text}");
    }
}

#[test]
fn long_list_over_many_nodes_matches_a_model() {
    let s = Server::start();
    let mut c = s.client();
    let mut model = std::collections::VecDeque::new();
    for i in 0..3000 {
        let item = format!("{i}:{}", "p".repeat(i % 97));
        if i % 4 == 0 {
            let _: i64 = c.lpush("l", &item).unwrap();
            model.push_front(item);
        } else {
            let _: i64 = c.rpush("l", &item).unwrap();
            model.push_back(item);
        }
    }
    for i in [0usize, 1, 777, 1500, 2998, 2999] {
        let got: String = c.lindex("l", i as isize).unwrap();
        assert_eq!(got, model[i]);
    }
    let () = c.lset("l", 1234, "changed").unwrap();
    model[1234] = "changed".into();
    let _: i64 = redis::cmd("LINSERT")
        .arg("l")
        .arg("AFTER")
        .arg("changed")
        .arg("after")
        .query(&mut c)
        .unwrap();
    model.insert(1235, "after".into());
    let () = c.ltrim("l", 100, 2800).unwrap();
    let model: Vec<String> = model.into_iter().skip(100).take(2701).collect();
    let all: Vec<String> = c.lrange("l", 0, -1).unwrap();
    assert_eq!(all, model);
    let mid: Vec<String> = c.lrange("l", 1000, 1100).unwrap();
    assert_eq!(mid, model[1000..=1100]);
}
