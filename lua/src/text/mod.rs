//! Byte-string algorithms the library and the VM share: number formatting and parsing, `printf`-style
//! formatting, Lua patterns and `strftime`. Pure functions on bytes, with no access to the VM.

mod decimal;
pub mod number;
pub mod pattern;
pub mod printf;
pub mod strftime;
