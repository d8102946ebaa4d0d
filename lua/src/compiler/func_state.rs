//! Per-function compiler state: expression descriptors, blocks, and the prototype being built.
//!
//! Design: mirrors Lua 5.1's `FuncState`/`expdesc` so that code generation can follow `lcode.c`'s
//! single-pass algorithm decision for decision; jump lists are threaded through the `sBx` fields of
//! the emitted jumps themselves, with [`NO_JUMP`] ending a list.

use std::collections::HashMap;
use std::rc::Rc;

use crate::proto::{Constant, LocalInfo, Prototype};

/// End of a jump list / "no jump".
pub const NO_JUMP: i32 = -1;
/// "No register" marker for `TESTSET` patching.
pub const NO_REG: i32 = 255;
/// `LUA_MULTRET`.
pub const MULTRET: i32 = -1;

/// What an expression descriptor currently denotes (`expkind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpKind {
    /// No value (empty list).
    Void,
    /// `nil`.
    Nil,
    /// `true`.
    True,
    /// `false`.
    False,
    /// Constant `info`.
    K,
    /// Number constant `nval`.
    KNum,
    /// Local variable in register `info`.
    Local,
    /// Upvalue number `info`.
    Upval,
    /// Global named by constant `info`.
    Global,
    /// Table in register `info`, key RK `aux`.
    Indexed,
    /// Comparison/test whose jump is at pc `info`.
    Jmp,
    /// Instruction at pc `info` whose target register is still to be set.
    Relocable,
    /// Value in fixed register `info`.
    NonReloc,
    /// Open call at pc `info`.
    Call,
    /// `VARARG` at pc `info`.
    VarArg,
}

/// An expression being compiled (`expdesc`).
#[derive(Clone, Copy, Debug)]
pub struct ExpDesc {
    /// The kind.
    pub k: ExpKind,
    /// Register, pc, constant or upvalue index, depending on `k`.
    pub info: i32,
    /// Key operand of an indexed expression.
    pub aux: i32,
    /// Value of a numeric constant.
    pub nval: f64,
    /// Patch list of "exit when true".
    pub t: i32,
    /// Patch list of "exit when false".
    pub f: i32,
}

impl ExpDesc {
    /// A descriptor of kind `k` with `info` and empty jump lists (`init_exp`).
    pub fn new(k: ExpKind, info: i32) -> ExpDesc {
        ExpDesc {
            k,
            info,
            aux: 0,
            nval: 0.0,
            t: NO_JUMP,
            f: NO_JUMP,
        }
    }

    /// A numeric constant.
    pub fn num(nval: f64) -> ExpDesc {
        ExpDesc {
            nval,
            ..ExpDesc::new(ExpKind::KNum, 0)
        }
    }

    /// Whether the jump lists are non-empty.
    pub fn has_jumps(&self) -> bool {
        self.t != self.f
    }

    /// Whether it is a plain numeric constant (foldable).
    pub fn is_numeral(&self) -> bool {
        self.k == ExpKind::KNum && self.t == NO_JUMP && self.f == NO_JUMP
    }

    /// Whether the expression can produce several values.
    pub fn has_multret(&self) -> bool {
        matches!(self.k, ExpKind::Call | ExpKind::VarArg)
    }
}

/// A lexical block (`BlockCnt`).
#[derive(Clone, Debug)]
pub struct BlockCnt {
    /// Jumps out of the loop.
    pub breaklist: i32,
    /// Active locals outside the block.
    pub nactvar: i32,
    /// Whether some local of the block is captured by a closure.
    pub upval: bool,
    /// Whether `break` can leave this block.
    pub isbreakable: bool,
}

/// Key of the constant table: like a Lua table key (so `0` and `-0` coincide).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ConstKey {
    /// `nil`.
    Nil,
    /// A boolean.
    Bool(bool),
    /// A number, by its bits (with `-0` folded into `0`).
    Num(u64),
    /// A string.
    Str(Rc<[u8]>),
}

/// How a closure captures one upvalue: from a local of the enclosing function, or from its upvalue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpvalDesc {
    /// `true` for an enclosing local, `false` for an enclosing upvalue.
    pub from_local: bool,
    /// Register or upvalue index in the enclosing function.
    pub index: i32,
}

/// State of one function being compiled.
pub struct FuncState {
    /// Instructions.
    pub code: Vec<u32>,
    /// Line of each instruction.
    pub line_info: Vec<u32>,
    /// Constants.
    pub constants: Vec<Constant>,
    /// Constant lookup.
    pub const_index: HashMap<ConstKey, i32>,
    /// Nested prototypes.
    pub protos: Vec<Rc<Prototype>>,
    /// Debug info of all locals ever declared.
    pub locvars: Vec<LocalInfo>,
    /// Upvalue names.
    pub upvalue_names: Vec<Box<[u8]>>,
    /// How each upvalue is captured.
    pub upvalues: Vec<UpvalDesc>,
    /// Indices into `locvars` of the active locals, by register.
    pub actvar: Vec<usize>,
    /// Enclosing blocks, innermost last.
    pub blocks: Vec<BlockCnt>,
    /// Target of the last jump (`lasttarget`).
    pub lasttarget: i32,
    /// Pending jumps to the next instruction (`jpc`).
    pub jpc: i32,
    /// First free register.
    pub freereg: i32,
    /// Number of active locals.
    pub nactvar: i32,
    /// `Prototype::max_stack_size`.
    pub max_stack_size: i32,
    /// `Prototype::is_vararg` bits.
    pub is_vararg: u8,
    /// Fixed parameters.
    pub num_params: u8,
    /// Line of `function`.
    pub line_defined: u32,
    /// Line of `end`.
    pub last_line_defined: u32,
}

impl FuncState {
    /// A fresh function (`open_func`).
    pub fn new(line_defined: u32) -> FuncState {
        FuncState {
            code: Vec::new(),
            line_info: Vec::new(),
            constants: Vec::new(),
            const_index: HashMap::new(),
            protos: Vec::new(),
            locvars: Vec::new(),
            upvalue_names: Vec::new(),
            upvalues: Vec::new(),
            actvar: Vec::new(),
            blocks: Vec::new(),
            lasttarget: -1,
            jpc: NO_JUMP,
            freereg: 0,
            nactvar: 0,
            max_stack_size: 2,
            is_vararg: 0,
            num_params: 0,
            line_defined,
            last_line_defined: 0,
        }
    }

    /// Current pc.
    pub fn pc(&self) -> i32 {
        self.code.len() as i32
    }

    /// Debug info of the active local in register `reg`.
    pub fn local_info(&mut self, reg: i32) -> &mut LocalInfo {
        let idx = self.actvar[reg as usize];
        &mut self.locvars[idx]
    }

    /// Turns the finished state into a prototype.
    pub fn finish(self, source: Rc<[u8]>) -> Prototype {
        Prototype {
            source,
            line_defined: self.line_defined,
            last_line_defined: self.last_line_defined,
            num_upvalues: self.upvalue_names.len() as u8,
            num_params: self.num_params,
            is_vararg: self.is_vararg,
            max_stack_size: self.max_stack_size as u8,
            code: self.code,
            constants: self.constants,
            protos: self.protos,
            line_info: self.line_info,
            locals: self.locvars,
            upvalue_names: self.upvalue_names,
        }
    }
}
