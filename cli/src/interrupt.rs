//! Ctrl-C, as lua.c handles SIGINT: while a chunk runs, the first SIGINT makes it fail with
//! `interrupted!` at its next slice (through [`ferrous_lua::Lua::interrupt_handle`]); a second one
//! before the first was noticed (a native blocked in `io.read`, say), or one while no chunk runs,
//! has the default effect and ends the process. At the REPL's prompt the terminal is in raw mode
//! and Ctrl-C is a key that rustyline reports instead; in the moments between the prompt and a
//! chunk starting, the line-editing REPL ignores SIGINT ([`Interrupt::keep_alive`]) rather than
//! dying.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use signal_hook::consts::SIGINT;

/// The installed handler's switches.
pub struct Interrupt {
    /// Whether a chunk is running (SIGINT interrupts it rather than ending the process).
    armed: Arc<AtomicBool>,
    /// The state's interrupt flag.
    flag: Arc<AtomicBool>,
    /// Whether a SIGINT while no chunk runs is ignored.
    keep_alive: Arc<AtomicBool>,
}

impl Interrupt {
    /// Installs the SIGINT handler for the state whose interrupt flag is `flag`.
    pub fn install(flag: Arc<AtomicBool>) -> Interrupt {
        let armed = Arc::new(AtomicBool::new(false));
        let keep_alive = Arc::new(AtomicBool::new(false));
        let (a, f, k) = (armed.clone(), flag.clone(), keep_alive.clone());
        // SAFETY: the action only touches atomics and calls `emulate_default_handler`, which
        // is async-signal-safe.
        let _ = unsafe {
            signal_hook::low_level::register(SIGINT, move || {
                if a.load(Ordering::SeqCst) {
                    if !f.swap(true, Ordering::SeqCst) {
                        return;
                    }
                } else if k.load(Ordering::SeqCst) {
                    return;
                }
                let _ = signal_hook::low_level::emulate_default_handler(SIGINT);
            })
        };
        Interrupt {
            armed,
            flag,
            keep_alive,
        }
    }

    /// From now on a SIGINT while no chunk runs is ignored (the line-editing REPL).
    pub fn keep_alive(&self) {
        self.keep_alive.store(true, Ordering::SeqCst);
    }

    /// Runs `f` (which runs Lua code) with Ctrl-C interrupting it.
    pub fn guard<R>(&self, f: impl FnOnce() -> R) -> R {
        self.flag.store(false, Ordering::SeqCst);
        self.armed.store(true, Ordering::SeqCst);
        let result = f();
        self.armed.store(false, Ordering::SeqCst);
        self.flag.store(false, Ordering::SeqCst);
        result
    }
}
