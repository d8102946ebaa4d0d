//! Client-side caching across connections: default mode (keys read, invalidated once by any write,
//! own writes after the reply, MULTI/EXEC and scripts), BCAST prefixes, OPTIN/OPTOUT with CLIENT
//! CACHING, NOLOOP, RESP2 redirection to a `__redis__:invalidate` subscriber, broken redirection,
//! flushes, expiry, `tracking-table-max-keys`, INFO fields and CLIENT LIST flags. Each scenario
//! records a transcript of raw bytes (every push included: after each step every connection is
//! drained up to the reply of a PING) and is compared with redis-server's when it is installed.

mod common;

use common::{both, Raw, Server};
use std::thread::sleep;
use std::time::Duration;

/// Named connections and the transcript of what they received.
struct Session {
    port: u16,
    conns: Vec<(&'static str, Raw, String)>,
    /// Every connection's id, closed ones included (for masking and `{name}` substitution).
    ids: Vec<(&'static str, String)>,
    t: Vec<String>,
}

impl Session {
    fn new(port: u16) -> Session {
        Session {
            port,
            conns: Vec::new(),
            ids: Vec::new(),
            t: Vec::new(),
        }
    }

    fn conn(&mut self, name: &'static str) -> usize {
        if let Some(i) = self.conns.iter().position(|c| c.0 == name) {
            return i;
        }
        let mut raw = Raw::connect(self.port);
        let id = raw.cmd("CLIENT ID");
        let id = id.trim_start_matches(':').trim().to_string();
        self.ids.push((name, id.clone()));
        self.conns.push((name, raw, id));
        self.conns.len() - 1
    }

    /// Replaces connection ids where replies carry them (a redirect id, `redir=`), so transcripts
    /// compare across servers.
    fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, id) in &self.ids {
            for (before, after) in [
                ("redirect\r\n:", "\r\n"),
                ("broken\r\n:", "\r\n"),
                ("redir=", " "),
            ] {
                out = out.replace(
                    &format!("{before}{id}{after}"),
                    &format!("{before}<{name}>{after}"),
                );
            }
        }
        out
    }

    /// Runs `line` on connection `name` (`{x}` is replaced by connection x's id) and records the reply.
    fn run(&mut self, name: &'static str, line: &str) -> String {
        let mut actual = line.to_string();
        for (n, id) in &self.ids {
            actual = actual.replace(&format!("{{{n}}}"), id);
        }
        let i = self.conn(name);
        let reply = self.conns[i].1.cmd(&actual);
        let mut masked = self.mask(&reply);
        if line.starts_with("HELLO") {
            masked.truncate(3);
        } else if line == "CLIENT GETREDIR" {
            if let Some((n, _)) = self
                .ids
                .iter()
                .find(|(_, id)| reply == format!(":{id}\r\n"))
            {
                masked = format!(":<{n}>\r\n");
            }
        }
        self.t.push(format!("{name}> {line}\n{masked}"));
        masked
    }

    /// Records, for every connection, what arrived unasked (pushes, messages) up to a PING's reply.
    fn drain(&mut self) {
        sleep(Duration::from_millis(20));
        for i in 0..self.conns.len() {
            let c = &mut self.conns[i].1;
            c.send(&common::encode(&[b"PING"]));
            let mut got = String::new();
            loop {
                let r = String::from_utf8_lossy(&c.read_reply().expect("reply")).into_owned();
                if r == "+PONG\r\n" || r.starts_with("*2\r\n$4\r\npong\r\n") {
                    break;
                }
                got.push_str(&r);
            }
            if !got.is_empty() {
                let line = format!("  {} got {}", self.conns[i].0, self.mask(&got));
                self.t.push(line);
            }
        }
    }

    /// Runs `line` on `name`, then drains every connection.
    fn step(&mut self, name: &'static str, line: &str) -> String {
        let r = self.run(name, line);
        self.drain();
        r
    }

