//! The event loop: one thread polls (mio/epoll) the listeners, the clients and the signal pipe, reads
//! what is there, parses and executes every complete command, and writes the replies once per read.
//! A timer runs the periodic jobs (active expiry, idle timeouts) `hz` times a second. Key decisions:
//! a read that does not fill the buffer means the socket is drained (no extra `EAGAIN` syscall), and
//! write interest is registered only when a write could not finish.

use crate::config::D;
use crate::db::{clock, expire};
use crate::log;
use crate::net::client::{ClientState, Conn};
use crate::net::spin::Spin;
use crate::resp::Limits;
use crate::resp::Parsed;
use crate::server::{Server, Shutdown};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Registry, Token};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook_mio::v1_0::Signals;
use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const SIGNAL: Token = Token(usize::MAX - 1);
const LISTENER_BASE: usize = usize::MAX - 64;
/// Read size per syscall.
const READ_CHUNK: usize = 16 * 1024;

/// The loop's own state beside the [`Server`].
struct EventLoop {
    poll: Poll,
    listeners: Vec<TcpListener>,
    signals: Signals,
    free_slots: Vec<usize>,
    spin: Spin,
}

/// Binds the configured addresses and runs until shutdown.
pub fn run(mut server: Server) -> io::Result<()> {
    let poll = Poll::new()?;
    let mut listeners = bind_all(&server)?;
    for (i, l) in listeners.iter_mut().enumerate() {
        poll.registry()
            .register(l, Token(LISTENER_BASE + i), Interest::READABLE)?;
    }
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    poll.registry()
        .register(&mut signals, SIGNAL, Interest::READABLE)?;
    if let Some(l) = listeners.first() {
        server.port = l.local_addr()?.port();
    }
    server.busy_net = super::busy::BusyNet::new(poll.registry(), &listeners);
    log::notice("Server initialized");
    log::notice("Ready to accept connections tcp");
    let mut el = EventLoop {
        poll,
        listeners,
        signals,
        free_slots: Vec::new(),
        spin: Spin::default(),
    };
    el.run(&mut server)
}

fn bind_all(server: &Server) -> io::Result<Vec<TcpListener>> {
    let port = server.port;
    let mut out = Vec::new();
    if port == 0 {
        return Ok(out);
    }
    for word in server.config.text(D::bind).split_ascii_whitespace() {
        let optional = word.starts_with('-');
        let host = word.trim_start_matches('-');
        let host = match host {
            "*" => "0.0.0.0",
            "::*" => "::",
            h => h,
        };
        let addr: Result<SocketAddr, _> = if host.contains(':') {
            format!("[{host}]:{port}").parse()
        } else {
            format!("{host}:{port}").parse()
        };
        let bound = addr
            .map_err(|e| io::Error::new(ErrorKind::InvalidInput, e))
            .and_then(TcpListener::bind);
        match bound {
            Ok(l) => out.push(l),
            Err(e) if optional => log::verbose(&format!(
                "Could not bind optional address {host}:{port}: {e}"
            )),
            Err(e) => {
                log::warning(&format!(
                    "Warning: Could not create server TCP listening socket {host}:{port}: {e}"
                ));
                return Err(e);
            }
        }
    }
    if out.is_empty() {
        return Err(io::Error::new(
            ErrorKind::AddrNotAvailable,
            "no address could be bound",
        ));
    }
    Ok(out)
}

