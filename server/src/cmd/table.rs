//! The command table: every command is one declarative [`Command`] entry (name, arity, flags, key
//! positions, ACL categories, docs, handler) in its family's `COMMANDS` list. Dispatch, arity errors,
//! `COMMAND`, `COMMAND INFO/DOCS/GETKEYS` are all driven from these entries. Key decision: lookup
//! lowercases the name into a stack buffer and probes a hash map keyed by `&[u8]` — no allocation.

use super::{CmdResult, Ctx};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A command handler: reads `args` (`args[0]` is the command name), writes one reply into `cx.out`, or
/// returns an error to be sent instead (then it must not have written anything).
pub type Handler = fn(&mut Ctx, &[Vec<u8>]) -> CmdResult;

/// Flag bits used by dispatch (the full flag words are in [`Command::flags`]).
pub mod flag {
    /// Changes the keyspace.
    pub const WRITE: u32 = 1;
    /// Allowed before authentication.
    pub const NO_AUTH: u32 = 2;
    /// Administrative.
    pub const ADMIN: u32 = 4;
    /// May allocate memory (refused when over `maxmemory`).
    pub const DENYOOM: u32 = 8;
    /// Only reads the keyspace (client-side caching remembers its keys).
    pub const READONLY: u32 = 16;
    /// Refused inside scripts.
    pub const NOSCRIPT: u32 = 32;
    /// May replicate although not a write (refused in read-only scripts).
    pub const MAY_REPLICATE: u32 = 64;
    /// Fed to `MONITOR` before it runs rather than after (`EVAL`, `FCALL`...: their scripts'
    /// commands follow their own line).
    pub const SKIP_MONITOR: u32 = 128;
}

/// Commands without the `write` flag that Redis 7.0 marks `may_replicate` (a flag `COMMAND INFO`
/// does not show): held in a `CLIENT PAUSE WRITE`, refused in read-only scripts.
const MAY_REPLICATE_COMMANDS: &[&str] =
    &["eval", "evalsha", "fcall", "publish", "spublish", "pfcount"];

/// One command (or subcommand) definition.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// Lowercase name (`get`, or the subcommand word `get` for `config|get`).
    pub name: &'static str,
    /// Redis arity: N means exactly N arguments including the name; -N means at least N.
    pub arity: i32,
    /// Space-separated Redis flag words (`write denyoom fast`), as `COMMAND INFO` reports them.
    pub flags: &'static str,
    /// First key argument position (0: no key).
    pub first_key: i32,
    /// Last key position (-1: the last argument, -2: the one before...).
    pub last_key: i32,
    /// Step between keys.
    pub step: i32,
    /// Space-separated ACL categories without `@` (`write string fast`).
    pub acl: &'static str,
    /// Docs group (`string`, `generic`, `server`, `connection`, `list`...).
    pub group: &'static str,
    /// Version that introduced it.
    pub since: &'static str,
    /// One-line summary (`COMMAND DOCS`).
    pub summary: &'static str,
    /// Time complexity text.
    pub complexity: &'static str,
    /// The handler (for a container like CONFIG: unused, dispatch goes to a subcommand).
    pub handler: Handler,
    /// Subcommands (`CONFIG GET`...), dispatched on the second argument.
    pub subcommands: &'static [Command],
}

fn no_handler(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(())
}

impl Command {
    /// An entry with empty docs and no keys, to be completed with struct update syntax:
    /// `Command { name: "get", arity: 2, ..Command::DEFAULT }`.
    pub const DEFAULT: Command = Command {
        name: "",
        arity: 0,
        flags: "",
        first_key: 0,
        last_key: 0,
        step: 0,
        acl: "",
        group: "generic",
        since: "1.0.0",
        summary: "",
        complexity: "O(1)",
        handler: no_handler,
        subcommands: &[],
    };

    /// Dispatch flag bits derived from [`Command::flags`].
    pub fn flag_bits(&self) -> u32 {
        let mut bits = 0;
        if MAY_REPLICATE_COMMANDS.contains(&self.name) {
            bits |= flag::MAY_REPLICATE;
        }
        for w in self.flags.split_ascii_whitespace() {
            bits |= match w {
                "write" => flag::WRITE,
                "no_auth" => flag::NO_AUTH,
                "admin" => flag::ADMIN,
                "denyoom" => flag::DENYOOM,
                "readonly" => flag::READONLY,
                "noscript" => flag::NOSCRIPT,
                "may_replicate" => flag::MAY_REPLICATE,
                "skip_monitor" => flag::SKIP_MONITOR,
                _ => 0,
            };
        }
        bits
    }

    /// True when `argc` arguments satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let a = self.arity;
        (a > 0 && argc as i32 == a) || (a < 0 && argc as i32 >= -a)
    }

    /// Positions of the key arguments in an `argc`-long call.
    pub fn key_positions(&self, argc: usize) -> Vec<usize> {
        if self.first_key <= 0 {
            return Vec::new();
        }
        let last = if self.last_key < 0 {
            argc as i32 + self.last_key
        } else {
            self.last_key.min(argc as i32 - 1)
        };
        let step = self.step.max(1) as usize;
        (self.first_key..=last)
            .step_by(step)
            .map(|i| i as usize)
            .collect()
    }

    /// Finds a subcommand by name, case-insensitively.
    pub fn subcommand(&self, name: &[u8]) -> Option<&'static Command> {
        self.subcommands
            .iter()
            .find(|c| c.name.as_bytes().eq_ignore_ascii_case(name))
    }
}

/// A command entry with its dispatch data (flag bits, stats slot).
#[derive(Debug)]
pub struct Entry {
    /// The definition.
    pub cmd: &'static Command,
    /// Parsed flag bits.
    pub bits: u32,
    /// Index in the per-command statistics.
    pub id: usize,
}

/// The registry of every command, built once from the families' lists.
#[derive(Debug)]
pub struct Table {
    by_name: HashMap<&'static [u8], Entry, crate::db::Hasher>,
    /// Entries in definition order (for `COMMAND`).
    pub order: Vec<&'static Command>,
}

impl Table {
    fn build() -> Table {
        let mut by_name = HashMap::default();
        let mut order = Vec::new();
        for family in super::FAMILIES {
            for cmd in family.iter() {
                let id = order.len();
                order.push(cmd);
                by_name.insert(
                    cmd.name.as_bytes(),
                    Entry {
                        cmd,
                        bits: cmd.flag_bits(),
                        id,
                    },
                );
            }
        }
        Table { by_name, order }
    }

    /// Looks a command up by name, case-insensitively, without allocating.
    pub fn lookup(&self, name: &[u8]) -> Option<&Entry> {
        let mut buf = [0u8; 32];
        if name.len() > buf.len() {
            return None;
        }
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        self.by_name.get(&*lower)
    }

    /// Number of top-level commands.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when no command is registered.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// The global command table.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Table::build)
}

/// Builds a [`Command`] table entry for the family `group`:
/// `command!(group; name, arity, flags, (first_key, last_key, step), acl, since, summary, complexity,
/// handler)`. Each family file wraps it in a short `cmd!` that supplies its group.
macro_rules! command {
    ($group:expr; $name:expr, $arity:expr, $flags:expr, $keys:expr, $acl:expr, $since:expr, $summary:expr, $complexity:expr, $handler:expr) => {
        $crate::cmd::table::Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            first_key: $keys.0,
            last_key: $keys.1,
            step: $keys.2,
            acl: $acl,
            group: $group,
            since: $since,
            summary: $summary,
            complexity: $complexity,
            handler: $handler,
            ..$crate::cmd::table::Command::DEFAULT
        }
    };
}
pub(crate) use command;
