//! Test harness: starts the real `ferrous` binary (or `redis-server`) on a free port and stops it on
//! drop, plus a raw RESP connection that returns replies byte for byte.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process, killed when dropped.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

/// A port that was free a moment ago and that no other test of this process has been given: ports are
/// handed out in sequence from a per-process base, so parallel tests never race for the same one.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    // Below the ephemeral range (32768+), where a connect to a not-yet-listening port can connect a
    // socket to itself.
    let base = 10000 + (std::process::id() % 1000) * 20;
    loop {
        let port = (10000 + (base - 10000 + NEXT.fetch_add(1, Ordering::Relaxed)) % 22000) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Whether the server behind `stream` is process `pid` (another program may own the port: other
/// test runs and servers share the machine).
fn serves_pid(mut stream: TcpStream, pid: u32) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    if stream
        .write_all(b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")
        .is_err()
    {
        return false;
    }
    let mut reply = Vec::new();
    let mut chunk = [0u8; 4096];
    while !reply.ends_with(b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(n) if n > 0 => reply.extend_from_slice(&chunk[..n]),
            _ => break,
        }
        if reply.len() > 1 << 16 {
            break;
        }
    }
    let text = String::from_utf8_lossy(&reply);
    text.lines()
        .any(|l| l.trim() == format!("process_id:{pid}"))
}

impl Server {
    /// Starts ferrous with default settings.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts ferrous with extra `--name value` arguments.
    pub fn start_with(extra: &[&str]) -> Server {
        Server::spawn(env!("CARGO_BIN_EXE_ferrous"), extra).expect("ferrous did not start")
    }

    /// Starts redis-server when it is installed (`None` otherwise).
    pub fn start_redis(extra: &[&str]) -> Option<Server> {
        let found = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        if !found {
            return None;
        }
        Server::spawn("redis-server", extra)
    }

    /// Starts `program --port <free> --save "" --appendonly no <extra>`, retrying on port races.
    pub fn spawn(program: &str, extra: &[&str]) -> Option<Server> {
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(program)
                .args([
                    "--port",
                    &port.to_string(),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ])
                .args(extra)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .ok()?;
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                let ours = TcpStream::connect(("127.0.0.1", port))
                    .ok()
                    .filter(|c| c.local_addr().ok() != c.peer_addr().ok())
                    .is_some_and(|c| serves_pid(c, child.id()));
                if ours {
                    return Some(Server { child, port });
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        None
    }

    /// A `redis` crate connection.
    pub fn client(&self) -> redis::Connection {
        let c = redis::Client::open(format!("redis://127.0.0.1:{}/", self.port)).unwrap();
        c.get_connection().unwrap()
    }

    /// A raw RESP connection.
    pub fn raw(&self) -> Raw {
        Raw::connect(self.port)
    }

    /// Sends SIGTERM and waits for exit; returns the exit status success.
    pub fn terminate(&mut self) -> bool {
        unsafe_kill(self.child.id(), 15);
        self.child.wait().map(|s| s.success()).unwrap_or(false)
    }

    /// True while the process is running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

fn unsafe_kill(pid: u32, sig: i32) {
    let _ = Command::new("kill")
        .args([format!("-{sig}"), pid.to_string()])
        .status();
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw TCP connection speaking RESP.
pub struct Raw {
    /// The socket.
    pub stream: TcpStream,
    buf: Vec<u8>,
}

/// Encodes a command as a RESP multibulk request.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

impl Raw {
    /// Connects to 127.0.0.1:`port`.
    pub fn connect(port: u16) -> Raw {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Raw {
            stream,
            buf: Vec::new(),
        }
    }

    /// Sends raw bytes.
    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    /// Sends one command (words separated by spaces, quotes allowed) and returns its raw reply.
    pub fn cmd(&mut self, line: &str) -> String {
        let args = ferrous::resp::parser::split_args(line.as_bytes()).expect("quotes");
        let refs: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
        String::from_utf8_lossy(&self.cmd_args(&refs)).into_owned()
    }

    /// Sends one command given as arguments and returns its raw reply bytes.
    pub fn cmd_args(&mut self, args: &[&[u8]]) -> Vec<u8> {
        self.send(&encode(args));
        self.read_reply().expect("reply")
    }

    fn fill(&mut self) -> Option<()> {
        let mut tmp = [0u8; 65536];
        let n = self.stream.read(&mut tmp).ok()?;
        if n == 0 {
            return None;
        }
        self.buf.extend_from_slice(&tmp[..n]);
        Some(())
    }

    /// Reads one complete reply and returns its raw bytes; `None` on EOF/timeout.
    pub fn read_reply(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(end) = reply_end(&self.buf, 0) {
                return Some(self.buf.drain(..end).collect());
            }
            self.fill()?;
        }
    }

    /// Reads one complete reply if it arrives within `wait` (`None` otherwise: a held or blocked
    /// command); the usual timeout is restored afterwards.
    pub fn reply_within(&mut self, wait: Duration) -> Option<Vec<u8>> {
        self.stream.set_read_timeout(Some(wait)).unwrap();
        let reply = self.read_reply();
        self.stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        reply
    }

    /// True when the server closed the connection (reads EOF within the timeout).
    pub fn is_closed(&mut self) -> bool {
        self.stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let mut tmp = [0u8; 64];
        matches!(self.stream.read(&mut tmp), Ok(0) | Err(_))
    }
}

/// End offset of the complete reply starting at `pos`, or `None` if incomplete.
pub fn reply_end(buf: &[u8], pos: usize) -> Option<usize> {
    let line_end = pos + buf.get(pos..)?.windows(2).position(|w| w == b"\r\n")?;
    let after = line_end + 2;
    let head = std::str::from_utf8(&buf[pos + 1..line_end]).ok()?;
    match buf[pos] {
        b'$' | b'=' | b'!' => {
            let n: i64 = head.parse().ok()?;
            if n < 0 {
                return Some(after);
            }
            let end = after + n as usize + 2;
            (buf.len() >= end).then_some(end)
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let n: i64 = head.parse().ok()?;
            let count = match buf[pos] {
                b'%' | b'|' => 2 * n.max(0),
                _ => n.max(0),
            };
            let mut p = after;
            for _ in 0..count {
                p = reply_end(buf, p)?;
            }
            if buf[pos] == b'|' {
                p = reply_end(buf, p)?;
            }
            Some(p)
        }
        _ => Some(after),
    }
}

/// Runs `scenario` (given a port, it returns the transcript of what it saw) against ferrous and,
/// when installed, redis-server, both started with `extra`; the transcripts must match.
pub fn both(extra: &[&str], scenario: fn(u16) -> Vec<String>) -> Vec<String> {
    let ferrous = Server::start_with(extra);
    let ours = scenario(ferrous.port);
    match Server::start_redis(extra) {
        Some(redis) => {
            let theirs = scenario(redis.port);
            assert_eq!(ours, theirs, "ferrous vs redis-server transcripts differ");
        }
        None => println!("NOTICE: redis-server not installed; comparison skipped"),
    }
    ours
}

/// Waits a moment so a command sent on one connection is processed before the next one acts.
pub fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(50));
}