    /// The `name:value` line of `INFO` (ferrous or redis) for `field`.
    fn info_field(&mut self, name: &'static str, field: &str) -> String {
        let i = self.conn(name);
        let text = self.conns[i].1.cmd("INFO");
        let line = text
            .split("\r\n")
            .find(|l| l.starts_with(&format!("{field}:")))
            .unwrap_or("")
            .to_string();
        self.t.push(line.clone());
        line
    }

    /// The `flags=` and `redir=` fields of `CLIENT INFO` on `name`, with ids masked.
    fn client_fields(&mut self, name: &'static str) {
        let i = self.conn(name);
        let text = self.conns[i].1.cmd("CLIENT INFO");
        let fields: Vec<String> = text
            .split_whitespace()
            .filter(|w| w.starts_with("flags=") || w.starts_with("redir="))
            .map(|w| self.mask(&format!("{w} ")))
            .collect();
        self.t.push(format!("{name} {}", fields.join(" ")));
    }
}

fn default_mode(port: u16) -> Vec<String> {
    let mut s = Session::new(port);
    s.conn("a");
    s.conn("b");
    s.run("a", "FLUSHALL");
    s.run("a", "HELLO 3");
    s.step("a", "CLIENT TRACKING ON");
    s.client_fields("a");
    s.step("a", "GET k");
    s.step("b", "SET k 1");
    // Invalidated once: the key is forgotten until read again.
    s.step("b", "SET k 2");
    s.step("a", "MGET k j x");
    s.step("b", "MSET k 1 j 2 y 3");
    s.step("a", "GET k");
    s.step("b", "DEL k x");
    s.step("a", "HGET h f");
    s.step("b", "HSET h f v");
    s.step("a", "LRANGE l 0 -1");
    s.step("b", "RPUSH l a");
    // A failed read (WRONGTYPE) still tracks its key.
    s.step("a", "GET l");
    s.step("b", "LPUSH l b");
    // Own writes: the push follows the reply.
    s.step("a", "GET k");
    s.step("a", "SET k mine");
    // Inside MULTI/EXEC: after the whole EXEC reply.
    s.step("a", "GET k");
    s.run("a", "MULTI");
    s.run("a", "SET k 1");
    s.run("a", "GET k");
    s.run("a", "SET k 2");
    s.step("a", "EXEC");
    // Scripts: writes invalidate; reads track the script's declared keys.
    s.step("a", "GET k");
    s.step(
        "a",
        "EVAL \"redis.call('set','k','3'); return redis.call('get','k')\" 0",
    );
    s.step("b", "SET k 4");
    s.step("a", "EVAL \"return redis.call('get',KEYS[1])\" 1 s1");
    s.step("b", "SET s1 x");
    s.step("a", "EVAL_RO \"return 1\" 1 s2");
    s.step("b", "SET s2 x");
    s.step("a", "EVAL \"return redis.call('get','zz')\" 1 s3");
    s.step("b", "MSET s3 1 zz 2");
    // Keys are global across databases.
    s.step("a", "GET k");
    s.run("b", "SELECT 1");
    s.step("b", "SET k other-db");
    s.run("b", "SELECT 0");
    // Read-only commands with key specs: OBJECT, EXISTS, ZUNION numkeys.
    s.step("a", "OBJECT ENCODING k");
    s.step("a", "EXISTS e1 e2");
    s.step("a", "ZUNION 2 z1 z2");
    s.step("b", "MSET k 1 e2 1 z2 1");
    s.info_field("a", "tracking_clients");
    s.info_field("a", "tracking_total_keys");
    s.info_field("a", "tracking_total_items");
    s.info_field("a", "tracking_total_prefixes");
    // Flushes: a null for every tracking client; the table is emptied.
    s.step("b", "FLUSHDB");
    s.step("a", "FLUSHALL");
    s.info_field("a", "tracking_total_keys");
    // Tracking off: no more invalidations; keys already tracked are dropped lazily.
    s.step("a", "GET k");
    s.step("a", "CLIENT TRACKING OFF");
    s.step("b", "SET k 1");
    s.client_fields("a");
    s.info_field("a", "tracking_clients");
    // A RESP2 client without redirection gets nothing.
    s.run("a", "HELLO 2");
    s.step("a", "CLIENT TRACKING ON");
    s.step("a", "GET k");
    s.step("b", "SET k 2");
    s.step("b", "FLUSHALL");
    s.t
}

