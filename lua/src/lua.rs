//! The embedding API: a [`Lua`] state owns an arena, loads chunks and runs them in fuel-bounded
//! slices with the collector running between slices.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use gc_arena::{lock::Lock, Arena, Gc, Rootable};

use crate::function::{FunctionProto, LuaClosure, UpValueState};
use crate::proto::Prototype;
use crate::stdlib;
use crate::value::Value;
use crate::vm::call::{self, RunStatus};
use crate::vm::{Ctx, GlobalState};

/// Instructions (counted at calls and backward jumps) per slice between collector steps.
const SLICE_FUEL: i64 = 4096;

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

    fn run_to_completion(&mut self) -> Result<(), LuaError> {
        loop {
            if self.interrupt.swap(false, Ordering::Relaxed) {
                let done = self
                    .mutate(|ctx| call::raise_error(ctx, b"interrupted!").map(|s| finish(ctx, s)));
                if let Some(result) = done {
                    return result;
                }
            }
            let mut fuel = SLICE_FUEL;
            let done = self.mutate(|ctx| match call::run(ctx, &mut fuel) {
                RunStatus::Pending => None,
                status => Some(finish(ctx, status)),
            });
            if let Some(result) = done {
                return result;
            }
            let requested = self.mutate(|ctx| ctx.state.collection_requested.replace(false));
            if requested {
                self.arena.finish_cycle();
            } else if self.arena.metrics().allocation_debt() > 0.0 {
                self.arena.collect_debt();
            }
        }
    }

    /// Runs a full collection cycle.
    pub fn collect_garbage(&mut self) {
        self.arena.finish_cycle();
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
