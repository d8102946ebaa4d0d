//! Compiled functions as plain Rust data: what the compiler produces and the VM loads.
//!
//! A [`Prototype`] holds no garbage-collected values, so it can be cached, sent between threads,
//! dumped (`string.dump`) and loaded into any `Lua` instance. The VM turns its constants into Lua
//! values once, when the chunk is loaded.

use std::rc::Rc;

/// A constant of a function: the literals its code refers to by index.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `nil`
    Nil,
    /// `true` / `false`
    Boolean(bool),
    /// A number literal (Lua 5.1 numbers are all `f64`).
    Number(f64),
    /// A string literal, as raw bytes.
    String(Box<[u8]>),
}

/// Debug information about one local variable: its name and the pcs where it is live.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalInfo {
    /// Variable name (may be an internal name such as `(for index)`).
    pub name: Box<[u8]>,
    /// First instruction where the variable is active.
    pub start_pc: u32,
    /// First instruction where the variable is dead.
    pub end_pc: u32,
}

/// A compiled function: Lua 5.1 instructions plus everything needed to run and debug them.
#[derive(Clone, Debug, PartialEq)]
pub struct Prototype {
    /// The chunk name as given to `load` (`@file.lua`, `=stdin`, or the source itself).
    pub source: Rc<[u8]>,
    /// Line where the function starts (0 for the main chunk).
    pub line_defined: u32,
    /// Line where the function ends (0 for the main chunk).
    pub last_line_defined: u32,
    /// Number of upvalues.
    pub num_upvalues: u8,
    /// Number of fixed parameters.
    pub num_params: u8,
    /// `VARARG_*` bits from [`crate::opcode`].
    pub is_vararg: u8,
    /// Registers the function needs.
    pub max_stack_size: u8,
    /// The instructions.
    pub code: Vec<u32>,
    /// Constants referred to by `Kst(n)` / `RK` operands.
    pub constants: Vec<Constant>,
    /// Nested function prototypes, referred to by `Closure`.
    pub protos: Vec<Rc<Prototype>>,
    /// Source line of each instruction (same length as `code`).
    pub line_info: Vec<u32>,
    /// Local variable debug information, in declaration order.
    pub locals: Vec<LocalInfo>,
    /// Upvalue names.
    pub upvalue_names: Vec<Box<[u8]>>,
}

/// Longest printable chunk id, including the terminator PUC-Rio reserves (`LUA_IDSIZE`; Debian's lua5.1 is built with 80).
const ID_SIZE: usize = 80;

/// The short source name used in messages (`file.lua`, `[string "x = 1"]`), as `luaO_chunkid` makes it.
pub fn chunk_id(source: &[u8]) -> Vec<u8> {
    // The C implementation handles the name as a C string: it ends at the first NUL byte.
    let source = &source[..source.iter().position(|&b| b == 0).unwrap_or(source.len())];
    match source.first() {
        Some(b'=') => source[1..].iter().take(ID_SIZE - 1).copied().collect(),
        Some(b'@') => {
            let name = &source[1..];
            let room = ID_SIZE - " '...' ".len() - 1;
            if name.len() > room {
                let mut out = b"...".to_vec();
                out.extend_from_slice(&name[name.len() - room..]);
                out
            } else {
                name.to_vec()
            }
        }
        _ => {
            let line_end = source
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .unwrap_or(source.len());
            let len = line_end.min(ID_SIZE - " [string \"...\"] ".len() - 1);
            let mut out = b"[string \"".to_vec();
            out.extend_from_slice(&source[..len]);
            if len < source.len() {
                out.extend_from_slice(b"...");
            }
            out.extend_from_slice(b"\"]");
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::chunk_id;

    #[test]
    fn chunk_ids_like_puc() {
        assert_eq!(chunk_id(b"@t.lua"), b"t.lua");
        assert_eq!(chunk_id(b"=stdin"), b"stdin");
        assert_eq!(chunk_id(b"x = 1"), b"[string \"x = 1\"]");
        assert_eq!(chunk_id(b"x = 1\ny = 2"), b"[string \"x = 1...\"]");
        let long = chunk_id(&[b'a'; 100]);
        assert_eq!(long.len(), "[string \"\"]".len() + 63 + 3);
        assert_eq!(chunk_id(&[b'@'; 101]).len(), 3 + 72);
    }
}