impl EventLoop {
    fn run(&mut self, server: &mut Server) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        let mut next_cron = Instant::now();
        loop {
            let mut timeout = next_cron.saturating_duration_since(Instant::now());
            if let Some(at) = server.blocking.next_deadline() {
                let ms = (at - clock::now_ms()).max(0) as u64;
                timeout = timeout.min(Duration::from_millis(ms));
            }
            if let Some(ms) = crate::cmd::pause::time_left(server) {
                timeout = timeout.min(Duration::from_millis(ms as u64));
            }
            let budget = Duration::from_micros(server.config.int(D::busy_poll_us) as u64);
            if let Err(e) = self.spin.wait(&mut self.poll, &mut events, timeout, budget) {
                if e.kind() != ErrorKind::Interrupted {
                    return Err(e);
                }
            }
            clock::update();
            for ev in events.iter() {
                match ev.token() {
                    SIGNAL => self.on_signal(server),
                    Token(t) if t >= LISTENER_BASE => self.accept(server, t - LISTENER_BASE),
                    Token(t) => self.on_client(server, t, ev.is_readable(), ev.is_writable()),
                }
            }
            self.after_events(server);
            if Instant::now() >= next_cron {
                self.cron(server);
                let hz = server.config.int(D::hz).clamp(1, 500) as u64;
                next_cron = Instant::now() + Duration::from_millis(1000 / hz);
            }
            if server.shutdown == Shutdown::Now {
                self.shutdown(server);
                return Ok(());
            }
        }
    }

    fn on_signal(&mut self, server: &mut Server) {
        for sig in self.signals.pending() {
            let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
            log::warning(&format!("Received {name} scheduling shutdown..."));
            server.shutdown = Shutdown::Now;
        }
    }

    fn shutdown(&mut self, server: &mut Server) {
        log::warning("User requested shutdown...");
        for slot in 0..server.clients.len() {
            if let Some(mut conn) = server.clients[slot].take() {
                let _ = flush(&mut conn);
                let _ = self.poll.registry().deregister(&mut conn.stream);
            }
        }
        log::warning("Redis is now ready to exit, bye bye...");
    }

    fn accept(&mut self, server: &mut Server, i: usize) {
        loop {
            let Some(listener) = self.listeners.get(i) else {
                return;
            };
            match listener.accept() {
                Ok((stream, peer)) => self.add_client(server, stream, peer),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    log::warning(&format!("Accepting client connection: {e}"));
                    return;
                }
            }
        }
    }

    fn add_client(&mut self, server: &mut Server, stream: TcpStream, peer: SocketAddr) {
        add_client(
            server,
            self.poll.registry(),
            &mut self.free_slots,
            stream,
            peer,
        );
    }

    fn on_client(&mut self, server: &mut Server, slot: usize, readable: bool, writable: bool) {
        let Some(mut conn) = server.clients.get_mut(slot).and_then(Option::take) else {
            return;
        };
        let mut alive = true;
        if readable {
            alive = read_and_execute(server, &mut conn);
        }
        if alive && (readable || writable) {
            alive = flush(&mut conn) && self.update_interest(&mut conn, slot);
        }
        if conn.state.close_after_reply && conn.pending_output() == 0 {
            alive = false;
        }
        if alive {
            server.clients[slot] = Some(conn);
        } else {
            self.close(server, conn, slot);
        }
        self.close_killed(server);
    }

    fn update_interest(&mut self, conn: &mut Conn, slot: usize) -> bool {
        let pending = conn.pending_output() > 0;
        if pending == conn.want_write {
            return true;
        }
        conn.want_write = pending;
        let interest = if pending {
            Interest::READABLE | Interest::WRITABLE
        } else {
            Interest::READABLE
        };
        self.poll
            .registry()
            .reregister(&mut conn.stream, Token(slot), interest)
            .is_ok()
    }

    fn close(&mut self, server: &mut Server, mut conn: Box<Conn>, slot: usize) {
        crate::cmd::client_closed(server, &mut conn.state);
        let _ = self.poll.registry().deregister(&mut conn.stream);
        server.client_count -= 1;
        self.free_slots.push(slot);
    }

    /// Closes clients marked by `CLIENT KILL` (or over their limits) that are not currently executing.
    fn close_killed(&mut self, server: &mut Server) {
        while let Some(slot) = server.kill_queue.pop() {
            let killed = server.clients.get_mut(slot).and_then(Option::take);
            if let Some(mut conn) = killed {
                if conn.state.close_after_reply && flush(&mut conn) && conn.pending_output() > 0 {
                    server.clients[slot] = Some(conn);
                    continue;
                }
                self.close(server, conn, slot);
            }
        }
    }

    /// Work after each batch of events: blocked clients that timed out, the end of a client pause,
    /// pipelines of clients just unblocked or unpaused, client-side caching broadcasts, output
    /// produced for clients outside their own commands, clients to close.
    fn after_events(&mut self, server: &mut Server) {
        if server.blocking.count > 0 {
            crate::cmd::blocking::expire_timeouts(server);
        }
        crate::cmd::pause::check_end(server);
        while !server.unblocked.is_empty() {
            for slot in std::mem::take(&mut server.unblocked) {
                self.resume(server, slot);
            }
        }
        crate::cmd::tracking::broadcast(server);
        for slot in std::mem::take(&mut server.pending_write) {
            self.on_client(server, slot, false, true);
        }
        self.close_killed(server);
    }

    /// Runs the commands a just unblocked client pipelined while it waited (first the command a
    /// client pause held, if any).
    fn resume(&mut self, server: &mut Server, slot: usize) {
        let Some(mut conn) = server.clients.get_mut(slot).and_then(Option::take) else {
            return;
        };
        if conn.state.postponed {
            conn.state.postponed = false;
            run_parsed(server, &mut conn);
        }
        if conn.state.blocked.is_none() {
            execute_pending(server, &mut conn);
        }
        server.clients[slot] = Some(conn);
        server.pending_write.push(slot);
    }

    fn cron(&mut self, server: &mut Server) {
        self.spin.review();
        if server.tracking.client_count() > 0 {
            crate::cmd::tracking::limit_keys(server);
        }
        if server.active_expire && !server.pause.active() {
            let effort = server.config.int(D::active_expire_effort).clamp(1, 10) as u64;
            let hz = server.config.int(D::hz).clamp(1, 500) as u64;
            let budget = Duration::from_micros(250_000 / hz * (effort + 3) / 4);
            let start = Instant::now();
            expire::active_expire_cycle(&mut server.dbs, budget);
            let ms = start.elapsed().as_millis() as u64;
            crate::cmd::latency::add_sample_if_needed(server, "expire-cycle", ms);
            crate::cmd::after_background(server);
            self.after_events(server);
        }
        let timeout = server.config.int(D::timeout);
        if timeout > 0 {
            let now = clock::now_ms();
            for slot in 0..server.clients.len() {
                let idle = server.clients[slot].as_ref().is_some_and(|c| {
                    now - c.state.last_interaction_ms > timeout * 1000
                        && c.state.blocked.is_none()
                        && !c.state.postponed
                        && !c.state.subs.active()
                        && !c.state.monitor
                });
                if idle {
                    log::verbose("Closing idle client");
                    server.kill_queue.push(slot);
                }
            }
            self.close_killed(server);
        }
    }
}

