//! Binary chunks: `string.dump`'s serialisation of a [`Prototype`], its inverse, and
//! [`load_chunk`], the single entry point that loads either source text or a binary chunk.
//!
//! Key design decision: the format is our own (little-endian, fixed-width fields) behind 5.1's
//! signature `"\x1bLua"` and a version byte of our own, so a real luac 5.1 chunk is rejected with
//! `bad header` instead of being misread. Loading never trusts the bytes: every count is bounded by
//! the input left, nesting is limited, and the code is verified (operands in range, jumps inside
//! the function, as 5.1's `luaG_checkcode` does) so a corrupt chunk fails with lua5.1's messages
//! (`unexpected end`, `bad header`, `bad constant`, `bad code`, `code too deep` ... `in
//! precompiled chunk`) rather than crashing the VM.

use std::rc::Rc;

use crate::opcode::{self, OpCode, MAX_STACK, VARARG_HASARG, VARARG_ISVARARG, VARARG_NEEDSARG};
use crate::proto::{Constant, LocalInfo, Prototype};

/// The first byte of every binary chunk (`LUA_SIGNATURE[0]`): sources starting with it are loaded
/// as binary.
pub const SIGNATURE_BYTE: u8 = 0x1b;

/// The header: 5.1's signature, our version byte (5.1 writes `0x51`), our format number, and a
/// tail that catches newline translation. Twelve bytes, like 5.1's header.
const HEADER: &[u8; 12] = b"\x1bLua\xf5\x01\x19\x93\r\n\x1a\n";

/// Deepest nesting of functions accepted (`LUAI_MAXCCALLS`).
const MAX_NESTING: usize = 200;

const TAG_NIL: u8 = 0;
const TAG_BOOLEAN: u8 = 1;
const TAG_NUMBER: u8 = 3;
const TAG_STRING: u8 = 4;

