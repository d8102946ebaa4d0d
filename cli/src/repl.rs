//! The interactive loop, lua.c's `dotty` plus what later Luas and line editors added.
//!
//! * Prompts `> ` and `>> `, or the values of the globals `_PROMPT` and `_PROMPT2`.
//! * A chunk whose compile error ends in `'<eof>'` is incomplete (lua.c's `incomplete`): the next
//!   line is appended and it is compiled again.
//! * `=expr` is `return expr` (lua.c). Any other chunk is first tried as `return <chunk>`, so a
//!   bare expression prints its values (Lua 5.3's `addreturn`); when that does not compile it
//!   runs as a statement.
//! * Values are printed by calling the global `print` (so `__tostring` and a redefined `print`
//!   are honoured), tab-separated; an error calling it is `error calling 'print' (msg)`.
//! * Errors print the message and traceback (as lua.c's REPL does, without the program name) and
//!   the loop goes on.
//!
//! On a terminal, rustyline edits the lines: history in `~/.ferrous_lua_history`, tab completion
//! ([`crate::complete`]), Ctrl-C clears the line, Ctrl-D exits; Ctrl-C while a chunk runs
//! interrupts it ([`crate::interrupt`]). When standard input is not a terminal (`-i` with a pipe),
//! lines are read as lua.c reads them without readline: the prompt is written to stdout, the line
//! is not echoed.

use std::cell::RefCell;
use std::io::BufRead;
use std::path::PathBuf;
use std::rc::Rc;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Editor, Helper};

use ferrous_lua::lua::results;
use ferrous_lua::proto::Prototype;
use ferrous_lua::stdlib::output;
use ferrous_lua::{Lua, Value};

use crate::interrupt::Interrupt;
use crate::{error_text, l_message, Session};

/// The history file's name in the home directory.
pub const HISTORY_FILE: &str = ".ferrous_lua_history";

/// Most history entries kept.
const HISTORY_SIZE: usize = 1000;

/// What reading a line gave.
enum Input {
    Line(Vec<u8>),
    /// Ctrl-C at the prompt: drop what was typed.
    Interrupted,
    /// End of input: leave the REPL.
    Eof,
}

/// A source of lines.
trait Reader {
    fn read(&mut self, prompt: &[u8]) -> Input;
    /// Records a complete chunk (as typed) in the history.
    fn remember(&mut self, chunk: &[u8]);
    /// Leaving the REPL.
    fn finish(&mut self);
}

/// lua.c without readline: prompt on stdout, `fgets`.
struct Plain;

impl Reader for Plain {
    fn read(&mut self, prompt: &[u8]) -> Input {
        output::write(prompt);
        output::flush();
        let mut line = Vec::new();
        match std::io::stdin().lock().read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => Input::Eof,
            Ok(_) => {
                if line.last() == Some(&b'\n') {
                    line.pop();
                }
                Input::Line(line)
            }
        }
    }

    fn remember(&mut self, _chunk: &[u8]) {}

    fn finish(&mut self) {
        output::write(b"\n");
        output::flush();
    }
}

/// rustyline on a terminal.
struct Edit {
    editor: Editor<LuaHelper, FileHistory>,
    history: Option<PathBuf>,
}

impl Reader for Edit {
    fn read(&mut self, prompt: &[u8]) -> Input {
        output::flush();
        let prompt = String::from_utf8_lossy(prompt).into_owned();
        match self.editor.readline(prompt.as_str()) {
            Ok(line) => Input::Line(line.into_bytes()),
            Err(ReadlineError::Interrupted) => Input::Interrupted,
            Err(_) => Input::Eof,
        }
    }

    fn remember(&mut self, chunk: &[u8]) {
        let _ = self
            .editor
            .add_history_entry(String::from_utf8_lossy(chunk).into_owned());
        // Written at once, so a session that is killed keeps its history.
        if let Some(path) = &self.history {
            let _ = self.editor.append_history(path);
        }
    }

    fn finish(&mut self) {
        output::flush();
    }
}

/// Completion for rustyline; the state is shared with the loop (and never borrowed by both: the
/// loop does not run Lua code while rustyline reads).
struct LuaHelper {
    lua: Rc<RefCell<Lua>>,
}

impl Completer for LuaHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        match self.lua.try_borrow() {
            Ok(lua) => Ok(crate::complete::complete(&lua, line, pos)),
            Err(_) => Ok((pos, Vec::new())),
        }
    }
}

impl Hinter for LuaHelper {
    type Hint = String;
}
impl Highlighter for LuaHelper {}
impl Validator for LuaHelper {}
impl Helper for LuaHelper {}

/// `~/.ferrous_lua_history`, when there is a home directory.
fn history_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(HISTORY_FILE))
}

