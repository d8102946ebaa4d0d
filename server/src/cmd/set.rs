//! The set commands (filled in by the set family).

use super::table::Command;

/// The set commands.
pub static COMMANDS: &[Command] = &[];
