//! Source text to [`Prototype`]: the lexer, the parser and the code generator.
//!
//! Design: a faithful re-implementation of PUC-Rio Lua 5.1.5's single-pass compiler, so that the
//! bytecode, line info and debug info are the ones `luac5.1` produces (checked by the
//! `compiler_matches_luac` test); [`listing`] prints a prototype the way `luac5.1 -l` does.

mod codegen;
mod func_state;
mod lexer;
mod listing;
mod numeral;
mod parser;

pub use listing::{format_g14, listing};

use crate::proto::Prototype;

/// A compile error; `message` is complete, as Lua shows it (`chunk:line: msg near 'tok'`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The full message, raw bytes (a token may hold any byte).
    pub message: Vec<u8>,
}

/// Compiles a chunk. `chunkname` is the name `load` was given (`@file.lua`, `=stdin`, or the source).
///
/// The source is compiled as given: skipping a `#!` first line is the file loader's job
/// (`stdlib::base::read_source_file`, like `luaL_loadfile`), not `load`'s.
///
/// The nesting limit (`chunk has too many syntax levels`) depends on how deep in C calls lua5.1
/// was when it started parsing: files load at depth 1, `load`/`loadstring` called from Lua code at
/// depth 2. This guesses from the chunk name (`@file` means a file); see [`compile_at_depth`].
pub fn compile(source: &[u8], chunkname: &[u8]) -> Result<Prototype, SyntaxError> {
    let depth = if chunkname.first() == Some(&b'@') {
        1
    } else {
        2
    };
    compile_at_depth(source, chunkname, depth)
}

/// The source of a file as `luaL_loadfile` compiles it: a first line starting with `#` (a `#!`
/// line) is dropped, its newline kept so line numbers stay right.
pub fn skip_shebang(source: &[u8]) -> &[u8] {
    if source.first() == Some(&b'#') {
        let end = source
            .iter()
            .position(|&c| c == b'\n')
            .unwrap_or(source.len());
        &source[end..]
    } else {
        source
    }
}

/// [`compile`] with an explicit starting C-call depth (PUC-Rio's `nCcalls` when parsing starts),
/// which only matters for the exact point where deep nesting is rejected.
pub fn compile_at_depth(
    source: &[u8],
    chunkname: &[u8],
    c_depth: u32,
) -> Result<Prototype, SyntaxError> {
    parser::Parser::parse_chunk(source, chunkname, c_depth)
}
