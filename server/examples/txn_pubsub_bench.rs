//! Throughput harness for what `redis-benchmark` cannot drive: a pub/sub fan-out (1 publisher,
//! N subscribers; time until every subscriber got every message) and pipelined MULTI/EXEC blocks.
//! Runs against any RESP server, so ferrous and redis-server can be measured in the same run:
//!
//! ```text
//! cargo run --release -p ferrous --example txn_pubsub_bench -- <port> [subscribers] [messages]
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

fn encode(args: &[&[u8]], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

/// Counts complete top-level replies in `buf` from `pos` (simple parser: enough for the replies used
/// here: arrays of bulks/integers/simple strings), returning (count, new position).
fn count_replies(buf: &[u8], mut pos: usize) -> (usize, usize) {
    let mut n = 0;
    while let Some(end) = reply_end(buf, pos) {
        pos = end;
        n += 1;
    }
    (n, pos)
}

fn reply_end(buf: &[u8], pos: usize) -> Option<usize> {
    let nl = pos + buf.get(pos..)?.windows(2).position(|w| w == b"\r\n")?;
    let head: i64 = std::str::from_utf8(buf.get(pos + 1..nl)?)
        .ok()?
        .parse()
        .unwrap_or(0);
    match buf[pos] {
        b'$' if head >= 0 => {
            let end = nl + 2 + head as usize + 2;
            (buf.len() >= end).then_some(end)
        }
        b'*' | b'>' => {
            let mut p = nl + 2;
            for _ in 0..head.max(0) {
                p = reply_end(buf, p)?;
            }
            Some(p)
        }
        _ => Some(nl + 2),
    }
}

fn fanout(port: u16, subscribers: usize, messages: usize) -> f64 {
    let mut handles = Vec::new();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    for _ in 0..subscribers {
        let tx = ready_tx.clone();
        handles.push(thread::spawn(move || {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let mut req = Vec::new();
            encode(&[b"SUBSCRIBE", b"bench"], &mut req);
            s.write_all(&req).unwrap();
            let mut r = BufReader::new(s);
            let mut line = String::new();
            for _ in 0..6 {
                line.clear();
                r.read_line(&mut line).unwrap();
            }
            tx.send(()).unwrap();
            let mut buf = Vec::new();
            let mut pos = 0;
            let mut got = 0;
            let mut chunk = vec![0u8; 1 << 16];
            while got < messages {
                let n = r.read(&mut chunk).unwrap();
                assert!(n > 0, "subscriber disconnected");
                buf.extend_from_slice(&chunk[..n]);
                let (k, p) = count_replies(&buf, pos);
                got += k;
                pos = p;
                if pos > 1 << 20 {
                    buf.drain(..pos);
                    pos = 0;
                }
            }
        }));
    }
    for _ in 0..subscribers {
        ready_rx.recv().unwrap();
    }
    let mut p = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let reader = p.try_clone().unwrap();
    let drain = thread::spawn(move || {
        let mut r = BufReader::new(reader);
        let mut line = String::new();
        for _ in 0..messages {
            line.clear();
            r.read_line(&mut line).unwrap();
        }
    });
    let start = Instant::now();
    let mut batch = Vec::new();
    for i in 0..messages {
        encode(
            &[b"PUBLISH", b"bench", format!("message-{i:08}").as_bytes()],
            &mut batch,
        );
        if batch.len() > 1 << 16 {
            p.write_all(&batch).unwrap();
            batch.clear();
        }
    }
    p.write_all(&batch).unwrap();
    for h in handles {
        h.join().unwrap();
    }
    drain.join().unwrap();
    let secs = start.elapsed().as_secs_f64();
    (messages * subscribers) as f64 / secs
}

fn multi_exec(port: u16, clients: usize, blocks: usize, pipeline: usize) -> f64 {
    let start = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            thread::spawn(move || {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                let key = format!("k{c}");
                let mut req = Vec::new();
                for _ in 0..pipeline {
                    encode(&[b"MULTI"], &mut req);
                    encode(&[b"SET", key.as_bytes(), b"value"], &mut req);
                    encode(&[b"INCR", b"counter"], &mut req);
                    encode(&[b"EXEC"], &mut req);
                }
                let mut buf = Vec::new();
                let mut chunk = vec![0u8; 1 << 16];
                for _ in 0..blocks / pipeline {
                    s.write_all(&req).unwrap();
                    let (mut got, mut pos) = (0, 0);
                    buf.clear();
                    while got < pipeline * 4 {
                        let n = s.read(&mut chunk).unwrap();
                        buf.extend_from_slice(&chunk[..n]);
                        let (k, p) = count_replies(&buf, pos);
                        got += k;
                        pos = p;
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    (clients * (blocks / pipeline) * pipeline) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(6379);
    let subs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50);
    let msgs: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rate = fanout(port, subs, msgs);
    println!("fanout 1 publisher x {subs} subscribers, {msgs} messages: {rate:.0} deliveries/s");
    let rate = multi_exec(port, 50, 4_000, 16);
    println!("MULTI/SET/INCR/EXEC, 50 clients, pipeline 16: {rate:.0} transactions/s");
}
