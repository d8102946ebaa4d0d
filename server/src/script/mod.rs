//! Scripting: `EVAL`/`EVALSHA`/`SCRIPT` ([`eval`]) and `FUNCTION`/`FCALL` ([`function`]) on the
//! ferrous-lua interpreter, with Redis 7.0's semantics.
//!
//! - [`engine`]: a sandboxed Lua state as Redis builds it; compiled functions held by handles.
//! - [`lib`]: the `redis` table and the globals Redis replaces (`pcall`, `math.random`).
//! - [`convert`]: Redis replies ↔ Lua values.
//! - [`run`]: the checks on each `redis.call` and the sliced driver (BUSY, KILL, memory bound).
//! - [`host`]: how the natives reach the server during a slice.
//! - [`flags`]: `#!lua flags=...` shebang lines.
//! - [`ldb`]: the Lua debugger (`SCRIPT DEBUG`, `redis-cli --ldb`).
//!
//! Key decision: one Lua state for scripts and one for function libraries, owned by
//! [`Scripting`] in the server and taken out of it while a call runs, so the natives can be lent
//! the whole `&mut Server` without aliasing the state that runs them.

pub mod convert;
pub mod dump;
pub mod engine;
pub mod eval;
pub mod flags;
pub mod function;
pub mod host;
pub mod ldb;
pub mod lib;
pub mod run;

use engine::{Engine, Handle};
use std::collections::HashMap;

/// A script in the `EVAL` cache.
pub struct Script {
    /// The body as given (for `SCRIPT` introspection and `FUNCTION DUMP`-like needs).
    pub body: Vec<u8>,
    /// The compiled function.
    pub func: Handle,
    /// Its shebang flags.
    pub flags: flags::Flags,
}

/// Every scripting state of the server.
#[derive(Default)]
pub struct Scripting {
    /// The `EVAL` Lua state (created on first use; out of here while a script runs, boxed so that
    /// taking it out moves a pointer).
    pub eval: Option<Box<Engine>>,
    /// Scripts by lowercase hex SHA1.
    pub scripts: HashMap<String, Script, crate::db::Hasher>,
    /// Function libraries and their Lua state.
    pub functions: function::Functions,
    /// The script or function running now.
    pub running: Option<run::Running>,
    /// The state of the last run, reused by the next (out of here while a script runs).
    pub spare: Option<Box<run::ScriptRun>>,
}

impl Scripting {
    /// The `BUSY` error for other clients while a script runs past the threshold, if one does.
    pub fn busy_error(&self) -> Option<&'static str> {
        match &self.running {
            Some(r) if r.busy && r.function => Some(
                "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.",
            ),
            Some(r) if r.busy => Some(
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
            ),
            _ => None,
        }
    }

    /// Bytes used by the scripting states (`INFO memory` used_memory_lua / vm).
    pub fn memory(&self) -> usize {
        self.eval.as_ref().map_or(0, |e| e.lua.heap_estimate())
    }
}
