//! The scripting commands' table entries (`EVAL`... `SCRIPT`, `FUNCTION`, `FCALL`); the handlers
//! live in [`crate::script`].

use super::table::Command;
use crate::script::{eval, function};

macro_rules! cmd {
    ($name:literal, $arity:expr, $flags:literal, $($rest:tt)*) => {
        super::table::command!("scripting"; $name, $arity, $flags, (0, 0, 0), $($rest)*)
    };
}

/// The scripting commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("eval", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", "slow scripting", "2.6.0", "Execute a Lua script server side", "Depends on the script that is executed.", eval::eval),
    cmd!("evalsha", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", "slow scripting", "2.6.0", "Execute a Lua script server side", "Depends on the script that is executed.", eval::evalsha),
    cmd!("eval_ro", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", "slow scripting", "7.0.0", "Execute a read-only Lua script server side", "Depends on the script that is executed.", eval::eval_ro),
    cmd!("evalsha_ro", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", "slow scripting", "7.0.0", "Execute a read-only Lua script server side", "Depends on the script that is executed.", eval::evalsha_ro),
    cmd!("fcall", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", "slow scripting", "7.0.0", "Invoke a function", "Depends on the function that is executed.", function::fcall),
    cmd!("fcall_ro", -3, "readonly noscript stale skip_monitor no_mandatory_keys movablekeys", "slow scripting", "7.0.0", "Invoke a read-only function", "Depends on the function that is executed.", function::fcall_ro),
    Command { name: "script", arity: -2, acl: "slow", group: "scripting", since: "2.6.0", summary: "A container for Lua scripts management commands", complexity: "Depends on subcommand.", subcommands: SCRIPT_SUBCOMMANDS, ..Command::DEFAULT },
    Command { name: "function", arity: -2, acl: "slow", group: "scripting", since: "7.0.0", summary: "A container for function commands", complexity: "Depends on subcommand.", subcommands: FUNCTION_SUBCOMMANDS, ..Command::DEFAULT },
];

#[rustfmt::skip]
static SCRIPT_SUBCOMMANDS: &[Command] = &[
    cmd!("debug", 3, "noscript", "slow scripting", "3.2.0", "Set the debug mode for executed scripts.", "O(1)", eval::script_debug),
    cmd!("exists", -3, "noscript", "slow scripting", "2.6.0", "Check existence of scripts in the script cache.", "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).", eval::script_exists),
    cmd!("flush", -2, "noscript", "slow scripting", "2.6.0", "Remove all the scripts from the script cache.", "O(N) with N being the number of scripts in cache", eval::script_flush),
    cmd!("help", 2, "loading stale", "slow scripting", "5.0.0", "Show helpful text about the different subcommands", "O(1)", eval::script_help),
    cmd!("kill", 2, "noscript allow_busy", "slow scripting", "2.6.0", "Kill the script currently in execution.", "O(1)", eval::script_kill),
    cmd!("load", 3, "noscript stale", "slow scripting", "2.6.0", "Load the specified Lua script into the script cache.", "O(N) with N being the length in bytes of the script body.", eval::script_load),
];

#[rustfmt::skip]
static FUNCTION_SUBCOMMANDS: &[Command] = &[
    cmd!("delete", 3, "write noscript", "write slow scripting", "7.0.0", "Delete a function by name", "O(1)", function::function_delete),
    cmd!("dump", 2, "noscript", "slow scripting", "7.0.0", "Dump all functions into a serialized binary payload", "O(N) where N is the number of functions", function::function_dump),
    cmd!("flush", -2, "write noscript", "write slow scripting", "7.0.0", "Deleting all functions", "O(N) where N is the number of functions deleted", function::function_flush),
    cmd!("help", 2, "loading stale", "slow scripting", "7.0.0", "Show helpful text about the different subcommands", "O(1)", function::function_help),
    cmd!("kill", 2, "noscript allow_busy", "slow scripting", "7.0.0", "Kill the function currently in execution.", "O(1)", function::function_kill),
    cmd!("list", -2, "noscript", "slow scripting", "7.0.0", "List information about all the functions", "O(N) where N is the number of functions", function::function_list),
    cmd!("load", -3, "write denyoom noscript", "write slow scripting", "7.0.0", "Create a function with the given arguments (name, code, description)", "O(1) (considering compilation time is redundant)", function::function_load),
    cmd!("restore", -3, "write denyoom noscript", "write slow scripting", "7.0.0", "Restore all the functions on the given payload", "O(N) where N is the number of functions on the payload", function::function_restore),
    cmd!("stats", 2, "noscript allow_busy", "slow scripting", "7.0.0", "Return information about the function currently running (name, description, duration)", "O(1)", function::function_stats),
];
