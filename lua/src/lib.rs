//! `ferrous-lua`: a Lua 5.1 interpreter.
//!
//! Tour: [`compiler`] turns source into a [`proto::Prototype`] (Lua 5.1 register bytecode,
//! [`opcode`]); the VM loads it into a `gc-arena` arena and runs it in fuel-bounded slices.

pub mod compiler;
pub mod opcode;
pub mod proto;
pub mod text;
