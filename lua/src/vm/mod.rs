//! The virtual machine: global state, the execution context natives receive, and the run loop.
//!
//! Layout: [`frame`] describes calls, [`execute`] is the instruction dispatch loop, [`call`] sets up
//! calls, delivers results and unwinds errors, [`ops`] holds the operations with metamethod
//! fallbacks, [`debug`] names variables for messages and builds tracebacks, [`meta`] lists the
//! metamethod events, [`hook`] runs debug hooks.

pub mod call;
pub mod debug;
pub mod execute;
pub mod frame;
pub mod gc;
pub mod hook;
pub mod meta;
pub mod ops;

use std::cell::Cell;

use gc_arena::{lock::RefLock, Collect, DynamicRootSet, Gc, Mutation};

use crate::string::{Interner, LuaString};
use crate::table::Table;
use crate::thread::Thread;
use crate::value::Value;

use self::meta::{MetaNames, NUM_TYPES};

/// Everything a Lua state owns; the arena's root.
#[derive(Collect)]
#[collect(no_drop)]
pub struct GlobalState<'gc> {
    /// The global table (default environment).
    pub globals: Table<'gc>,
    /// The registry (`debug.getregistry`).
    pub registry: Table<'gc>,
    /// The main thread.
    pub main_thread: Thread<'gc>,
    /// Threads currently resumed, innermost last; the last one runs.
    pub running: Gc<'gc, RefLock<Vec<Thread<'gc>>>>,
    /// All strings.
    pub interner: Gc<'gc, RefLock<Interner<'gc>>>,
    /// Metatables shared by all values of a type (strings have one), indexed by type tag.
    pub type_metatables: Gc<'gc, RefLock<[Option<Table<'gc>>; NUM_TYPES]>>,
    /// Pre-interned metamethod names.
    pub names: MetaNames<'gc>,
    /// Weak tables and finalizable userdata.
    pub gc_registry: Gc<'gc, RefLock<gc::GcRegistry<'gc>>>,
    /// Values kept alive for the host between calls.
    pub roots: DynamicRootSet<'gc>,
    /// Set by `collectgarbage("collect")`: the host runs a full cycle after the current slice.
    #[collect(require_static)]
    pub collection_requested: Cell<bool>,
    /// `setpause` and `setstepmul` as last set (reported back like 5.1 does).
    #[collect(require_static)]
    pub gc_settings: Cell<[i64; 2]>,
    /// Whether `load`/`loadstring` accept binary chunks (true by default). An embedder that runs
    /// untrusted code (Redis scripting) turns it off: binary input is then parsed as source text,
    /// which fails with a syntax error, as in Redis's Lua where undump is disabled.
    #[collect(require_static)]
    pub bytecode_allowed: Cell<bool>,
}

/// The context every native function gets: allocation and the global state.
#[derive(Clone, Copy)]
pub struct Ctx<'gc> {
    /// The arena mutation handle.
    pub mc: &'gc Mutation<'gc>,
    /// The global state.
    pub state: &'gc GlobalState<'gc>,
}

impl<'gc> Ctx<'gc> {
    /// Interns a string.
    #[inline]
    pub fn intern(self, bytes: &[u8]) -> LuaString<'gc> {
        self.state
            .interner
            .borrow_mut(self.mc)
            .intern(self.mc, bytes)
    }

    /// Interns a string and wraps it as a value.
    #[inline]
    pub fn str(self, bytes: impl AsRef<[u8]>) -> Value<'gc> {
        Value::String(self.intern(bytes.as_ref()))
    }

    /// The global table.
    pub fn globals(self) -> Table<'gc> {
        self.state.globals
    }

    /// The metatable of any value (per-table/userdata, or the type's).
    #[inline]
    pub fn metatable(self, v: Value<'gc>) -> Option<Table<'gc>> {
        match v {
            Value::Table(t) => t.metatable(),
            Value::UserData(u) => u.metatable(),
            other => self.state.type_metatables.borrow()[other.type_tag()],
        }
    }

    /// Sets the metatable shared by all values of `v`'s type.
    pub fn set_type_metatable(self, v: Value<'gc>, mt: Option<Table<'gc>>) {
        self.state.type_metatables.borrow_mut(self.mc)[v.type_tag()] = mt;
    }

    /// A metamethod of `v` by name (`nil` if absent).
    pub fn metamethod(self, v: Value<'gc>, name: &str) -> Value<'gc> {
        match self.metatable(v) {
            Some(mt) => mt.get_str(self.intern(name.as_bytes())),
            None => Value::Nil,
        }
    }

    /// The currently running thread.
    pub fn current_thread(self) -> Thread<'gc> {
        *self
            .state
            .running
            .borrow()
            .last()
            .unwrap_or(&self.state.main_thread)
    }
}

impl<'gc> GlobalState<'gc> {
    /// A fresh state with empty globals.
    pub fn new(mc: &'gc Mutation<'gc>) -> GlobalState<'gc> {
        let interner = Gc::new(mc, RefLock::new(Interner::default()));
        let names = MetaNames::new(mc, &mut interner.borrow_mut(mc));
        let globals = Table::new(mc);
        let main_thread = Thread::new(mc);
        main_thread.set_status(crate::thread::ThreadStatus::Running);
        GlobalState {
            globals,
            registry: Table::new(mc),
            main_thread,
            running: Gc::new(mc, RefLock::new(vec![main_thread])),
            interner,
            type_metatables: Gc::new(mc, RefLock::new([None; NUM_TYPES])),
            names,
            gc_registry: Gc::new(mc, RefLock::new(gc::GcRegistry::default())),
            roots: DynamicRootSet::new(mc),
            collection_requested: Cell::new(false),
            gc_settings: Cell::new([200, 200]),
            bytecode_allowed: Cell::new(true),
        }
    }

    /// Asks the host to run a full collection at the end of the current slice.
    pub fn request_collection(&self) {
        self.collection_requested.set(true);
    }

    /// Replaces GC setting `which` (0 = pause, 1 = step multiplier), returning the old value.
    pub fn swap_gc_setting(&self, which: usize, value: i64) -> i64 {
        let mut settings = self.gc_settings.get();
        let old = settings[which];
        settings[which] = value;
        self.gc_settings.set(settings);
        old
    }
}
