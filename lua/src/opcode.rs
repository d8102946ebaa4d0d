//! The instruction set: Lua 5.1's register machine, encoded exactly as PUC-Rio Lua 5.1 does.
//!
//! An instruction is a `u32`: opcode in the low 6 bits, then `A` (8 bits), `C` (9 bits), `B` (9 bits);
//! or `A` and an 18-bit `Bx`, signed as `sBx` by subtracting [`MAX_SBX`]. Operands named `RK` are a
//! register when below [`BITRK`] and constant `index - BITRK` otherwise. One table ([`OPCODES`]) holds
//! each opcode's name and operand format; the compiler, the VM and the disassembler all read it.

/// Every opcode of Lua 5.1, in PUC-Rio's numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum OpCode {
    /// `R(A) := R(B)`
    Move,
    /// `R(A) := Kst(Bx)`
    LoadK,
    /// `R(A) := (Bool)B; if (C) pc++`
    LoadBool,
    /// `R(A) := ... := R(B) := nil`
    LoadNil,
    /// `R(A) := UpValue[B]`
    GetUpval,
    /// `R(A) := Gbl[Kst(Bx)]`
    GetGlobal,
    /// `R(A) := R(B)[RK(C)]`
    GetTable,
    /// `Gbl[Kst(Bx)] := R(A)`
    SetGlobal,
    /// `UpValue[B] := R(A)`
    SetUpval,
    /// `R(A)[RK(B)] := RK(C)`
    SetTable,
    /// `R(A) := {} (size = B,C)`, sizes encoded as floating point bytes ([`int2fb`]).
    NewTable,
    /// `R(A+1) := R(B); R(A) := R(B)[RK(C)]`
    SelfOp,
    /// `R(A) := RK(B) + RK(C)`
    Add,
    /// `R(A) := RK(B) - RK(C)`
    Sub,
    /// `R(A) := RK(B) * RK(C)`
    Mul,
    /// `R(A) := RK(B) / RK(C)`
    Div,
    /// `R(A) := RK(B) % RK(C)`
    Mod,
    /// `R(A) := RK(B) ^ RK(C)`
    Pow,
    /// `R(A) := -R(B)`
    Unm,
    /// `R(A) := not R(B)`
    Not,
    /// `R(A) := length of R(B)`
    Len,
    /// `R(A) := R(B).. ... ..R(C)`
    Concat,
    /// `pc += sBx`
    Jmp,
    /// `if ((RK(B) == RK(C)) ~= A) then pc++`
    Eq,
    /// `if ((RK(B) < RK(C)) ~= A) then pc++`
    Lt,
    /// `if ((RK(B) <= RK(C)) ~= A) then pc++`
    Le,
    /// `if not (R(A) <=> C) then pc++`
    Test,
    /// `if (R(B) <=> C) then R(A) := R(B) else pc++`
    TestSet,
    /// `R(A), ... ,R(A+C-2) := R(A)(R(A+1), ... ,R(A+B-1))`
    Call,
    /// `return R(A)(R(A+1), ... ,R(A+B-1))`
    TailCall,
    /// `return R(A), ... ,R(A+B-2)`
    Return,
    /// `R(A) += R(A+2); if R(A) <?= R(A+1) then { pc += sBx; R(A+3) = R(A) }`
    ForLoop,
    /// `R(A) -= R(A+2); pc += sBx`
    ForPrep,
    /// `R(A+3), ... ,R(A+2+C) := R(A)(R(A+1), R(A+2)); if R(A+3) ~= nil then R(A+2) = R(A+3) else pc++`
    TForLoop,
    /// `R(A)[(C-1)*FPF+i] := R(A+i), 1 <= i <= B`
    SetList,
    /// `close all variables in the stack up to (>=) R(A)`
    Close,
    /// `R(A) := closure(KPROTO[Bx], R(A), ... ,R(A+n))`, followed by one `Move`/`GetUpval` per upvalue.
    Closure,
    /// `R(A), R(A+1), ..., R(A+B-1) = vararg`
    VarArg,
}

/// How an opcode's operands are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpFormat {
    /// `A B C`
    ABC,
    /// `A Bx` (unsigned)
    ABx,
    /// `A sBx` (signed)
    AsBx,
}

/// The static description of one opcode.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    /// Name as `luac -l` prints it.
    pub name: &'static str,
    /// Operand layout.
    pub format: OpFormat,
    /// Whether the instruction writes register `A` (used by the debug info's symbolic execution).
    pub sets_a: bool,
}

const fn info(name: &'static str, format: OpFormat, sets_a: bool) -> OpInfo {
    OpInfo {
        name,
        format,
        sets_a,
    }
}

