//! SLOWLOG and LATENCY with real traffic, compared with redis-server when installed: which commands
//! are logged (EXEC's commands one by one but not EXEC, script commands as `?:0`, EVAL as a whole, a
//! blocked command once served, not on timeout), argument trimming and password redaction, client
//! names, `slowlog-max-len`; latency events from slow commands, `LATENCY GRAPH`/`LATEST` shapes and
//! `LATENCY HISTOGRAM` counts. Timestamps, durations and ports are masked before comparing.

mod common;

use common::{both, Raw};
use redis::Value;
use std::thread::sleep;
use std::time::Duration;

fn connect(port: u16) -> redis::Connection {
    redis::Client::open(format!("redis://127.0.0.1:{port}/"))
        .unwrap()
        .get_connection()
        .unwrap()
}

fn text(v: &Value) -> String {
    match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        Value::SimpleString(s) => s.clone(),
        Value::Int(n) => n.to_string(),
        Value::Okay => "OK".into(),
        Value::Nil => "nil".into(),
        Value::Array(a) => format!("[{}]", a.iter().map(text).collect::<Vec<_>>().join(" ")),
        other => format!("{other:?}"),
    }
}

/// One slow log entry as `id argv... @addr name` with the port masked (time and duration dropped).
fn entry(v: &Value) -> String {
    let Value::Array(f) = v else {
        return text(v);
    };
    let addr = text(&f[4]);
    let addr = match addr.rsplit_once(':') {
        Some((host, _)) if host != "?" => format!("{host}:PORT"),
        _ => addr,
    };
    format!("{} {} @{} {}", text(&f[0]), text(&f[3]), addr, text(&f[5]))
}

fn slowlog(c: &mut redis::Connection) -> Vec<String> {
    let v: Value = redis::cmd("SLOWLOG").arg("GET").arg(-1).query(c).unwrap();
    match v {
        Value::Array(entries) => entries.iter().map(entry).collect(),
        other => vec![text(&other)],
    }
}

fn q(c: &mut redis::Connection, args: &[&str]) -> String {
    let mut cmd = redis::cmd(args[0]);
    for a in &args[1..] {
        cmd.arg(*a);
    }
    match cmd.query::<Value>(c) {
        Ok(v) => text(&v),
        Err(e) => format!("error {}", e.code().unwrap_or("?")),
    }
}

