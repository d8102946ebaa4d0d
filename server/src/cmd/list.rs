//! The list commands (filled in by the list family).

use super::table::Command;

/// The list commands.
pub static COMMANDS: &[Command] = &[];
