//! The embedding API: a [`Lua`] state owns an arena, loads chunks and runs them in fuel-bounded
//! slices with the collector running between slices.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use gc_arena::arena::CollectionPhase;
use gc_arena::metrics::Pacing;
use gc_arena::{lock::Lock, Arena, Gc, Rootable};

use crate::function::{FunctionProto, LuaClosure, NativeClosure, UpValueState};
use crate::proto::Prototype;
use crate::stdlib;
use crate::value::Value;
use crate::vm::call::{self, RunStatus};
use crate::vm::{gc, Ctx, GlobalState};

/// Instructions (counted at calls and backward jumps) per slice between collector steps.
const SLICE_FUEL: i64 = 4096;

/// Collector pacing: sleep until allocations since the last cycle reach half the live objects (plus
/// live bytes, credited in `after_cycle`), at least 1024; the work factors are gc-arena's defaults.
/// A sleep factor of 1.0 lets garbage allocated during a cycle inflate the next one without bound;
/// 0.5 and 1024 keep peak memory within 2x of lua5.1 on the benchmarks.
const PACING: Pacing = Pacing {
    sleep_factor: 0.5,
    min_sleep: 1024,
    ..Pacing::DEFAULT
};

/// How an error left a host call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorValue {
    /// `error(nil)` / `error()`.
    Nil,
    /// A string or number error, as text.
    Text(Vec<u8>),
    /// Any other value; the name of its type.
    Other(&'static str),
}

/// A failed load or call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LuaError {
    /// The error value.
    pub value: ErrorValue,
    /// lua5.1-style traceback (runtime errors only).
    pub traceback: Option<String>,
}

impl LuaError {
    /// The message as lua.c's `report` shows it (`(error object is not a string)` for tables...).
    pub fn message(&self) -> Option<Vec<u8>> {
        match &self.value {
            ErrorValue::Nil => None,
            ErrorValue::Text(t) => Some(t.clone()),
            ErrorValue::Other(_) => Some(b"(error object is not a string)".to_vec()),
        }
    }
}

/// Progress of a call driven by [`Lua::start`] and [`Lua::resume`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallStatus {
    /// The call has more to run.
    Pending,
    /// The call finished (its results are in [`results`] on `Ok`).
    Done(Result<(), LuaError>),
}

/// A Lua state.
pub struct Lua {
    arena: Arena<Rootable![GlobalState<'_>]>,
    interrupt: Arc<AtomicBool>,
}

impl Default for Lua {
    fn default() -> Self {
        Self::new()
    }
}

impl Lua {
    /// A state with the standard library loaded.
    pub fn new() -> Lua {
        let arena = Arena::<Rootable![GlobalState<'_>]>::new(|mc| GlobalState::new(mc));
        let lua = Lua {
            arena,
            interrupt: Arc::new(AtomicBool::new(false)),
        };
        lua.arena.metrics().set_pacing(PACING);
        lua.mutate(stdlib::open_all);
        lua
    }

    /// Runs `f` with the execution context (no Lua code runs during it).
    pub fn mutate<R>(&self, f: impl for<'gc> FnOnce(Ctx<'gc>) -> R) -> R {
        self.arena.mutate(|mc, state| f(Ctx { mc, state }))
    }

    /// A flag that, once set, makes the running chunk fail with `interrupted!` at its next slice.
    pub fn interrupt_handle(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    /// Loads a chunk: compiles source text, or undumps a binary chunk (`string.dump`'s output).
    pub fn compile(source: &[u8], chunkname: &[u8]) -> Result<Rc<Prototype>, LuaError> {
        crate::dump::load_chunk(source, chunkname)
            .map(Rc::new)
            .map_err(|message| LuaError {
                value: ErrorValue::Text(message),
                traceback: None,
            })
    }

    /// Compiles and runs a chunk with `args` as its `...`.
    pub fn exec(
        &mut self,
        source: &[u8],
        chunkname: &[u8],
        args: &[Vec<u8>],
    ) -> Result<(), LuaError> {
        let proto = Self::compile(source, chunkname)?;
        self.run_proto(&proto, args)
    }

    /// Runs a compiled chunk with `args` (strings) as its `...`.
    pub fn run_proto(&mut self, proto: &Rc<Prototype>, args: &[Vec<u8>]) -> Result<(), LuaError> {
        let started = self.mutate(|ctx| {
            let function = load_function(ctx, proto);
            let args: Vec<Value> = args.iter().map(|a| ctx.str(a)).collect();
            call::start_call(ctx, function, &args).map(|s| finish(ctx, s))
        });
        if let Some(result) = started {
            return result;
        }
        self.run_to_completion()
    }

    /// Calls the function `prepare` returns with the arguments it returns (`prepare` runs in the
    /// arena just before the call starts, so it can pick globals or [`results`] of the previous
    /// call), then runs it to completion like [`Lua::run_proto`]. After `Ok`, [`results`] holds
    /// what the function returned.
    pub fn call(
        &mut self,
        prepare: impl for<'gc> FnOnce(Ctx<'gc>) -> (Value<'gc>, Vec<Value<'gc>>),
    ) -> Result<(), LuaError> {
        let started = self.mutate(|ctx| {
            let (function, args) = prepare(ctx);
            call::start_call(ctx, function, &args).map(|s| finish(ctx, s))
        });
        if let Some(result) = started {
            return result;
        }
        self.run_to_completion()
    }

