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

pub use listing::listing;

use crate::proto::Prototype;

/// A compile error; `message` is complete, as Lua shows it (`chunk:line: msg near 'tok'`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The full message, raw bytes (a token may hold any byte).
    pub message: Vec<u8>,
}

/// Compiles a chunk. `chunkname` is the name `load` was given (`@file.lua`, `=stdin`, or the source).
///
/// For files (`@name`) and standard input (`=stdin`) a first line starting with `#` is skipped
/// (its newline is kept so line numbers stay right), as `luaL_loadfile` does.
pub fn compile(source: &[u8], chunkname: &[u8]) -> Result<Prototype, SyntaxError> {
    let is_file = chunkname.first() == Some(&b'@') || chunkname == b"=stdin";
    let source = if is_file && source.first() == Some(&b'#') {
        let end = source
            .iter()
            .position(|&c| c == b'\n')
            .unwrap_or(source.len());
        &source[end..]
    } else {
        source
    };
    parser::Parser::parse_chunk(source, chunkname)
}
