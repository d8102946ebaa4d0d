//! A connected client: its socket, query buffer and parser state, reply buffer, and the per-client
//! state commands see ([`ClientState`]: selected db, name, auth...). Key decision: the reply buffer and
//! the client state are separate fields so a handler can borrow both at once.

use crate::resp::{Argv, Parser, Reply};
use mio::net::TcpStream;

/// Per-client state visible to commands.
#[derive(Debug, Default)]
pub struct ClientState {
    /// Unique id (`CLIENT ID`).
    pub id: u64,
    /// Selected database.
    pub db: usize,
    /// `CLIENT SETNAME` name (empty: none).
    pub name: Vec<u8>,
    /// Authenticated (always true when no password is set).
    pub authenticated: bool,
    /// Peer address `ip:port`.
    pub addr: String,
    /// Local address `ip:port`.
    pub laddr: String,
    /// Socket file descriptor (for `CLIENT LIST`).
    pub fd: i32,
    /// Creation time (unix ms).
    pub created_ms: i64,
    /// Last command time (unix ms).
    pub last_interaction_ms: i64,
    /// Name of the last command (`client`).
    pub last_cmd: &'static str,
    /// Subcommand of the last command (`list`), empty when none.
    pub last_sub: &'static str,
    /// Close the connection once pending replies are written.
    pub close_after_reply: bool,
    /// `CLIENT NO-EVICT on`.
    pub no_evict: bool,
    /// Slot of this connection in `Server::clients`.
    pub slot: usize,
    /// Commands queued after `MULTI` (`None` outside a transaction).
    pub multi: Option<crate::cmd::multi::Queue>,
    /// Keys `WATCH`ed: (database, key).
    pub watched: Vec<(usize, crate::db::Key)>,
    /// Pub/sub subscriptions.
    pub subs: crate::pubsub::Subscriptions,
    /// The blocking command this client waits in (`BLPOP`...), if any.
    pub blocked: Option<Box<crate::blocking::Blocked>>,
    /// Its parsed command is held by `CLIENT PAUSE` (see `crate::cmd::pause`).
    pub postponed: bool,
    /// Blocking commands must answer at once as on timeout (inside EXEC and scripts).
    pub deny_blocking: bool,
    /// `CLIENT REPLY` mode.
    pub reply_mode: ReplyMode,
    /// In `MONITOR` mode.
    pub monitor: bool,
    /// The fake client a script's `redis.call` runs as: commands must not block (blocking
    /// commands answer as if their timeout expired) and must not wake blocked clients before the
    /// script ends.
    pub script: bool,
    /// `SCRIPT DEBUG YES|SYNC`: the next `EVAL` runs in a debugging session.
    pub ldb: Option<crate::script::ldb::Mode>,
}

/// `CLIENT REPLY ON|OFF|SKIP`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    /// Replies are sent.
    #[default]
    On,
    /// No reply is sent.
    Off,
    /// The next command's reply is dropped.
    Skip,
    /// Dropping the reply of the command being executed (set from `Skip`).
    SkipThis,
}

/// A connection: socket plus buffers plus [`ClientState`].
pub struct Conn {
    /// The socket.
    pub stream: TcpStream,
    /// Input buffer; bytes `query_pos..query_end` are read and not yet parsed. Its length is its usable
    /// size (kept initialised so reads need no zeroing).
    pub query: Vec<u8>,
    /// Parse position in `query`.
    pub query_pos: usize,
    /// End of the bytes read into `query`.
    pub query_end: usize,
    /// Resumable request parser.
    pub parser: Parser,
    /// Arguments of the command being parsed/executed.
    pub argv: Argv,
    /// Encoded replies not yet written.
    pub reply: Reply,
    /// Bytes of `reply.buf` already written.
    pub reply_pos: usize,
    /// Waiting for the socket to become writable.
    pub want_write: bool,
    /// State commands see.
    pub state: ClientState,
    /// When the output buffer first went over the soft limit of its class.
    pub soft_limit_since: Option<std::time::Instant>,
}

impl Conn {
    /// Wraps a freshly accepted socket.
    pub fn new(stream: TcpStream, state: ClientState) -> Conn {
        Conn {
            stream,
            query: vec![0; 16 * 1024],
            query_pos: 0,
            query_end: 0,
            parser: Parser::default(),
            argv: Argv::default(),
            reply: Reply::new(),
            reply_pos: 0,
            want_write: false,
            state,
            soft_limit_since: None,
        }
    }

    /// Bytes of unparsed input.
    pub fn query_len(&self) -> usize {
        self.query_end - self.query_pos
    }

    /// Bytes of reply not yet written.
    pub fn pending_output(&self) -> usize {
        self.reply.buf.len() - self.reply_pos
    }
}