#[test]
fn default_mode_invalidates_keys_read_once_written() {
    let t = both(&[], default_mode);
    let joined = t.join("\n");
    assert!(joined.contains("  a got >2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n"));
    let push = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n";
    assert!(joined.contains(&format!("a> SET k mine\n+OK\r\n\n  a got {push}\n")));
    assert!(joined.contains(&format!(
        "a> EXEC\n*3\r\n+OK\r\n$1\r\n1\r\n+OK\r\n\n  a got {push}{push}\n"
    )));
    assert!(joined.contains("  a got >2\r\n$10\r\ninvalidate\r\n_\r\n"));
}

fn broadcast(port: u16) -> Vec<String> {
    let mut s = Session::new(port);
    for n in ["a", "b", "c"] {
        s.conn(n);
    }
    s.run("a", "FLUSHALL");
    s.run("a", "HELLO 3");
    s.run("c", "HELLO 3");
    s.step("a", "CLIENT TRACKING ON BCAST PREFIX b PREFIX a");
    s.step("c", "CLIENT TRACKING ON BCAST NOLOOP");
    s.client_fields("a");
    s.step("a", "CLIENT TRACKINGINFO");
    s.step("c", "CLIENT TRACKINGINFO");
    // One message per prefix per event-loop turn, keys sorted.
    s.step("b", "MSET a1 1 b2 2 c3 3 a0 0");
    s.step("a", "SET a2 2");
    s.step("a", "MSET b1 1 b0 0");
    // NOLOOP: the writer's own keys are left out (all of them: nothing sent).
    s.step("c", "SET zz 1");
    s.step("c", "MSET zz 2 yy 3");
    s.step("b", "SET zz 3");
    // Writes in MULTI are the client's own; a script's are not.
    s.run("c", "MULTI");
    s.run("c", "SET q 1");
    s.step("c", "EXEC");
    s.step("c", "EVAL \"redis.call('set','q','2')\" 0");
    // Reads do not track in BCAST mode.
    s.step("a", "GET a5");
    s.step("b", "DEL nothing");
    s.step("b", "SET x 1");
    // Prefix rules.
    s.step("a", "CLIENT TRACKING ON BCAST PREFIX aa");
    s.step("a", "CLIENT TRACKING ON BCAST PREFIX x PREFIX xy");
    s.step("a", "CLIENT TRACKING ON BCAST PREFIX xy PREFIX x");
    s.step("a", "CLIENT TRACKING ON");
    s.step("a", "CLIENT TRACKING ON BCAST PREFIX c");
    s.step("a", "CLIENT TRACKINGINFO");
    s.info_field("a", "tracking_total_prefixes");
    s.step("b", "MSET c1 1 a9 2");
    s.step("b", "FLUSHALL");
    s.step("a", "CLIENT TRACKING OFF");
    s.info_field("a", "tracking_total_prefixes");
    s.step("b", "SET a1 1");
    s.t
}

#[test]
fn bcast_sends_written_keys_per_prefix() {
    let t = both(&[], broadcast);
    let joined = t.join("\n");
    assert!(joined.contains("  a got >2\r\n$10\r\ninvalidate\r\n*2\r\n$2\r\na0\r\n$2\r\na1\r\n>2"));
    assert!(joined.contains("ERR Prefix 'aa' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap."));
}