    fn run_to_completion(&mut self) -> Result<(), LuaError> {
        loop {
            if let Some(result) = self.run_slice(SLICE_FUEL) {
                return result;
            }
        }
    }

    /// Runs one slice of the call in progress (at most `fuel` instructions, counted at calls and
    /// backward jumps), then lets the collector work. `Some` once the call has finished.
    fn run_slice(&mut self, mut fuel: i64) -> Option<Result<(), LuaError>> {
        if self.interrupt.swap(false, Ordering::Relaxed) {
            let done =
                self.mutate(|ctx| call::raise_error(ctx, b"interrupted!").map(|s| finish(ctx, s)));
            if done.is_some() {
                return done;
            }
        }
        let done = self.mutate(|ctx| match call::run(ctx, &mut fuel) {
            RunStatus::Pending => None,
            status => Some(finish(ctx, status)),
        });
        if done.is_some() {
            return done;
        }
        let requested = self.mutate(|ctx| ctx.state.collection_requested.replace(false));
        if requested {
            self.collect_garbage();
        } else if self.arena.metrics().allocation_debt() > 0.0 {
            self.collect_step();
        }
        None
    }

    /// Starts a call like [`Lua::call`] without running it: the host then drives it with
    /// [`Lua::resume`], free to do other work between slices (a server answering other clients
    /// while a long script runs). A call that completes without running Lua code (a native that
    /// returns at once, or an immediate error) is already [`CallStatus::Done`].
    pub fn start(
        &mut self,
        prepare: impl for<'gc> FnOnce(Ctx<'gc>) -> (Value<'gc>, Vec<Value<'gc>>),
    ) -> CallStatus {
        let started = self.mutate(|ctx| {
            let (function, args) = prepare(ctx);
            call::start_call(ctx, function, &args).map(|s| finish(ctx, s))
        });
        match started {
            Some(result) => CallStatus::Done(result),
            None => CallStatus::Pending,
        }
    }

    /// Runs the call begun by [`Lua::start`] for about `fuel` instructions (counted at calls and
    /// backward jumps; in slices of at most `SLICE_FUEL`, with the collector running between
    /// slices). A host that checks time or memory between calls picks `fuel` as its check
    /// interval. After `Done(Ok)`, [`results`] holds what the function returned.
    pub fn resume(&mut self, mut fuel: i64) -> CallStatus {
        while fuel > 0 {
            let slice = fuel.min(SLICE_FUEL);
            fuel -= slice;
            if let Some(result) = self.run_slice(slice) {
                return CallStatus::Done(result);
            }
        }
        CallStatus::Pending
    }

    /// Raises a runtime error (`chunk:line: message`) in the call begun by [`Lua::start`], as if
    /// its current instruction had failed: it unwinds to the nearest `pcall` like any error. A
    /// host that wants the call to stop for good raises again before each further slice.
    pub fn raise(&mut self, message: &[u8]) -> CallStatus {
        match self.mutate(|ctx| call::raise_error(ctx, message).map(|s| finish(ctx, s))) {
            Some(result) => CallStatus::Done(result),
            None => CallStatus::Pending,
        }
    }

    /// Closes the state as `lua_close` does: runs the `__gc` finalizer of every userdata that has
    /// one, newest first. Errors in finalizers are ignored.
    pub fn close(&mut self) {
        let started = self.mutate(|ctx| {
            ctx.state
                .gc_registry
                .borrow_mut(ctx.mc)
                .schedule_all(ctx.mc);
            let pending: Vec<Value> = gc::take_pending(ctx)
                .into_iter()
                .map(Value::UserData)
                .collect();
            let runner = NativeClosure::function(ctx.mc, "__gc", gc::run_finalizers, Vec::new());
            call::start_call(ctx, runner, &pending).map(|s| finish(ctx, s))
        });
        if started.is_none() {
            let _ = self.run_to_completion();
        }
    }

