//! Debug information drawn from frames and bytecode: current lines, variable names for error
//! messages (`attempt to index local 't'`), function names and tracebacks, as `ldebug.c` finds them.
//!
//! Names come from symbolic execution of the function's code up to the current instruction: the
//! last instruction that wrote a register tells what the register holds (a global, a field, a
//! method, an upvalue), exactly as Lua 5.1 words it.

use crate::function::FunctionProto;
use crate::opcode::{self, OpCode};
use crate::value::Value;

use super::frame::{Frame, LuaFrame};

/// The line of the instruction a Lua frame is executing (`pc` is the next instruction).
pub fn current_line(frame: &LuaFrame<'_>) -> Option<u32> {
    let info = &frame.closure.proto.info;
    let pc = frame.pc.checked_sub(1)?;
    info.line_info.get(pc).copied()
}

/// The name of the `n`-th (1-based) local variable active at `pc` (`luaF_getlocalname`).
pub fn local_name<'a>(proto: &'a FunctionProto<'_>, n: usize, pc: usize) -> Option<&'a [u8]> {
    let mut n = n;
    for local in &proto.info.locals {
        if local.start_pc as usize > pc {
            break;
        }
        if pc < local.end_pc as usize {
            n -= 1;
            if n == 0 {
                return Some(&local.name);
            }
        }
    }
    None
}

/// The instruction that last set register `reg` before `last_pc` (`symbexec`).
fn last_setter(proto: &FunctionProto<'_>, last_pc: usize, reg: u32) -> u32 {
    let code = &proto.code;
    let mut last = code.len() - 1;
    let mut pc = 0;
    while pc < last_pc {
        let i = code[pc];
        let Some(op) = OpCode::from_u8(opcode::get_op(i)) else {
            break;
        };
        let a = opcode::get_a(i);
        let b = opcode::get_b(i);
        let c = opcode::get_c(i);
        if op.info().sets_a && a == reg {
            last = pc;
        }
        match op {
            OpCode::LoadNil if a <= reg && reg <= b => last = pc,
            OpCode::SelfOp if reg == a + 1 => last = pc,
            OpCode::TForLoop if reg >= a + 2 => last = pc,
            OpCode::Call | OpCode::TailCall if reg >= a => last = pc,
            OpCode::Jmp | OpCode::ForLoop | OpCode::ForPrep => {
                let dest = pc as i64 + 1 + opcode::get_sbx(i) as i64;
                if (pc as i64) < dest && dest <= last_pc as i64 {
                    pc = dest as usize - 1;
                }
            }
            OpCode::SetList if c == 0 => pc += 1,
            OpCode::Closure => {
                pc += proto.protos[opcode::get_bx(i) as usize].info.num_upvalues as usize;
            }
            _ => {}
        }
        pc += 1;
    }
    code[last]
}

fn constant_name(proto: &FunctionProto<'_>, rk: u32) -> Vec<u8> {
    if opcode::is_k(rk) {
        if let Value::String(s) = proto.constants[opcode::index_k(rk) as usize] {
            return s.as_bytes().to_vec();
        }
    }
    b"?".to_vec()
}

/// What register `reg` of a Lua frame holds, as `(kind, name)`: `("local", "t")`,
/// `("global", "print")`, `("field", "x")`, `("upvalue", "u")`, `("method", "m")` (`getobjname`).
pub fn object_name(frame: &LuaFrame<'_>, reg: u32) -> Option<(&'static str, Vec<u8>)> {
    let proto = &*frame.closure.proto;
    let pc = frame.pc.saturating_sub(1);
    object_name_at(proto, pc, reg)
}

fn object_name_at(
    proto: &FunctionProto<'_>,
    pc: usize,
    reg: u32,
) -> Option<(&'static str, Vec<u8>)> {
    if let Some(name) = local_name(proto, reg as usize + 1, pc) {
        return Some(("local", name.to_vec()));
    }
    let i = last_setter(proto, pc, reg);
    match OpCode::from_u8(opcode::get_op(i))? {
        OpCode::GetGlobal => match proto.constants[opcode::get_bx(i) as usize] {
            Value::String(s) => Some(("global", s.as_bytes().to_vec())),
            _ => None,
        },
        OpCode::Move => {
            let (a, b) = (opcode::get_a(i), opcode::get_b(i));
            if b < a {
                object_name_at(proto, pc, b)
            } else {
                None
            }
        }
        OpCode::GetTable => Some(("field", constant_name(proto, opcode::get_c(i)))),
        OpCode::GetUpval => {
            let names = &proto.info.upvalue_names;
            let name = names
                .get(opcode::get_b(i) as usize)
                .map(|n| n.to_vec())
                .unwrap_or_else(|| b"?".to_vec());
            Some(("upvalue", name))
        }
        OpCode::SelfOp => Some(("method", constant_name(proto, opcode::get_c(i)))),
        _ => None,
    }
}