/// Serialises a function and, recursively, the functions nested in it.
pub fn dump(proto: &Prototype) -> Vec<u8> {
    let mut out = HEADER.to_vec();
    dump_function(proto, None, &mut out);
    let sum = checksum(&out[HEADER.len()..]);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// FNV-1a (64 bits) of the serialised functions. The VM relies on invariants the compiler
/// guarantees (a `FORLOOP`'s registers hold numbers, `top` is set before an instruction that uses
/// it...) which no cheap check of the code can establish, so damaged chunks are caught here.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Loads a chunk produced by [`dump`]. `chunkname` names the chunk in error messages as 5.1 does
/// (`=name`/`@name` lose their prefix; a name that is itself binary reads `binary string`).
pub fn undump(bytes: &[u8], chunkname: &[u8]) -> Result<Prototype, String> {
    let mut reader = Reader { bytes, pos: 0 };
    let result = reader.header().and_then(|()| {
        let proto = reader.function(b"=?", 0)?;
        let body = &bytes[HEADER.len()..reader.pos];
        let stored = reader.take(8)?;
        if stored != checksum(body).to_le_bytes() {
            return Err("bad checksum");
        }
        Ok(proto)
    });
    result.map_err(|why| {
        let name = match chunkname.first() {
            Some(b'@' | b'=') => &chunkname[1..],
            Some(&SIGNATURE_BYTE) => b"binary string".as_slice(),
            _ => chunkname,
        };
        format!(
            "{}: {} in precompiled chunk",
            String::from_utf8_lossy(name),
            why
        )
    })
}

/// Loads a chunk the way `lua_load` does: binary if it starts with the signature byte, compiled
/// from source otherwise. The error is the complete message.
pub fn load_chunk(source: &[u8], chunkname: &[u8]) -> Result<Prototype, Vec<u8>> {
    if source.first() == Some(&SIGNATURE_BYTE) {
        undump(source, chunkname).map_err(String::into_bytes)
    } else {
        crate::compiler::compile(source, chunkname).map_err(|e| e.message)
    }
}

fn put_u32(v: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_len(n: usize, out: &mut Vec<u8>) {
    put_u32(u32::try_from(n).unwrap_or(u32::MAX), out);
}

fn put_bytes(b: &[u8], out: &mut Vec<u8>) {
    put_len(b.len(), out);
    out.extend_from_slice(b);
}

fn dump_function(p: &Prototype, parent_source: Option<&[u8]>, out: &mut Vec<u8>) {
    if parent_source == Some(&p.source[..]) {
        out.push(0);
    } else {
        out.push(1);
        put_bytes(&p.source, out);
    }
    put_u32(p.line_defined, out);
    put_u32(p.last_line_defined, out);
    out.extend_from_slice(&[p.num_upvalues, p.num_params, p.is_vararg, p.max_stack_size]);
    put_len(p.code.len(), out);
    for &i in &p.code {
        put_u32(i, out);
    }
    put_len(p.constants.len(), out);
    for k in &p.constants {
        match k {
            Constant::Nil => out.push(TAG_NIL),
            Constant::Boolean(b) => out.extend_from_slice(&[TAG_BOOLEAN, u8::from(*b)]),
            Constant::Number(n) => {
                out.push(TAG_NUMBER);
                out.extend_from_slice(&n.to_bits().to_le_bytes());
            }
            Constant::String(s) => {
                out.push(TAG_STRING);
                put_bytes(s, out);
            }
        }
    }
    put_len(p.protos.len(), out);
    for child in &p.protos {
        dump_function(child, Some(&p.source), out);
    }
    put_len(p.line_info.len(), out);
    for &line in &p.line_info {
        put_u32(line, out);
    }
    put_len(p.locals.len(), out);
    for local in &p.locals {
        put_bytes(&local.name, out);
        put_u32(local.start_pc, out);
        put_u32(local.end_pc, out);
    }
    put_len(p.upvalue_names.len(), out);
    for name in &p.upvalue_names {
        put_bytes(name, out);
    }
}

/// Why a chunk was rejected (the middle of 5.1's message).
type Why = &'static str;

const TRUNCATED: Why = "unexpected end";

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Why> {
        let end = self.pos.checked_add(n).ok_or(TRUNCATED)?;
        let slice = self.bytes.get(self.pos..end).ok_or(TRUNCATED)?;
        self.pos = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, Why> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, Why> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A count of items at least `min_size` bytes each, which must fit in the input left.
    fn count(&mut self, min_size: usize) -> Result<usize, Why> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size) > self.bytes.len() - self.pos {
            return Err(TRUNCATED);
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<Box<[u8]>, Why> {
        let n = self.count(1)?;
        Ok(self.take(n)?.into())
    }

    fn header(&mut self) -> Result<(), Why> {
        if self.take(HEADER.len())? != HEADER {
            return Err("bad header");
        }
        Ok(())
    }

    fn function(&mut self, parent_source: &[u8], depth: usize) -> Result<Prototype, Why> {
        if depth >= MAX_NESTING {
            return Err("code too deep");
        }
        let source: Rc<[u8]> = match self.u8()? {
            0 => parent_source.into(),
            1 => self.string()?.into(),
            _ => return Err("bad source"),
        };
        let line_defined = self.u32()?;
        let last_line_defined = self.u32()?;
        let sizes = self.take(4)?;
        let (num_upvalues, num_params, is_vararg, max_stack_size) =
            (sizes[0], sizes[1], sizes[2], sizes[3]);
        let n = self.count(4)?;
        let code = (0..n).map(|_| self.u32()).collect::<Result<_, _>>()?;
        let n = self.count(1)?;
        let constants = (0..n).map(|_| self.constant()).collect::<Result<_, _>>()?;
        let n = self.count(1)?;
        let mut protos = Vec::with_capacity(n);
        for _ in 0..n {
            protos.push(Rc::new(self.function(&source, depth + 1)?));
        }
        let n = self.count(4)?;
        let line_info = (0..n).map(|_| self.u32()).collect::<Result<_, _>>()?;
        let n = self.count(12)?;
        let locals = (0..n).map(|_| self.local()).collect::<Result<_, _>>()?;
        let n = self.count(4)?;
        let upvalue_names = (0..n).map(|_| self.string()).collect::<Result<_, _>>()?;
        let proto = Prototype {
            source,
            line_defined,
            last_line_defined,
            num_upvalues,
            num_params,
            is_vararg,
            max_stack_size,
            code,
            constants,
            protos,
            line_info,
            locals,
            upvalue_names,
        };
        if !check_code(&proto) {
            return Err("bad code");
        }
        Ok(proto)
    }

    fn constant(&mut self) -> Result<Constant, Why> {
        Ok(match self.u8()? {
            TAG_NIL => Constant::Nil,
            TAG_BOOLEAN => Constant::Boolean(self.u8()? != 0),
            TAG_NUMBER => {
                let b = self.take(8)?;
                let mut bits = [0; 8];
                bits.copy_from_slice(b);
                Constant::Number(f64::from_bits(u64::from_le_bytes(bits)))
            }
            TAG_STRING => Constant::String(self.string()?),
            _ => return Err("bad constant"),
        })
    }

    fn local(&mut self) -> Result<LocalInfo, Why> {
        Ok(LocalInfo {
            name: self.string()?,
            start_pc: self.u32()?,
            end_pc: self.u32()?,
        })
    }
}

/// How an instruction uses its B or C operand (5.1's `OpArgMask`).
#[derive(Clone, Copy, PartialEq)]
enum Arg {
    /// Unused: must be 0.
    N,
    /// Used as a plain number.
    U,
    /// A register.
    R,
    /// A register or a constant (`RK`); for `ABx` instructions, a constant index.
    K,
}

/// The B and C operand modes of an opcode (`luaP_opmodes`), and whether it is a test followed by
/// a jump.
fn modes(op: OpCode) -> (Arg, Arg, bool) {
    use Arg::*;
    match op {
        OpCode::Move | OpCode::LoadNil | OpCode::Unm | OpCode::Not | OpCode::Len => (R, N, false),
        OpCode::LoadK | OpCode::GetGlobal | OpCode::SetGlobal => (K, N, false),
        OpCode::LoadBool | OpCode::NewTable | OpCode::Call | OpCode::TailCall => (U, U, false),
        OpCode::SetList => (U, U, false),
        OpCode::GetUpval | OpCode::SetUpval | OpCode::Return => (U, N, false),
        OpCode::Closure | OpCode::VarArg => (U, N, false),
        OpCode::GetTable | OpCode::SelfOp => (R, K, false),
        OpCode::SetTable
        | OpCode::Add
        | OpCode::Sub
        | OpCode::Mul
        | OpCode::Div
        | OpCode::Mod
        | OpCode::Pow => (K, K, false),
        OpCode::Concat => (R, R, false),
        OpCode::Jmp | OpCode::ForLoop | OpCode::ForPrep => (R, N, false),
        OpCode::Eq | OpCode::Lt | OpCode::Le => (K, K, true),
        OpCode::Test => (U, U, true),
        OpCode::TestSet => (R, U, true),
        OpCode::TForLoop => (N, U, true),
        OpCode::Close => (N, N, false),
    }
}

/// 5.1's `luaG_checkcode` without the symbolic execution it also does for debug names: the
/// function's sizes are consistent and every instruction is one the VM can run safely.
fn check_code(p: &Prototype) -> bool {
    let max_stack = u32::from(p.max_stack_size);
    let header_ok = max_stack <= MAX_STACK
        && u32::from(p.num_params) + u32::from(p.is_vararg & VARARG_HASARG) <= max_stack
        && (p.is_vararg & VARARG_NEEDSARG == 0 || p.is_vararg & VARARG_HASARG != 0)
        && p.upvalue_names.len() <= usize::from(p.num_upvalues)
        && p.line_info.len() == p.code.len()
        && p.code.last().map(|&i| opcode::get_op(i)) == Some(OpCode::Return as u8);
    if !header_ok {
        return false;
    }
    let mut pc = 0;
    while pc < p.code.len() {
        if !check_instruction(p, pc) {
            return false;
        }
        // A SETLIST with C = 0 keeps its count in the next word, which is not an instruction.
        pc += if is_setlist_count(p.code[pc]) { 2 } else { 1 };
    }
    true
}

/// Whether the instruction at `pc` of `p` is safe to run (see [`check_code`]).
fn check_instruction(p: &Prototype, pc: usize) -> bool {
    let code = &p.code;
    let i = code[pc];
    let Some(op) = OpCode::from_u8(opcode::get_op(i)) else {
        return false;
    };
    let reg = |r: u32| r < u32::from(p.max_stack_size);
    let arg = |r: u32, mode: Arg| match mode {
        Arg::N => r == 0,
        Arg::U => true,
        Arg::R => reg(r),
        Arg::K => {
            if opcode::is_k(r) {
                (opcode::index_k(r) as usize) < p.constants.len()
            } else {
                reg(r)
            }
        }
    };
    let (a, b, c) = (opcode::get_a(i), opcode::get_b(i), opcode::get_c(i));
    let (bx, sbx) = (opcode::get_bx(i), opcode::get_sbx(i));
    let (b_mode, c_mode, test) = modes(op);
    if !reg(a) {
        return false;
    }
    let operands_ok = match op.info().format {
        opcode::OpFormat::ABC => arg(b, b_mode) && arg(c, c_mode),
        opcode::OpFormat::ABx => b_mode != Arg::K || (bx as usize) < p.constants.len(),
        opcode::OpFormat::AsBx => b_mode != Arg::R || jump_ok(code, pc, sbx),
    };
    if !operands_ok {
        return false;
    }
    if test && (pc + 2 >= code.len() || opcode::get_op(code[pc + 1]) != OpCode::Jmp as u8) {
        return false;
    }
    let next_is_open = || open_result_follows(code, pc);
    if uses_open_results(i) && (pc == 0 || !leaves_open_results(code[pc - 1])) {
        return false;
    }
    match op {
        OpCode::LoadBool => c == 0 || (pc + 2 < code.len() && !is_setlist_count(code[pc + 1])),
        OpCode::GetUpval | OpCode::SetUpval => b < u32::from(p.num_upvalues),
        OpCode::GetGlobal | OpCode::SetGlobal => {
            matches!(p.constants[bx as usize], Constant::String(_))
        }
        OpCode::SelfOp => reg(a + 1),
        OpCode::Concat => b < c,
        OpCode::TForLoop => c >= 1 && reg(a + 2 + c),
        OpCode::ForLoop | OpCode::ForPrep => reg(a + 3),
        OpCode::Call | OpCode::TailCall => {
            (b == 0 || reg(a + b - 1))
                && match c {
                    0 => next_is_open(),
                    _ => c == 1 || reg(a + c - 2),
                }
        }
        OpCode::Return => b <= 1 || reg(a + b - 2),
        OpCode::SetList => (b == 0 || reg(a + b)) && (c != 0 || pc + 1 < code.len() - 1),
        OpCode::Closure => closure_ok(p, pc, bx),
        OpCode::VarArg => {
            p.is_vararg & VARARG_ISVARARG != 0
                && p.is_vararg & VARARG_NEEDSARG == 0
                && match b {
                    0 => next_is_open(),
                    _ => b == 1 || reg(a + b - 2),
                }
        }
        _ => true,
    }
}

/// Whether `i` is a `SETLIST` whose count is in the next word.
fn is_setlist_count(i: u32) -> bool {
    opcode::get_op(i) == OpCode::SetList as u8 && opcode::get_c(i) == 0
}

/// A jump by `sbx` from `pc` lands inside the function and not on a `SETLIST` count word.
fn jump_ok(code: &[u32], pc: usize, sbx: i32) -> bool {
    let dest = pc as i64 + 1 + i64::from(sbx);
    if dest < 0 || dest >= code.len() as i64 {
        return false;
    }
    let dest = dest as usize;
    if uses_open_results(code[dest]) {
        return false;
    }
    let setlists = (0..dest)
        .take_while(|j| is_setlist_count(code[dest - 1 - j]))
        .count();
    setlists % 2 == 0
}

/// Whether `i` takes its operands up to the stack top set by the previous instruction (B = 0).
fn uses_open_results(i: u32) -> bool {
    matches!(
        OpCode::from_u8(opcode::get_op(i)),
        Some(OpCode::Call | OpCode::TailCall | OpCode::Return | OpCode::SetList)
    ) && opcode::get_b(i) == 0
}

/// Whether `i` leaves an open number of results (a call with C = 0, a `VARARG` with B = 0).
fn leaves_open_results(i: u32) -> bool {
    match OpCode::from_u8(opcode::get_op(i)) {
        Some(OpCode::Call | OpCode::TailCall) => opcode::get_c(i) == 0,
        Some(OpCode::VarArg) => opcode::get_b(i) == 0,
        _ => false,
    }
}

/// After an instruction leaving an open number of results, the next one must consume them
/// (`checkopenop`).
fn open_result_follows(code: &[u32], pc: usize) -> bool {
    let Some(&next) = code.get(pc + 1) else {
        return false;
    };
    matches!(
        OpCode::from_u8(opcode::get_op(next)),
        Some(OpCode::Call | OpCode::TailCall | OpCode::Return | OpCode::SetList)
    ) && opcode::get_b(next) == 0
}

/// A `CLOSURE` names an existing prototype and is followed by one `MOVE`/`GETUPVAL` per upvalue.
fn closure_ok(p: &Prototype, pc: usize, bx: u32) -> bool {
    let Some(child) = p.protos.get(bx as usize) else {
        return false;
    };
    let nup = usize::from(child.num_upvalues);
    pc + nup < p.code.len()
        && p.code[pc + 1..=pc + nup].iter().all(|&i| {
            let op = opcode::get_op(i);
            op == OpCode::Move as u8 || op == OpCode::GetUpval as u8
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(src: &str) -> Prototype {
        crate::compiler::compile(src.as_bytes(), b"=test").expect("compiles")
    }

    #[test]
    fn round_trip() {
        let p = compile(
            "local a, b = 1, 'x' local function f(...) return a, b, true, nil, 0.5, ... end \
             local t = {1, 2, 3, f()} for i = 1, 3 do t[i] = i end return f",
        );
        let bytes = dump(&p);
        assert_eq!(undump(&bytes, b"=x").expect("loads"), p);
    }

    #[test]
    fn compiled_corpus_passes_the_checks() {
        let root = env!("CARGO_MANIFEST_DIR");
        let dirs = [
            format!("{root}/../tests/lua"),
            format!("{root}/tests/compiler"),
        ];
        let entries = dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(d).expect("corpus directory"));
        let mut checked = 0;
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            if path.extension().is_none_or(|e| e != "lua") {
                continue;
            }
            let source = std::fs::read(&path).expect("readable program");
            if let Ok(p) = crate::compiler::compile(&source, b"@corpus") {
                let bytes = dump(&p);
                assert_eq!(undump(&bytes, b"=x").as_ref(), Ok(&p), "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 250);
    }

    #[test]
    fn every_truncation_fails_cleanly() {
        let p = compile("local x = {} function x.f(a, b) return a .. b end return x");
        let bytes = dump(&p);
        for n in 0..bytes.len() {
            let e = undump(&bytes[..n], b"\x1bLua").expect_err("truncated");
            assert!(e.starts_with("binary string: "), "{e}");
        }
    }

    #[test]
    fn corruption_never_panics() {
        let p = compile("local s = 0 for i = 1, 10 do s = s + i end print(s, {1, 2, 3})");
        let bytes = dump(&p);
        for at in HEADER.len()..bytes.len() {
            for flip in [1u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[at] ^= flip;
                let _ = undump(&b, b"=x");
            }
        }
    }

    #[test]
    fn foreign_header_is_bad() {
        let luac = b"\x1bLua\x51\x00\x01\x04\x08\x04\x08\x00rest";
        assert_eq!(
            undump(luac, b"=f").unwrap_err(),
            "f: bad header in precompiled chunk"
        );
        assert_eq!(
            undump(b"\x1bLu", b"name").unwrap_err(),
            "name: unexpected end in precompiled chunk"
        );
    }
}
