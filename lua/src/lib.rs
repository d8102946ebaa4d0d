//! `ferrous-lua`: a Lua 5.1 interpreter.
//!
//! Tour: [`compiler`] turns source into a [`proto::Prototype`] (Lua 5.1 register bytecode,
//! [`opcode`]). [`Lua`] loads it into a `gc-arena` arena ([`vm::GlobalState`] is the root) where
//! values ([`value::Value`]: [`string`], [`table`], [`function`], [`userdata`], [`thread`]) live.
//! The [`vm`] runs it in fuel-bounded slices, the collector running between slices. Native
//! functions — the whole [`stdlib`] — are written against [`callback`]: they return actions
//! instead of calling back into the VM.

pub mod callback;
pub mod compiler;
pub mod dump;
pub mod function;
pub mod heap;
pub mod lua;
pub mod opcode;
pub mod proto;
pub mod stdlib;
pub mod string;
pub mod table;
pub mod text;
pub mod thread;
pub mod userdata;
pub mod value;
pub mod vm;

pub use lua::{CallStatus, ErrorValue, Lua, LuaError};
pub use value::Value;