/// Descriptions of all opcodes, indexed by `OpCode as usize`.
pub const OPCODES: [OpInfo; NUM_OPCODES] = [
    info("MOVE", OpFormat::ABC, true),
    info("LOADK", OpFormat::ABx, true),
    info("LOADBOOL", OpFormat::ABC, true),
    info("LOADNIL", OpFormat::ABC, true),
    info("GETUPVAL", OpFormat::ABC, true),
    info("GETGLOBAL", OpFormat::ABx, true),
    info("GETTABLE", OpFormat::ABC, true),
    info("SETGLOBAL", OpFormat::ABx, false),
    info("SETUPVAL", OpFormat::ABC, false),
    info("SETTABLE", OpFormat::ABC, false),
    info("NEWTABLE", OpFormat::ABC, true),
    info("SELF", OpFormat::ABC, true),
    info("ADD", OpFormat::ABC, true),
    info("SUB", OpFormat::ABC, true),
    info("MUL", OpFormat::ABC, true),
    info("DIV", OpFormat::ABC, true),
    info("MOD", OpFormat::ABC, true),
    info("POW", OpFormat::ABC, true),
    info("UNM", OpFormat::ABC, true),
    info("NOT", OpFormat::ABC, true),
    info("LEN", OpFormat::ABC, true),
    info("CONCAT", OpFormat::ABC, true),
    info("JMP", OpFormat::AsBx, false),
    info("EQ", OpFormat::ABC, false),
    info("LT", OpFormat::ABC, false),
    info("LE", OpFormat::ABC, false),
    info("TEST", OpFormat::ABC, true),
    info("TESTSET", OpFormat::ABC, true),
    info("CALL", OpFormat::ABC, true),
    info("TAILCALL", OpFormat::ABC, true),
    info("RETURN", OpFormat::ABC, false),
    info("FORLOOP", OpFormat::AsBx, true),
    info("FORPREP", OpFormat::AsBx, true),
    info("TFORLOOP", OpFormat::ABC, false),
    info("SETLIST", OpFormat::ABC, false),
    info("CLOSE", OpFormat::ABC, false),
    info("CLOSURE", OpFormat::ABx, true),
    info("VARARG", OpFormat::ABC, true),
];

/// Number of opcodes.
pub const NUM_OPCODES: usize = 38;

const ALL_OPCODES: [OpCode; NUM_OPCODES] = [
    OpCode::Move,
    OpCode::LoadK,
    OpCode::LoadBool,
    OpCode::LoadNil,
    OpCode::GetUpval,
    OpCode::GetGlobal,
    OpCode::GetTable,
    OpCode::SetGlobal,
    OpCode::SetUpval,
    OpCode::SetTable,
    OpCode::NewTable,
    OpCode::SelfOp,
    OpCode::Add,
    OpCode::Sub,
    OpCode::Mul,
    OpCode::Div,
    OpCode::Mod,
    OpCode::Pow,
    OpCode::Unm,
    OpCode::Not,
    OpCode::Len,
    OpCode::Concat,
    OpCode::Jmp,
    OpCode::Eq,
    OpCode::Lt,
    OpCode::Le,
    OpCode::Test,
    OpCode::TestSet,
    OpCode::Call,
    OpCode::TailCall,
    OpCode::Return,
    OpCode::ForLoop,
    OpCode::ForPrep,
    OpCode::TForLoop,
    OpCode::SetList,
    OpCode::Close,
    OpCode::Closure,
    OpCode::VarArg,
];

impl OpCode {
    /// Decodes an opcode number; `None` for numbers past the last opcode.
    pub fn from_u8(n: u8) -> Option<OpCode> {
        ALL_OPCODES.get(n as usize).copied()
    }

    /// The static description of this opcode.
    pub fn info(self) -> &'static OpInfo {
        &OPCODES[self as usize]
    }
}

/// Width of the `A` field.
pub const SIZE_A: u32 = 8;
/// Width of the `B` and `C` fields.
pub const SIZE_B: u32 = 9;
/// Width of the `C` field.
pub const SIZE_C: u32 = 9;
/// Width of the `Bx` field.
pub const SIZE_BX: u32 = 18;
/// Width of the opcode field.
pub const SIZE_OP: u32 = 6;

const POS_A: u32 = SIZE_OP;
const POS_C: u32 = POS_A + SIZE_A;
const POS_B: u32 = POS_C + SIZE_C;
const POS_BX: u32 = POS_C;

/// Largest value of `A`.
pub const MAXARG_A: u32 = (1 << SIZE_A) - 1;
/// Largest value of `B`.
pub const MAXARG_B: u32 = (1 << SIZE_B) - 1;
/// Largest value of `C`.
pub const MAXARG_C: u32 = (1 << SIZE_C) - 1;
/// Largest value of `Bx`.
pub const MAXARG_BX: u32 = (1 << SIZE_BX) - 1;
/// Bias of `sBx`: `sBx = Bx - MAX_SBX`.
pub const MAX_SBX: i32 = (MAXARG_BX >> 1) as i32;

/// Bit that marks an `RK` operand as a constant index.
pub const BITRK: u32 = 1 << (SIZE_B - 1);
/// Largest constant index an `RK` operand can hold.
pub const MAXINDEXRK: u32 = BITRK - 1;
/// Number of list items accumulated before a `SetList` flush.
pub const FIELDS_PER_FLUSH: u32 = 50;
/// Largest register number (Lua 5.1's `MAXSTACK`).
pub const MAX_STACK: u32 = 250;