fn opt_in_out(port: u16) -> Vec<String> {
    let mut s = Session::new(port);
    s.conn("a");
    s.conn("b");
    s.run("a", "FLUSHALL");
    s.run("a", "HELLO 3");
    s.run("a", "CLIENT TRACKING ON OPTIN");
    s.run("a", "CLIENT CACHING YES");
    s.run("a", "GET k1");
    s.run("a", "GET k2");
    s.run("a", "CLIENT CACHING YES");
    s.run("a", "CLIENT TRACKINGINFO");
    s.run("a", "GET k3");
    s.run("a", "CLIENT CACHING YES");
    s.run("a", "MULTI");
    s.run("a", "GET k4");
    s.run("a", "GET k5");
    s.run("a", "EXEC");
    s.run("a", "GET k6");
    s.step("b", "MSET k1 1 k2 2 k3 3 k4 4 k5 5 k6 6");
    s.step("a", "CLIENT TRACKING OFF");
    s.run("a", "CLIENT TRACKING ON OPTOUT NOLOOP");
    s.run("a", "CLIENT CACHING NO");
    s.run("a", "GET k1");
    s.run("a", "GET k2");
    s.run("a", "CLIENT CACHING NO");
    s.run("a", "PING");
    s.run("a", "GET k3");
    s.run("a", "CLIENT CACHING NO");
    s.run("a", "MULTI");
    s.run("a", "GET k4");
    s.run("a", "EXEC");
    s.step("b", "MSET k1 1 k2 2 k3 3 k4 4");
    // NOLOOP in default mode: own writes are not reported.
    s.step("a", "GET k5");
    s.step("a", "SET k5 mine");
    s.step("b", "SET k5 theirs");
    s.t
}

#[test]
fn optin_optout_follow_client_caching() {
    let t = both(&[], opt_in_out);
    let joined = t.join("\n");
    assert!(joined.contains("*1\r\n$2\r\nk1\r\n"));
    assert!(!joined.contains("*1\r\n$2\r\nk6\r\n"));
}

fn redirection(port: u16) -> Vec<String> {
    let mut s = Session::new(port);
    for n in ["r", "a", "b", "x"] {
        s.conn(n);
    }
    s.run("a", "FLUSHALL");
    s.step("r", "SUBSCRIBE __redis__:invalidate");
    s.step("a", "CLIENT TRACKING ON REDIRECT {r}");
    s.step("a", "CLIENT GETREDIR");
    s.client_fields("a");
    s.step("a", "GET k");
    s.step("b", "SET k 1");
    s.step("a", "GET k");
    s.step("a", "SET k 2");
    s.step("a", "FLUSHALL");
    // A RESP3 tracking client redirecting to a RESP2 subscriber: null in the tracking client's
    // protocol.
    s.run("x", "HELLO 3");
    s.step("x", "CLIENT TRACKING ON REDIRECT {r}");
    s.step("x", "GET k");
    s.step("b", "SET k 3");
    s.step("b", "FLUSHDB");
    s.step("x", "CLIENT TRACKING ON REDIRECT {a}");
    s.step("x", "GET k");
    s.step("b", "SET k 4");
    // The redirect client goes away: RESP3 clients are told at the next invalidation.
    s.run("r", "QUIT");
    s.conns.retain(|c| c.0 != "r");
    sleep(Duration::from_millis(50));
    s.run("a", "HELLO 3");
    s.step("a", "GET k");
    s.step("b", "SET k 5");
    s.step("a", "CLIENT TRACKINGINFO");
    s.client_fields("a");
    s.step("a", "GET k");
    s.step("b", "SET k 6");
    s.step("b", "FLUSHALL");
    // Re-enabling clears the broken state and the redirection.
    s.step("a", "CLIENT TRACKING ON");
    s.step("a", "CLIENT TRACKINGINFO");
    s.step("a", "GET k");
    s.step("x", "CLIENT TRACKING ON REDIRECT {a}");
    s.step("x", "GET k");
    s.step("b", "SET k 7");
    // Another client's invalidation redirected to the writer goes ahead of the writer's reply (inside
    // an EXEC reply, ahead of the element of the command that caused it).
    s.step("x", "GET k");
    s.step("a", "SET k 8");
    s.step("x", "GET k");
    s.run("a", "MULTI");
    s.run("a", "GET foo");
    s.run("a", "SET k 9");
    s.step("a", "EXEC");
    s.step("x", "GET k");
    s.step("a", "EVAL \"redis.call('set','k','10'); return 'done'\" 0");
    s.step("a", "RESET");
    s.step("a", "CLIENT TRACKINGINFO");
    s.t
}