fn editor(lua: Rc<RefCell<Lua>>) -> Option<Edit> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .max_history_size(HISTORY_SIZE)
        .ok()?
        .auto_add_history(false)
        .build();
    let mut editor: Editor<LuaHelper, FileHistory> = Editor::with_config(config).ok()?;
    editor.set_helper(Some(LuaHelper { lua }));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    Some(Edit { editor, history })
}

/// What [`read_chunk`] got.
enum Chunk {
    Run(Rc<Prototype>),
    Nothing,
    Exit,
}

/// The prompt: `_PROMPT`/`_PROMPT2` (strings or numbers), else `> `/`>> `.
fn prompt(lua: &RefCell<Lua>, first: bool) -> Vec<u8> {
    let (name, default) = if first {
        ("_PROMPT", "> ")
    } else {
        ("_PROMPT2", ">> ")
    };
    lua.borrow()
        .mutate(|ctx| match ctx.globals().get(ctx.str(name)) {
            Value::String(s) => s.as_bytes().to_vec(),
            Value::Number(n) => ferrous_lua::vm::ops::number_to_string(ctx, n)
                .as_bytes()
                .to_vec(),
            _ => default.as_bytes().to_vec(),
        })
}

/// lua.c's `incomplete`: the compiler stopped at the end of the text.
fn incomplete(message: &[u8]) -> bool {
    message.ends_with(b"'<eof>'")
}

/// Reads lines until they make a chunk that compiles (or cannot be completed: reported).
fn read_chunk(reader: &mut dyn Reader, lua: &RefCell<Lua>) -> Chunk {
    let first = match reader.read(&prompt(lua, true)) {
        Input::Line(l) => l,
        Input::Interrupted => return Chunk::Nothing,
        Input::Eof => return Chunk::Exit,
    };
    let (mut source, try_return) = match first.strip_prefix(b"=") {
        Some(expr) => ([b"return ", expr].concat(), false),
        None => (first.clone(), true),
    };
    let mut typed = first;
    loop {
        // An expression that goes on over lines (`{1,` ...) is incomplete only in this form.
        let mut expression_incomplete = false;
        if try_return {
            match Lua::compile(&[b"return ", &source[..]].concat(), b"=stdin") {
                Ok(proto) => {
                    reader.remember(&typed);
                    return Chunk::Run(proto);
                }
                Err(e) => expression_incomplete = incomplete(&e.message().unwrap_or_default()),
            }
        }
        match Lua::compile(&source, b"=stdin") {
            Ok(proto) => {
                reader.remember(&typed);
                return Chunk::Run(proto);
            }
            Err(e) => {
                let message = e.message().unwrap_or_default();
                if !incomplete(&message) && !expression_incomplete {
                    reader.remember(&typed);
                    l_message(None, &message);
                    return Chunk::Nothing;
                }
                match reader.read(&prompt(lua, false)) {
                    Input::Line(l) => {
                        for text in [&mut source, &mut typed] {
                            text.push(b'\n');
                            text.extend_from_slice(&l);
                        }
                    }
                    Input::Interrupted => return Chunk::Nothing,
                    Input::Eof => return Chunk::Exit,
                }
            }
        }
    }
}

/// Runs a chunk and prints its values (through the global `print`).
fn run_chunk(lua: &RefCell<Lua>, interrupt: &Interrupt, proto: &Rc<Prototype>) {
    if let Err(e) = interrupt.guard(|| lua.borrow_mut().run_proto(proto, &[])) {
        if let Some(text) = error_text(&e) {
            l_message(None, &text);
        }
        return;
    }
    if lua.borrow().mutate(|ctx| results(ctx).is_empty()) {
        return;
    }
    let printed = interrupt.guard(|| {
        lua.borrow_mut()
            .call(|ctx| (ctx.globals().get(ctx.str("print")), results(ctx)))
    });
    if let Err(e) = printed {
        let mut text = b"error calling 'print' (".to_vec();
        text.extend_from_slice(&e.message().unwrap_or_else(|| b"nil".to_vec()));
        text.push(b')');
        l_message(None, &text);
    }
}

/// The REPL; returns at end of input.
pub fn run(session: Session) {
    use std::io::IsTerminal;
    let Session { lua, interrupt, .. } = session;
    let lua = Rc::new(RefCell::new(lua));
    let mut reader: Box<dyn Reader> = if std::io::stdin().is_terminal() {
        match editor(lua.clone()) {
            Some(edit) => {
                interrupt.keep_alive();
                Box::new(edit)
            }
            None => Box::new(Plain),
        }
    } else {
        Box::new(Plain)
    };
    loop {
        match read_chunk(reader.as_mut(), &lua) {
            Chunk::Run(proto) => run_chunk(&lua, &interrupt, &proto),
            Chunk::Nothing => {}
            Chunk::Exit => break,
        }
    }
    reader.finish();
    drop(reader);
    lua.borrow_mut().close();
}
