//! The zset commands (filled in by the zset family).

use super::table::Command;

/// The zset commands.
pub static COMMANDS: &[Command] = &[];