/// Registers a freshly accepted connection with `registry` in a free slot (or a new one) and makes
/// it a client; refuses it past `maxclients`. Also used while a slow script runs ([`super::busy`]).
pub(crate) fn add_client(
    server: &mut Server,
    registry: &Registry,
    free_slots: &mut Vec<usize>,
    mut stream: TcpStream,
    peer: SocketAddr,
) {
    server.stats.connections_received += 1;
    if server.client_count as i64 >= server.config.int(D::maxclients) {
        let _ = stream.write(b"-ERR max number of clients reached\r\n");
        server.stats.rejected_connections += 1;
        return;
    }
    let _ = stream.set_nodelay(true);
    let slot = free_slots.pop().unwrap_or_else(|| {
        server.clients.push(None);
        server.clients.len() - 1
    });
    if registry
        .register(&mut stream, Token(slot), Interest::READABLE)
        .is_err()
    {
        free_slots.push(slot);
        return;
    }
    let now = clock::now_ms();
    let state = ClientState {
        id: server.next_client_id,
        authenticated: server.config.text(D::requirepass).is_empty(),
        addr: peer.to_string(),
        laddr: stream
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default(),
        fd: raw_fd(&stream),
        created_ms: now,
        last_interaction_ms: now,
        last_cmd: "NULL",
        slot,
        ..ClientState::default()
    };
    server.next_client_id += 1;
    server.client_count += 1;
    server.clients[slot] = Some(Box::new(Conn::new(stream, state)));
}

#[cfg(unix)]
fn raw_fd(s: &TcpStream) -> i32 {
    use std::os::fd::AsRawFd;
    s.as_raw_fd()
}

