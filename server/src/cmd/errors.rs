//! Error replies: one type ([`CmdError`]) carrying the exact text Redis sends, and the common messages
//! built in one place so every command uses the same words.

use crate::db::WrongType;
use std::borrow::Cow;

/// An error reply; the text includes the code (`ERR`, `WRONGTYPE`, ...), without the leading `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmdError(pub Cow<'static, str>);

/// What a command handler returns: `Ok` after writing its reply, `Err` to have the error written instead.
pub type CmdResult = Result<(), CmdError>;

impl CmdError {
    /// An error with fixed text.
    pub const fn fixed(text: &'static str) -> Self {
        CmdError(Cow::Borrowed(text))
    }

    /// An error with built text.
    pub fn owned(text: String) -> Self {
        CmdError(Cow::Owned(text))
    }

    /// The error text.
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl From<WrongType> for CmdError {
    fn from(_: WrongType) -> Self {
        WRONGTYPE
    }
}

/// `WRONGTYPE Operation against a key holding the wrong kind of value`.
pub const WRONGTYPE: CmdError =
    CmdError::fixed("WRONGTYPE Operation against a key holding the wrong kind of value");
/// `ERR syntax error`.
pub const SYNTAX: CmdError = CmdError::fixed("ERR syntax error");
/// `ERR value is not an integer or out of range`.
pub const NOT_INT: CmdError = CmdError::fixed("ERR value is not an integer or out of range");
/// `ERR value is not a valid float`.
pub const NOT_FLOAT: CmdError = CmdError::fixed("ERR value is not a valid float");
/// `ERR no such key`.
pub const NO_SUCH_KEY: CmdError = CmdError::fixed("ERR no such key");
/// `ERR index out of range`.
pub const OUT_OF_RANGE: CmdError = CmdError::fixed("ERR index out of range");
/// `ERR increment or decrement would overflow`.
pub const OVERFLOW: CmdError = CmdError::fixed("ERR increment or decrement would overflow");
/// `ERR DB index is out of range`.
pub const DB_RANGE: CmdError = CmdError::fixed("ERR DB index is out of range");
/// `NOAUTH Authentication required.`
pub const NOAUTH: CmdError = CmdError::fixed("NOAUTH Authentication required.");
/// `ERR value is out of range, must be positive`.
pub const NOT_POSITIVE: CmdError = CmdError::fixed("ERR value is out of range, must be positive");

/// `ERR wrong number of arguments for '<name>' command`.
pub fn wrong_arity(name: &str) -> CmdError {
    CmdError::owned(format!(
        "ERR wrong number of arguments for '{name}' command"
    ))
}

/// `ERR unknown subcommand '<sub>'. Try <CMD> HELP.`
pub fn unknown_subcommand(sub: &[u8], cmd: &str) -> CmdError {
    CmdError::owned(format!(
        "ERR unknown subcommand '{}'. Try {} HELP.",
        truncate_lossy(sub, 128),
        cmd.to_ascii_uppercase()
    ))
}

/// `ERR unknown subcommand or wrong number of arguments for '<sub>'. Try <CMD> HELP.` (a subcommand
/// given the wrong arguments; `sub` as the client typed it).
pub fn subcommand_syntax(sub: &[u8], cmd: &str) -> CmdError {
    CmdError::owned(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        truncate_lossy(sub, 128),
        cmd.to_ascii_uppercase()
    ))
}

/// `ERR unknown command '<name>', with args beginning with: '<a>' '<b>' `.
pub fn unknown_command(argv: &[Vec<u8>]) -> CmdError {
    let mut args = String::new();
    for a in argv.iter().skip(1) {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push('\'');
        args.push_str(&truncate_lossy(a, room));
        args.push_str("' ");
    }
    let name = argv
        .first()
        .map(|n| truncate_lossy(n, 128))
        .unwrap_or_default();
    CmdError::owned(format!(
        "ERR unknown command '{name}', with args beginning with: {args}"
    ))
}

/// The first `max` bytes of `s` as text (invalid UTF-8 replaced).
pub fn truncate_lossy(s: &[u8], max: usize) -> String {
    String::from_utf8_lossy(&s[..s.len().min(max)]).into_owned()
}
