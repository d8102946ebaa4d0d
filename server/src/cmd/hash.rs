//! The hash commands (filled in by the hash family).

use super::table::Command;

/// The hash commands.
pub static COMMANDS: &[Command] = &[];