/// Reads everything available and executes every complete command; false when the connection must
/// close now (EOF, error, or query buffer over its limit).
pub(crate) fn read_and_execute(server: &mut Server, conn: &mut Conn) -> bool {
    loop {
        make_room(conn);
        let space = conn.query.len() - conn.query_end;
        let n = match conn.stream.read(&mut conn.query[conn.query_end..]) {
            Ok(0) => return false,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        conn.query_end += n;
        server.stats.net_input_bytes += n as u64;
        let limit = server.config.int(D::client_query_buffer_limit) as usize;
        if conn.query_len() > limit {
            log::warning(&format!(
                "Closing client that reached max query buffer length: id={} addr={} (qbuf initial bytes: {:?})",
                conn.state.id,
                conn.state.addr,
                String::from_utf8_lossy(&conn.query[conn.query_pos..(conn.query_pos + 64).min(conn.query_end)])
            ));
            return false;
        }
        execute_pending(server, conn);
        if n < space || conn.state.close_after_reply || server.shutdown != Shutdown::No {
            return true;
        }
    }
}

/// Ensures free space after `query_end`: `READ_CHUNK` bytes, or the rest of a pending big argument so
/// it arrives in one piece. Compacts before growing; gives back memory after a big request.
fn make_room(conn: &mut Conn) {
    if conn.query_pos == conn.query_end {
        conn.query_pos = 0;
        conn.query_end = 0;
        if conn.query.len() > 1 << 20 && conn.parser.pending_bulk() == 0 {
            conn.query = vec![0; READ_CHUNK];
        }
    }
    let have = conn.query_end - conn.query_pos;
    let want = READ_CHUNK.max((conn.parser.pending_bulk() + 2).saturating_sub(have));
    if conn.query.len() - conn.query_end >= want {
        return;
    }
    if conn.query_pos > 0 {
        conn.query.copy_within(conn.query_pos..conn.query_end, 0);
        conn.query_end = have;
        conn.query_pos = 0;
    }
    if conn.query.len() - conn.query_end < want {
        let new_len = (conn.query_end + want).max(conn.query.len() * 2);
        conn.query.resize(new_len, 0);
    }
}

/// Parses and runs every complete command in the query buffer (stopping at a blocked or held one).
fn execute_pending(server: &mut Server, conn: &mut Conn) {
    while !conn.state.close_after_reply && conn.state.blocked.is_none() && !conn.state.postponed {
        let lim = Limits {
            max_bulk_len: server.config.int(D::proto_max_bulk_len),
            authenticated: conn.state.authenticated,
        };
        let input = &conn.query[..conn.query_end];
        match conn
            .parser
            .parse(input, &mut conn.query_pos, &mut conn.argv, lim)
        {
            Parsed::Command => {
                if !conn.argv.is_empty() {
                    conn.state.last_interaction_ms = clock::now_ms();
                    run_parsed(server, conn);
                    if server.shutdown != Shutdown::No {
                        return;
                    }
                }
            }
            Parsed::Incomplete => return,
            Parsed::Error(e) => {
                log::verbose(&format!(
                    "Protocol error ({e}) from client: id={} addr={}",
                    conn.state.id, conn.state.addr
                ));
                conn.reply.error(&format!("ERR {e}"));
                conn.state.close_after_reply = true;
                return;
            }
        }
    }
}

/// Executes the command parsed into the connection's argument buffer.
fn run_parsed(server: &mut Server, conn: &mut Conn) {
    crate::cmd::execute(
        server,
        &mut conn.state,
        &mut conn.reply,
        conn.argv.as_slice(),
    );
}

/// Writes pending replies; false when the connection failed.
pub(crate) fn flush(conn: &mut Conn) -> bool {
    while conn.reply_pos < conn.reply.buf.len() {
        match conn.stream.write(&conn.reply.buf[conn.reply_pos..]) {
            Ok(0) => return false,
            Ok(n) => conn.reply_pos += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
    conn.reply.buf.clear();
    conn.reply_pos = 0;
    if conn.reply.buf.capacity() > 1 << 20 {
        conn.reply.buf.shrink_to(64 * 1024);
    }
    true
}