fn slowlog_scenario(port: u16) -> Vec<String> {
    let mut a = connect(port);
    let mut t = vec![
        q(&mut a, &["CONFIG", "SET", "slowlog-log-slower-than", "0"]),
        q(&mut a, &["SLOWLOG", "RESET"]),
        q(&mut a, &["CLIENT", "SETNAME", "alice"]),
    ];
    let long = "a".repeat(200);
    t.push(q(&mut a, &["SET", "x", &long]));
    let many: Vec<String> = (1..=33).map(|i| i.to_string()).collect();
    let mut rpush = vec!["RPUSH", "l"];
    rpush.extend(many.iter().map(String::as_str));
    t.push(q(&mut a, &rpush));
    t.push(q(&mut a, &["EVAL", "return redis.call('strlen','x')", "0"]));
    let _: Value = redis::pipe()
        .atomic()
        .cmd("INCR")
        .arg("n")
        .cmd("GET")
        .arg("n")
        .query(&mut a)
        .unwrap();
    t.push(q(&mut a, &["AUTH", "secret"]));
    t.push(q(&mut a, &["CONFIG", "SET", "requirepass", ""]));
    // A blocked pop is logged once served (after the push that served it), not on timeout.
    let mut b = Raw::connect(port);
    b.cmd("CLIENT SETNAME bob");
    b.send(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    sleep(Duration::from_millis(50));
    t.push(q(&mut a, &["RPUSH", "q", "v"]));
    t.push(String::from_utf8_lossy(&b.read_reply().unwrap()).into_owned());
    t.push(b.cmd("BLPOP none 0.01"));
    t.extend(slowlog(&mut a));
    t.push(q(&mut a, &["SLOWLOG", "LEN"]));
    t.push(q(&mut a, &["CONFIG", "SET", "slowlog-max-len", "2"]));
    t.push(q(&mut a, &["PING"]));
    t.extend(slowlog(&mut a));
    t.push(q(&mut a, &["SLOWLOG", "GET", "1"]).len().to_string());
    t.push(q(
        &mut a,
        &["CONFIG", "SET", "slowlog-log-slower-than", "-1"],
    ));
    t.push(q(&mut a, &["SLOWLOG", "RESET"]));
    t.push(q(&mut a, &["PING"]));
    t.push(q(&mut a, &["SLOWLOG", "LEN"]));
    t
}

#[test]
fn slowlog_records_like_redis() {
    let t = both(&["--enable-debug-command", "yes"], slowlog_scenario);
    let joined = t.join("\n");
    assert!(joined.contains("... (4 more arguments)"));
    assert!(joined.contains("... (72 more bytes)"));
    assert!(joined.contains("[strlen x] @?:0"));
    assert!(joined.contains("[AUTH (redacted)]"));
    assert!(!joined.contains("[EXEC]"));
    assert_eq!(t.last().unwrap(), "0");
}

fn latency_scenario(port: u16) -> Vec<String> {
    let mut a = connect(port);
    let mut t = vec![q(
        &mut a,
        &["CONFIG", "SET", "latency-monitor-threshold", "10"],
    )];
    t.push(q(&mut a, &["DEBUG", "SLEEP", "0.03"]));
    t.push(q(&mut a, &["DEBUG", "SLEEP", "0"]));
    let latest: Value = redis::cmd("LATENCY").arg("LATEST").query(&mut a).unwrap();
    if let Value::Array(events) = &latest {
        for e in events {
            if let Value::Array(f) = e {
                let ms = text(&f[2]).parse::<i64>().unwrap_or(0);
                t.push(format!(
                    "{} {} {}",
                    text(&f[0]),
                    ms >= 30,
                    ms == text(&f[3]).parse().unwrap_or(-1)
                ));
            }
        }
    }
    let history: Value = redis::cmd("LATENCY")
        .arg("HISTORY")
        .arg("command")
        .query(&mut a)
        .unwrap();
    t.push(matches!(&history, Value::Array(h) if h.len() == 1).to_string());
    let graph = q(&mut a, &["LATENCY", "GRAPH", "command"]);
    let lines: Vec<&str> = graph.lines().collect();
    t.push(lines.len().to_string());
    t.push(lines.get(1).unwrap_or(&"").to_string());
    t.push(lines[2..].join("|"));
    let doctor = q(&mut a, &["LATENCY", "DOCTOR"]);
    t.push(doctor.lines().next().unwrap_or("").to_string());
    t.push(
        doctor
            .lines()
            .filter(|l| l.starts_with("- "))
            .count()
            .to_string(),
    );
    t.push(q(&mut a, &["LATENCY", "RESET", "COMMAND"]));
    t.push(q(&mut a, &["LATENCY", "LATEST"]));
    t.push(q(
        &mut a,
        &["CONFIG", "SET", "latency-monitor-threshold", "0"],
    ));
    // Histograms: calls counted per command and subcommand; the last point holds every call.
    t.push(q(&mut a, &["CONFIG", "RESETSTAT"]));
    for _ in 0..5 {
        q(&mut a, &["SET", "k", "v"]);
    }
    q(&mut a, &["CONFIG", "GET", "hz"]);
    let h: Value = redis::cmd("LATENCY")
        .arg("HISTOGRAM")
        .arg("set")
        .arg("config")
        .arg("nosuch")
        .query(&mut a)
        .unwrap();
    let Value::Array(items) = &h else {
        return t;
    };
    for pair in items.chunks(2) {
        let name = text(&pair[0]);
        if name == "config|resetstat" {
            continue;
        }
        let Value::Array(fields) = &pair[1] else {
            continue;
        };
        let Value::Array(points) = &fields[3] else {
            continue;
        };
        t.push(format!(
            "{name} {} {} last={}",
            text(&fields[0]),
            text(&fields[1]),
            points.last().map(text).unwrap_or_default()
        ));
    }
    let info = q(&mut a, &["INFO", "latencystats"]);
    t.push(
        info.lines()
            .any(|l| l.starts_with("latency_percentiles_usec_set:p50="))
            .to_string(),
    );
    t
}

#[test]
fn latency_monitor_and_histograms_like_redis() {
    let t = both(&["--enable-debug-command", "yes"], latency_scenario);
    assert_eq!(t[3], "command true true");
    assert!(t.contains(&"set calls 5 last=5".to_string()));
    assert!(t.contains(&"config|get calls 1 last=1".to_string()));
}