/// `Proto::is_vararg` bit: the function has `...`.
pub const VARARG_ISVARARG: u8 = 2;
/// `Proto::is_vararg` bit: the function needs the 5.0-compatible `arg` table (never set by us).
pub const VARARG_HASARG: u8 = 1;
/// `Proto::is_vararg` bit: the function uses `arg` instead of `...`.
pub const VARARG_NEEDSARG: u8 = 4;

/// Whether an `RK` operand names a constant.
#[inline(always)]
pub fn is_k(x: u32) -> bool {
    x & BITRK != 0
}

/// Constant index of an `RK` operand that [`is_k`].
#[inline(always)]
pub fn index_k(x: u32) -> u32 {
    x & !BITRK
}

/// Encodes constant index `k` as an `RK` operand.
#[inline(always)]
pub fn rk_as_k(k: u32) -> u32 {
    k | BITRK
}

/// Opcode of an instruction (may be out of range only for corrupt code).
#[inline(always)]
pub fn get_op(i: u32) -> u8 {
    (i & ((1 << SIZE_OP) - 1)) as u8
}

/// `A` operand.
#[inline(always)]
pub fn get_a(i: u32) -> u32 {
    (i >> POS_A) & MAXARG_A
}

/// `B` operand.
#[inline(always)]
pub fn get_b(i: u32) -> u32 {
    (i >> POS_B) & MAXARG_B
}

/// `C` operand.
#[inline(always)]
pub fn get_c(i: u32) -> u32 {
    (i >> POS_C) & MAXARG_C
}

/// `Bx` operand.
#[inline(always)]
pub fn get_bx(i: u32) -> u32 {
    i >> POS_BX
}

/// `sBx` operand.
#[inline(always)]
pub fn get_sbx(i: u32) -> i32 {
    get_bx(i) as i32 - MAX_SBX
}

/// Builds an `A B C` instruction.
#[inline]
pub fn encode_abc(op: OpCode, a: u32, b: u32, c: u32) -> u32 {
    (op as u32) | (a << POS_A) | (b << POS_B) | (c << POS_C)
}

/// Builds an `A Bx` instruction.
#[inline]
pub fn encode_abx(op: OpCode, a: u32, bx: u32) -> u32 {
    (op as u32) | (a << POS_A) | (bx << POS_BX)
}

/// Builds an `A sBx` instruction.
#[inline]
pub fn encode_asbx(op: OpCode, a: u32, sbx: i32) -> u32 {
    encode_abx(op, a, (sbx + MAX_SBX) as u32)
}

/// Replaces the `A` operand.
#[inline]
pub fn set_a(i: u32, a: u32) -> u32 {
    (i & !(MAXARG_A << POS_A)) | (a << POS_A)
}

/// Replaces the `B` operand.
#[inline]
pub fn set_b(i: u32, b: u32) -> u32 {
    (i & !(MAXARG_B << POS_B)) | (b << POS_B)
}

/// Replaces the `C` operand.
#[inline]
pub fn set_c(i: u32, c: u32) -> u32 {
    (i & !(MAXARG_C << POS_C)) | (c << POS_C)
}

/// Replaces the `Bx` operand.
#[inline]
pub fn set_bx(i: u32, bx: u32) -> u32 {
    (i & !(MAXARG_BX << POS_BX)) | (bx << POS_BX)
}

/// Replaces the `sBx` operand.
#[inline]
pub fn set_sbx(i: u32, sbx: i32) -> u32 {
    set_bx(i, (sbx + MAX_SBX) as u32)
}

/// Encodes a size as Lua 5.1's "floating point byte" (`eeeeexxx`), rounding up.
pub fn int2fb(mut x: u32) -> u32 {
    let mut e = 0;
    while x >= 16 {
        x = (x + 1) >> 1;
        e += 1;
    }
    if x < 8 {
        x
    } else {
        ((e + 1) << 3) | (x - 8)
    }
}

/// Decodes a "floating point byte" produced by [`int2fb`].
pub fn fb2int(x: u32) -> u32 {
    let e = (x >> 3) & 31;
    if e == 0 {
        x
    } else {
        ((x & 7) + 8) << (e - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let i = encode_abc(OpCode::Call, 3, 511, 2);
        assert_eq!(get_op(i), OpCode::Call as u8);
        assert_eq!((get_a(i), get_b(i), get_c(i)), (3, 511, 2));
        let j = encode_asbx(OpCode::Jmp, 0, -5);
        assert_eq!(get_sbx(j), -5);
        assert_eq!(get_sbx(set_sbx(j, 77)), 77);
    }

    #[test]
    fn opcode_table_matches_numbering() {
        for (n, op) in ALL_OPCODES.iter().enumerate() {
            assert_eq!(*op as usize, n);
        }
        assert_eq!(OpCode::VarArg.info().name, "VARARG");
    }

    #[test]
    fn float_bytes() {
        for x in [0, 1, 7, 8, 15, 16, 17, 100, 1000] {
            assert!(fb2int(int2fb(x)) >= x);
        }
        assert_eq!(fb2int(int2fb(8)), 8);
    }
}