    /// Runs a full collection cycle (first finishing one in progress).
    pub fn collect_garbage(&mut self) {
        let was_sleeping = self.arena.collection_phase() == CollectionPhase::Sleeping;
        self.finish_current_cycle();
        if !was_sleeping {
            self.finish_current_cycle();
        }
    }

    fn finish_current_cycle(&mut self) {
        if self.arena.collection_phase() != CollectionPhase::Sweeping {
            self.arena.finish_marking();
            self.finalize_and_start_sweeping();
        }
        self.arena.finish_cycle();
        self.after_cycle();
    }

    /// Pays the collector's debt incrementally, running the end-of-marking work when marking ends.
    fn collect_step(&mut self) {
        if self.arena.collection_phase() != CollectionPhase::Sweeping {
            self.arena.finish_marking();
            self.finalize_and_start_sweeping();
        }
        self.arena.cycle_debt();
        if self.arena.collection_phase() == CollectionPhase::Sleeping {
            self.after_cycle();
        }
    }

    /// With marking complete: resurrect finalizable userdata, finish marking what they reach,
    /// clear dead strings and weak entries, and start sweeping — all before the mutator runs again,
    /// since the interner's dead entries are gone only until then (see `Interner`) and a write
    /// barrier would send the collector back to marking.
    fn finalize_and_start_sweeping(&mut self) {
        if let Some(marked) = self.arena.finish_marking() {
            marked.finalize(gc::resurrect_finalizable);
        }
        if let Some(marked) = self.arena.finish_marking() {
            marked.finalize(gc::clear_dead);
        }
        if let Some(marked) = self.arena.finish_marking() {
            marked.start_sweeping();
        }
    }

    /// After a cycle: gc-arena sleeps in proportion to the number of live objects; Lua sleeps in
    /// proportion to live bytes (PUC-Rio's pause). Buffers outside `Gc` headers are credited so a
    /// few huge tables or strings lengthen the sleep as much as many small objects would.
    fn after_cycle(&mut self) {
        let pause = self.mutate(|ctx| ctx.state.gc_settings.get()[0]).max(0) as f64 / 100.0;
        let external = crate::heap::external_bytes() as f64 / crate::heap::BYTES_PER_OBJECT;
        self.arena
            .metrics()
            .adjust_debt(-external * (pause - 1.0).max(0.0));
    }

    /// Estimated bytes in use: `Gc` objects plus the buffers strings and tables hold.
    pub fn heap_estimate(&self) -> usize {
        let objects = self.arena.metrics().total_gc_count() as f64 * crate::heap::BYTES_PER_OBJECT;
        objects as usize + crate::heap::external_bytes()
    }
}

/// Makes a closure of a compiled main chunk with the globals as its environment. A loaded
/// binary chunk may come from a function with upvalues: they start as fresh `nil`s, as in 5.1.
pub fn load_function<'gc>(ctx: Ctx<'gc>, proto: &Rc<Prototype>) -> Value<'gc> {
    let upvalues = (0..proto.num_upvalues)
        .map(|_| Gc::new(ctx.mc, Lock::new(UpValueState::Closed(Value::Nil))))
        .collect();
    let proto = FunctionProto::load(ctx, proto);
    Value::LuaFunction(Gc::new(
        ctx.mc,
        LuaClosure {
            proto,
            upvalues,
            env: Lock::new(ctx.globals()),
        },
    ))
}

/// The values returned by the last host call ([`Lua::run_proto`], [`Lua::exec`], [`Lua::call`])
/// that finished without error; valid until the next call starts. A REPL reads them to print
/// the values of an expression.
pub fn results<'gc>(ctx: Ctx<'gc>) -> Vec<Value<'gc>> {
    // A finished host call leaves exactly its results on the main thread's stack, from slot 0
    // (where the function was).
    ctx.state.main_thread.0.state.borrow().stack.clone()
}

fn finish<'gc>(ctx: Ctx<'gc>, status: RunStatus<'gc>) -> Result<(), LuaError> {
    match status {
        RunStatus::Pending | RunStatus::Finished => Ok(()),
        RunStatus::Failed { error, traceback } => {
            let value = match error {
                Value::Nil => ErrorValue::Nil,
                Value::String(s) => ErrorValue::Text(s.as_bytes().to_vec()),
                Value::Number(n) => {
                    ErrorValue::Text(crate::vm::ops::number_to_string(ctx, n).as_bytes().to_vec())
                }
                other => ErrorValue::Other(other.type_name()),
            };
            let traceback = match value {
                ErrorValue::Text(_) => Some(traceback),
                _ => None,
            };
            Err(LuaError { value, traceback })
        }
    }
}
