//! Serving the other clients while a script runs past `busy-reply-threshold` (Redis's
//! `processEventsWhileBlocked`): every connected client's pending input is read and executed —
//! the dispatcher answers `BUSY` to everything but the commands flagged `allow_busy` (`SCRIPT
//! KILL`, `FUNCTION KILL`, `SHUTDOWN NOSAVE`...) — and its replies written. Key decision: no
//! second poller; the sockets are non-blocking, so a read that finds nothing costs one syscall,
//! and this only runs every few milliseconds of a slow script. A client that disconnects is left
//! for the event loop to close (through the kill queue). New connections are accepted too, through
//! duplicates of the listening sockets and a clone of the poller's registry ([`BusyNet`]), so a
//! client that connects during the script (`redis-cli SCRIPT KILL`) is served.

use super::event_loop::{add_client, flush, read_and_execute};
use crate::server::Server;
use mio::net::TcpListener;
use mio::Registry;
use std::os::fd::AsFd;

/// What serving clients during a slow script needs from the event loop.
pub struct BusyNet {
    registry: Registry,
    listeners: Vec<std::net::TcpListener>,
}

impl BusyNet {
    /// Duplicates the event loop's registry and listening sockets (`None` if the OS refuses).
    pub fn new(registry: &Registry, listeners: &[TcpListener]) -> Option<BusyNet> {
        let registry = registry.try_clone().ok()?;
        let listeners = listeners
            .iter()
            .map(|l| {
                l.as_fd()
                    .try_clone_to_owned()
                    .map(std::net::TcpListener::from)
            })
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some(BusyNet {
            registry,
            listeners,
        })
    }
}

/// Accepts pending connections, then reads, executes and answers what every other client has sent.
pub fn serve_clients(server: &mut Server) {
    accept_pending(server);
    for slot in 0..server.clients.len() {
        let Some(mut conn) = server.clients[slot].take() else {
            continue;
        };
        let alive = read_and_execute(server, &mut conn) && flush(&mut conn);
        if !alive {
            conn.state.close_after_reply = true;
            conn.reply.buf.clear();
            conn.reply_pos = 0;
            server.kill_queue.push(slot);
        }
        server.clients[slot] = Some(conn);
    }
}

fn accept_pending(server: &mut Server) {
    let Some(net) = server.busy_net.take() else {
        return;
    };
    for listener in &net.listeners {
        while let Ok((stream, peer)) = listener.accept() {
            if stream.set_nonblocking(true).is_err() {
                continue;
            }
            let stream = mio::net::TcpStream::from_std(stream);
            add_client(server, &net.registry, &mut Vec::new(), stream, peer);
        }
    }
    server.busy_net = Some(net);
}
