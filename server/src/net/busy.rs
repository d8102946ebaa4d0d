//! Serving the other clients while a script runs past `busy-reply-threshold` (Redis's
//! `processEventsWhileBlocked`): every connected client's pending input is read and executed —
//! the dispatcher answers `BUSY` to everything but the commands flagged `allow_busy` (`SCRIPT
//! KILL`, `FUNCTION KILL`, `SHUTDOWN NOSAVE`...) — and its replies written. Key decision: no
//! second poller; the sockets are non-blocking, so a read that finds nothing costs one syscall,
//! and this only runs every few milliseconds of a slow script. A client that disconnects is left
//! for the event loop to close (through the kill queue).

use super::event_loop::{flush, read_and_execute};
use crate::server::Server;

/// Reads, executes and answers what every other client has sent.
pub fn serve_clients(server: &mut Server) {
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
