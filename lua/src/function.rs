//! Function objects: loaded prototypes, Lua closures with their upvalues, and native closures.
//!
//! A prototype is loaded once into a [`FunctionProto`], whose constants are Lua values, and shared
//! by every closure made from it. An upvalue is open while its variable still lives in a thread's
//! stack (it then names the slot) and closed once that scope ends (it then holds the value).

use std::rc::Rc;

use gc_arena::{lock::Lock, Collect, Gc, Mutation};

use crate::callback::NativeFn;
use crate::proto::{Constant, Prototype};
use crate::string::LuaString;
use crate::table::Table;
use crate::thread::Thread;
use crate::value::Value;
use crate::vm::Ctx;

/// A prototype loaded into an arena: constants as values, nested prototypes loaded too.
#[derive(Collect)]
#[collect(no_drop)]
pub struct FunctionProto<'gc> {
    /// The instructions (a copy of `info.code`, kept here so the VM reads one allocation).
    #[collect(require_static)]
    pub code: Box<[u32]>,
    /// Constants as Lua values.
    pub constants: Box<[Value<'gc>]>,
    /// Nested functions.
    pub protos: Box<[Gc<'gc, FunctionProto<'gc>>]>,
    /// Debug information and the original prototype (for `string.dump`).
    #[collect(require_static)]
    pub info: Rc<Prototype>,
    /// Short source name for messages (`file.lua`, `[string "..."]`).
    pub short_src: LuaString<'gc>,
    /// Registers a frame needs (`info.max_stack_size`, kept here for the call path).
    #[collect(require_static)]
    pub max_stack: usize,
    /// Fixed parameters (`info.num_params`).
    #[collect(require_static)]
    pub num_params: usize,
    /// Whether the function takes `...` (`info.is_vararg` has `VARARG_ISVARARG`).
    #[collect(require_static)]
    pub is_vararg: bool,
}

impl<'gc> FunctionProto<'gc> {
    /// Loads a compiled prototype (and its nested ones) into the arena.
    pub fn load(ctx: Ctx<'gc>, proto: &Rc<Prototype>) -> Gc<'gc, FunctionProto<'gc>> {
        let short_src = ctx.intern(&crate::proto::chunk_id(&proto.source));
        Self::load_with_src(ctx, proto, short_src)
    }

    fn load_with_src(
        ctx: Ctx<'gc>,
        proto: &Rc<Prototype>,
        short_src: LuaString<'gc>,
    ) -> Gc<'gc, FunctionProto<'gc>> {
        let constants = proto
            .constants
            .iter()
            .map(|c| match c {
                Constant::Nil => Value::Nil,
                Constant::Boolean(b) => Value::Boolean(*b),
                Constant::Number(n) => Value::Number(*n),
                Constant::String(s) => Value::String(ctx.intern(s)),
            })
            .collect();
        let protos = proto
            .protos
            .iter()
            .map(|p| Self::load_with_src(ctx, p, short_src))
            .collect();
        Gc::new(
            ctx.mc,
            FunctionProto {
                code: proto.code.clone().into_boxed_slice(),
                constants,
                protos,
                info: proto.clone(),
                short_src,
                max_stack: proto.max_stack_size as usize,
                num_params: proto.num_params as usize,
                is_vararg: proto.is_vararg & crate::opcode::VARARG_ISVARARG != 0,
            },
        )
    }
}

/// Where an upvalue's variable lives.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub enum UpValueState<'gc> {
    /// Still in stack slot `index` of `thread`.
    Open(Thread<'gc>, #[collect(require_static)] usize),
    /// Captured: the value itself.
    Closed(Value<'gc>),
}

/// A shared upvalue cell.
pub type UpValue<'gc> = Gc<'gc, Lock<UpValueState<'gc>>>;

/// A Lua function: a prototype plus upvalues and an environment.
#[derive(Collect)]
#[collect(no_drop)]
pub struct LuaClosure<'gc> {
    /// The code.
    pub proto: Gc<'gc, FunctionProto<'gc>>,
    /// Captured variables.
    pub upvalues: Box<[UpValue<'gc>]>,
    /// The function environment (`getfenv`/`setfenv`); globals resolve through it.
    pub env: Lock<Table<'gc>>,
}

/// A function written in Rust, with optional upvalues.
#[derive(Collect)]
#[collect(no_drop)]
pub struct NativeClosure<'gc> {
    /// The code.
    #[collect(require_static)]
    pub func: NativeFn,
    /// Name used when no better one is known (for messages).
    #[collect(require_static)]
    pub name: &'static str,
    /// Values bound to this closure.
    pub upvalues: Box<[Value<'gc>]>,
    /// Environment (`getfenv` of a native returns it).
    pub env: Lock<Option<Table<'gc>>>,
}

impl<'gc> NativeClosure<'gc> {
    /// Makes a native function value.
    pub fn function(
        mc: &Mutation<'gc>,
        name: &'static str,
        func: NativeFn,
        upvalues: Vec<Value<'gc>>,
    ) -> Value<'gc> {
        Value::NativeFunction(Gc::new(
            mc,
            NativeClosure {
                func,
                name,
                upvalues: upvalues.into_boxed_slice(),
                env: Lock::new(None),
            },
        ))
    }
}