#[test]
fn redirection_to_subscriber_and_broken_redirect() {
    let t = both(&[], redirection);
    let joined = t.join("\n");
    assert!(joined.contains(
        "  r got *3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n"
    ));
    assert!(
        joined.contains("  r got *3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n")
    );
    assert!(joined.contains(">2\r\n$21\r\ntracking-redir-broken\r\n:<r>\r\n"));
    assert!(joined.contains("a flags=tR"));
    assert!(joined
        .contains("a> SET k 8\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n\n  a got +OK\r\n"));
}

fn expiry(port: u16) -> Vec<String> {
    let mut s = Session::new(port);
    s.conn("a");
    s.conn("b");
    s.run("a", "FLUSHALL");
    s.run("a", "HELLO 3");
    s.step("a", "CLIENT TRACKING ON");
    s.step("b", "SET active 1 PX 100");
    s.step("b", "SET lazy 1 PX 100");
    s.step("a", "GET active");
    s.step("a", "GET lazy");
    s.run("b", "DEBUG SET-ACTIVE-EXPIRE 0");
    sleep(Duration::from_millis(200));
    s.step("b", "GET lazy");
    s.run("b", "DEBUG SET-ACTIVE-EXPIRE 1");
    sleep(Duration::from_millis(400));
    s.drain();
    // DEBUG RELOAD flushes (and loads back): a null; SWAPDB invalidates nothing.
    s.step("a", "GET k");
    s.step("b", "DEBUG RELOAD");
    s.step("a", "GET k");
    s.step("b", "SWAPDB 0 1");
    s.step("b", "SWAPDB 0 1");
    s.t
}

#[test]
fn expiry_and_reload_invalidate() {
    let t = both(&["--enable-debug-command", "yes"], expiry);
    let joined = t.join("\n");
    assert!(joined.contains("*1\r\n$4\r\nlazy\r\n"));
    assert!(joined.contains("*1\r\n$6\r\nactive\r\n"));
}

#[test]
fn table_limit_evicts_keys_with_invalidations() {
    let server = Server::start();
    let mut a = Raw::connect(server.port);
    let mut b = Raw::connect(server.port);
    a.cmd("HELLO 3");
    assert_eq!(a.cmd("CLIENT TRACKING ON"), "+OK\r\n");
    assert_eq!(
        b.cmd("CONFIG GET tracking-table-max-keys"),
        "*2\r\n$23\r\ntracking-table-max-keys\r\n$7\r\n1000000\r\n"
    );
    assert_eq!(b.cmd("CONFIG SET tracking-table-max-keys 2"), "+OK\r\n");
    a.cmd("MGET k1 k2 k3 k4 k5");
    // The next command (or the timer) evicts three random keys, each with an invalidation.
    let mut pushes = 0;
    a.send(&common::encode(&[b"PING"]));
    loop {
        let r = a.read_reply().expect("reply");
        if r == b"+PONG\r\n" {
            break;
        }
        assert!(r.starts_with(b">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk"));
        pushes += 1;
    }
    assert_eq!(pushes, 3);
    let info = b.cmd("INFO stats");
    assert!(info.contains("tracking_total_keys:2\r\n"));
    assert!(info.contains("tracking_total_items:2\r\n"));
}
