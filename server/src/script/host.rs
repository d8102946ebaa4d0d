//! The bridge from the `redis.*` natives back to the server. A native is a plain function the Lua
//! VM calls with no host data, so the script runner lends the natives its [`Host`] (the server and
//! the running script's state) through a scoped thread-local pointer for exactly the duration of one
//! slice of Lua execution. Key decision: [`with_host`] takes the pointer out while it lends it, so
//! the borrow is unique even if a native were re-entered, and a native called outside a slice (or
//! re-entered) simply sees no host.

use super::run::ScriptRun;
use crate::server::Server;
use std::cell::Cell;

/// What the natives may touch while a script runs.
pub struct Host<'a> {
    /// The whole server (databases, config, stats).
    pub server: &'a mut Server,
    /// The running script's own state (fake client, flags, RESP version...).
    pub run: &'a mut ScriptRun,
}

thread_local! {
    static HOST: Cell<*mut Host<'static>> = const { Cell::new(std::ptr::null_mut()) };
}

/// Lends `host` to the natives while `f` runs (one slice of Lua execution).
pub fn lend<R>(host: &mut Host<'_>, f: impl FnOnce() -> R) -> R {
    struct Restore(*mut Host<'static>);
    impl Drop for Restore {
        fn drop(&mut self) {
            HOST.with(|h| h.set(self.0));
        }
    }
    let ptr: *mut Host<'static> = (host as *mut Host<'_>).cast();
    let _restore = Restore(HOST.with(|h| h.replace(ptr)));
    f()
}

/// Runs `f` with the host lent by the running script, or returns `None` when no script is running
/// on this thread (or the host is already in use further up the call stack).
pub fn with_host<R>(f: impl FnOnce(&mut Host<'_>) -> R) -> Option<R> {
    let ptr = HOST.with(|h| h.replace(std::ptr::null_mut()));
    if ptr.is_null() {
        return None;
    }
    struct Restore(*mut Host<'static>);
    impl Drop for Restore {
        fn drop(&mut self) {
            HOST.with(|h| h.set(self.0));
        }
    }
    let _restore = Restore(ptr);
    // SAFETY: `ptr` was set by `lend` from a `&mut Host` that outlives the `lend` call we are
    // inside (it is restored to the previous value when `lend` returns), and it was taken out of
    // the cell above, so this is the only live reference to it until `_restore` puts it back.
    let host = unsafe { &mut *ptr };
    Some(f(host))
}