/// How the function of `frames[index]` was called, as `(namewhat, name)` (`getfuncname`).
pub fn function_name(frames: &[Frame<'_>], index: usize) -> Option<(&'static str, Vec<u8>)> {
    if let Frame::Lua(f) = &frames[index] {
        if f.tail_call {
            return None;
        }
    }
    let caller = match frames.get(index.checked_sub(1)?)? {
        Frame::Lua(f) => f,
        _ => return None,
    };
    let pc = caller.pc.checked_sub(1)?;
    let i = caller.closure.proto.code[pc];
    match OpCode::from_u8(opcode::get_op(i))? {
        OpCode::Call | OpCode::TailCall | OpCode::TForLoop => object_name(caller, opcode::get_a(i)),
        _ => None,
    }
}

/// The `chunk:line:` prefix for an error raised at `level` (1 = the innermost frame below the
/// running native, or the running Lua function), empty when that frame is not Lua (`luaL_where`).
pub fn where_prefix(frames: &[Frame<'_>], level: usize) -> Vec<u8> {
    let Some(index) = frames.len().checked_sub(level + 1) else {
        return Vec::new();
    };
    lua_location(&frames[index])
}

/// `chunk:line:` for a Lua frame, empty otherwise.
pub fn lua_location(frame: &Frame<'_>) -> Vec<u8> {
    match frame {
        Frame::Lua(f) => match current_line(f) {
            Some(line) => {
                let mut out = f.closure.proto.short_src.as_bytes().to_vec();
                out.extend_from_slice(format!(":{line}: ").as_bytes());
                out
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Last level of the first part of a long traceback (`LEVELS1`) and length of its last part
/// (`LEVELS2`).
const LEVELS_TOP: usize = 12;
const LEVELS_BOTTOM: usize = 10;

/// A traceback in lua5.1's format of `frames` (innermost last), where the innermost frame is level
/// `top_level` (1 for `debug.traceback()` called from that frame's function, 2 when a handler runs
/// on top of it); `host_frame` adds the `[C]: ?` line of the C code that started the thread.
pub fn traceback(frames: &[Frame<'_>], top_level: usize, host_frame: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    for index in (0..frames.len()).rev() {
        let frame = &frames[index];
        if matches!(frame, Frame::Yielded { .. }) {
            continue;
        }
        lines.push(frame_line(frames, index));
        if let Frame::Lua(f) = frame {
            if f.tail_call {
                lines.push("(tail call): ?".to_string());
            }
        }
    }
    if host_frame {
        lines.push("[C]: ?".to_string());
    }
    let mut out = String::from("stack traceback:");
    let n = lines.len();
    let elide = top_level + n > LEVELS_TOP + LEVELS_BOTTOM + 1;
    for (i, line) in lines.iter().enumerate() {
        if elide && top_level + i >= LEVELS_TOP && i < n - LEVELS_BOTTOM {
            if top_level + i == LEVELS_TOP {
                out.push_str("\n\t...");
            }
            continue;
        }
        out.push_str("\n\t");
        out.push_str(line);
    }
    out
}

fn frame_line(frames: &[Frame<'_>], index: usize) -> String {
    let frame = &frames[index];
    let mut s = match frame {
        Frame::Lua(f) => {
            let src = f.closure.proto.short_src.to_str_lossy().into_owned();
            match current_line(f) {
                Some(line) => format!("{src}:{line}:"),
                None => format!("{src}:"),
            }
        }
        _ => "[C]:".to_string(),
    };
    if let Some((_, name)) = function_name(frames, index) {
        s.push_str(&format!(
            " in function '{}'",
            String::from_utf8_lossy(&name)
        ));
    } else {
        match frame {
            Frame::Lua(f) if f.closure.proto.info.line_defined == 0 => s.push_str(" in main chunk"),
            Frame::Lua(f) => s.push_str(&format!(
                " in function <{}:{}>",
                f.closure.proto.short_src.to_str_lossy(),
                f.closure.proto.info.line_defined
            )),
            _ => s.push_str(" ?"),
        }
    }
    s
}
