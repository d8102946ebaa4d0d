//! The Lua 5.1 lexer: bytes to tokens, with `llex.c`'s exact error messages.
//!
//! Design: like PUC-Rio's lexer we keep the text of the token being read in a buffer (`buf`) that
//! survives until the next token starts; error messages quote that buffer for names, strings and
//! numbers (`near '"abc'`), which is what makes our messages byte-identical to lua5.1's.

use super::numeral::str2number;
use super::SyntaxError;
use crate::proto::chunk_id;

/// A token kind. Single-character tokens are [`Tok::Char`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A single-character token such as `+` or `(`, or any other byte.
    Char(u8),
    /// Reserved word `and`.
    And,
    /// Reserved word `break`.
    Break,
    /// Reserved word `do`.
    Do,
    /// Reserved word `else`.
    Else,
    /// Reserved word `elseif`.
    Elseif,
    /// Reserved word `end`.
    End,
    /// Reserved word `false`.
    False,
    /// Reserved word `for`.
    For,
    /// Reserved word `function`.
    Function,
    /// Reserved word `if`.
    If,
    /// Reserved word `in`.
    In,
    /// Reserved word `local`.
    Local,
    /// Reserved word `nil`.
    Nil,
    /// Reserved word `not`.
    Not,
    /// Reserved word `or`.
    Or,
    /// Reserved word `repeat`.
    Repeat,
    /// Reserved word `return`.
    Return,
    /// Reserved word `then`.
    Then,
    /// Reserved word `true`.
    True,
    /// Reserved word `until`.
    Until,
    /// Reserved word `while`.
    While,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `~=`
    Ne,
    /// A numeral; its value is in [`Token::num`].
    Number,
    /// A name; its text is in [`Token::text`].
    Name,
    /// A string literal; its contents are in [`Token::text`].
    String,
    /// End of input.
    Eos,
}

const RESERVED: [(&[u8], Tok); 21] = [
    (b"and", Tok::And),
    (b"break", Tok::Break),
    (b"do", Tok::Do),
    (b"else", Tok::Else),
    (b"elseif", Tok::Elseif),
    (b"end", Tok::End),
    (b"false", Tok::False),
    (b"for", Tok::For),
    (b"function", Tok::Function),
    (b"if", Tok::If),
    (b"in", Tok::In),
    (b"local", Tok::Local),
    (b"nil", Tok::Nil),
    (b"not", Tok::Not),
    (b"or", Tok::Or),
    (b"repeat", Tok::Repeat),
    (b"return", Tok::Return),
    (b"then", Tok::Then),
    (b"true", Tok::True),
    (b"until", Tok::Until),
    (b"while", Tok::While),
];

impl Tok {
    /// How `luaX_token2str` names the token in messages.
    pub fn describe(self) -> Vec<u8> {
        let fixed: &str = match self {
            Tok::Char(c) => {
                return if c.is_ascii_control() {
                    format!("char({c})").into_bytes()
                } else {
                    vec![c]
                };
            }
            Tok::Concat => "..",
            Tok::Dots => "...",
            Tok::Eq => "==",
            Tok::Ge => ">=",
            Tok::Le => "<=",
            Tok::Ne => "~=",
            Tok::Number => "<number>",
            Tok::Name => "<name>",
            Tok::String => "<string>",
            Tok::Eos => "<eof>",
            word => {
                let (name, _) = RESERVED.iter().find(|(_, t)| *t == word).expect("reserved");
                return name.to_vec();
            }
        };
        fixed.as_bytes().to_vec()
    }
}

/// A token with its semantic value.
#[derive(Clone, Debug)]
pub struct Token {
    /// The kind.
    pub tok: Tok,
    /// Name text or string contents.
    pub text: Vec<u8>,
    /// Numeral value.
    pub num: f64,
}

impl Token {
    fn eos() -> Token {
        Token {
            tok: Tok::Eos,
            text: Vec::new(),
            num: 0.0,
        }
    }
}

/// Lexer state: the input, the current position and line, and the token buffer.
pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    /// Current line (`ls->linenumber`).
    pub line: u32,
    /// Line of the last token consumed by [`Lexer::advance`] (`ls->lastline`).
    pub lastline: u32,
    /// Current token.
    pub t: Token,
    lookahead: Option<Token>,
    buf: Vec<u8>,
    chunk: Vec<u8>,
}

/// End-of-input marker for `current`.
const EOZ: i32 = -1;

impl<'a> Lexer<'a> {
    /// A lexer over `src`; `chunkname` is used for message prefixes.
    pub fn new(src: &'a [u8], chunkname: &[u8]) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            line: 1,
            lastline: 1,
            t: Token::eos(),
            lookahead: None,
            buf: Vec::new(),
            chunk: chunk_id(chunkname),
        }
    }

    fn current(&self) -> i32 {
        self.src.get(self.pos).map_or(EOZ, |&c| i32::from(c))
    }

    fn next_char(&mut self) {
        self.pos += 1;
    }

    fn save(&mut self, c: u8) {
        self.buf.push(c);
    }

    fn save_and_next(&mut self) {
        if let Some(&c) = self.src.get(self.pos) {
            self.buf.push(c);
        }
        self.pos += 1;
    }

    fn is_newline(&self) -> bool {
        matches!(self.current(), 10 | 13)
    }

    /// An error at the current line: `chunk:line: msg` plus ` near 'tok'` when `near` is given.
    pub fn error(&self, msg: &[u8], near: Option<Tok>) -> SyntaxError {
        let mut m = self.chunk.clone();
        m.extend_from_slice(format!(":{}: ", self.line).as_bytes());
        m.extend_from_slice(msg);
        // `luaX_lexerror` adds the token only `if (token)`: a NUL byte token gets no `near`.
        if let Some(tok) = near.filter(|t| !matches!(t, Tok::Char(0))) {
            m.extend_from_slice(b" near '");
            match tok {
                Tok::Name | Tok::String | Tok::Number => {
                    let end = self
                        .buf
                        .iter()
                        .position(|&c| c == 0)
                        .unwrap_or(self.buf.len());
                    m.extend_from_slice(&self.buf[..end]);
                }
                other => m.extend_from_slice(&other.describe()),
            }
            m.push(b'\'');
        }
        SyntaxError { message: m }
    }

    /// A syntax error about the current token (`luaX_syntaxerror`).
    pub fn syntax_error(&self, msg: &[u8]) -> SyntaxError {
        self.error(msg, Some(self.t.tok))
    }

    fn inc_line(&mut self) -> Result<(), SyntaxError> {
        let old = self.current();
        self.next_char();
        if self.is_newline() && self.current() != old {
            self.next_char();
        }
        self.line += 1;
        if self.line >= i32::MAX as u32 {
            return Err(self.syntax_error(b"chunk has too many lines"));
        }
        Ok(())
    }

    /// Moves to the next token (`luaX_next`).
    pub fn advance(&mut self) -> Result<(), SyntaxError> {
        self.lastline = self.line;
        self.t = match self.lookahead.take() {
            Some(t) => t,
            None => self.lex()?,
        };
        Ok(())
    }

    /// Reads the token after the current one without consuming it (`luaX_lookahead`).
    pub fn peek(&mut self) -> Result<Tok, SyntaxError> {
        let t = self.lex()?;
        let tok = t.tok;
        self.lookahead = Some(t);
        Ok(tok)
    }

    fn simple(tok: Tok) -> Token {
        Token {
            tok,
            text: Vec::new(),
            num: 0.0,
        }
    }

    fn skip_sep(&mut self) -> i32 {
        let s = self.current();
        let mut count = 0;
        self.save_and_next();
        while self.current() == i32::from(b'=') {
            self.save_and_next();
            count += 1;
        }
        if self.current() == s {
            count
        } else {
            -count - 1
        }
    }

    fn read_long_string(&mut self, is_string: bool, sep: i32) -> Result<Vec<u8>, SyntaxError> {
        self.save_and_next();
        if self.is_newline() {
            self.inc_line()?;
        }
        loop {
            match self.current() {
                EOZ => {
                    let msg: &[u8] = if is_string {
                        b"unfinished long string"
                    } else {
                        b"unfinished long comment"
                    };
                    return Err(self.error(msg, Some(Tok::Eos)));
                }
                0x5b => {
                    if self.skip_sep() == sep {
                        self.save_and_next();
                        if sep == 0 {
                            return Err(self.error(
                                b"nesting of [[...]] is deprecated",
                                Some(Tok::Char(b'[')),
                            ));
                        }
                    }
                }
                0x5d => {
                    if self.skip_sep() == sep {
                        self.save_and_next();
                        break;
                    }
                }
                10 | 13 => {
                    self.save(b'\n');
                    self.inc_line()?;
                    if !is_string {
                        self.buf.clear();
                    }
                }
                _ => {
                    if is_string {
                        self.save_and_next();
                    } else {
                        self.next_char();
                    }
                }
            }
        }
        if !is_string {
            return Ok(Vec::new());
        }
        let skip = (2 + sep) as usize;
        Ok(self.buf[skip..self.buf.len() - skip].to_vec())
    }

    fn read_string(&mut self, del: i32) -> Result<Vec<u8>, SyntaxError> {
        self.save_and_next();
        while self.current() != del {
            match self.current() {
                EOZ => return Err(self.error(b"unfinished string", Some(Tok::Eos))),
                10 | 13 => return Err(self.error(b"unfinished string", Some(Tok::String))),
                0x5c => {
                    self.next_char();
                    let c = match self.current() {
                        0x61 => 7,
                        0x62 => 8,
                        0x66 => 12,
                        0x6e => 10,
                        0x72 => 13,
                        0x74 => 9,
                        0x76 => 11,
                        10 | 13 => {
                            self.save(b'\n');
                            self.inc_line()?;
                            continue;
                        }
                        EOZ => continue,
                        c if (c as u8).is_ascii_digit() => {
                            let mut value = 0;
                            let mut i = 0;
                            loop {
                                value = 10 * value + (self.current() - i32::from(b'0'));
                                self.next_char();
                                i += 1;
                                if i >= 3
                                    || !(self.current() as u8).is_ascii_digit()
                                    || self.current() == EOZ
                                {
                                    break;
                                }
                            }
                            if value > 255 {
                                return Err(
                                    self.error(b"escape sequence too large", Some(Tok::String))
                                );
                            }
                            self.save(value as u8);
                            continue;
                        }
                        _ => {
                            self.save_and_next();
                            continue;
                        }
                    };
                    self.save(c);
                    self.next_char();
                }
                _ => self.save_and_next(),
            }
        }
        self.save_and_next();
        Ok(self.buf[1..self.buf.len() - 1].to_vec())
    }

    fn read_numeral(&mut self) -> Result<Token, SyntaxError> {
        loop {
            self.save_and_next();
            let c = self.current();
            if !(c != EOZ && ((c as u8).is_ascii_digit() || c == i32::from(b'.'))) {
                break;
            }
        }
        if matches!(self.current(), 0x45 | 0x65) {
            self.save_and_next();
            if matches!(self.current(), 0x2b | 0x2d) {
                self.save_and_next();
            }
        }
        while self.current() != EOZ
            && ((self.current() as u8).is_ascii_alphanumeric() || self.current() == i32::from(b'_'))
        {
            self.save_and_next();
        }
        match str2number(&self.buf) {
            Some(num) => Ok(Token {
                tok: Tok::Number,
                text: Vec::new(),
                num,
            }),
            None => Err(self.error(b"malformed number", Some(Tok::Number))),
        }
    }

    fn lex(&mut self) -> Result<Token, SyntaxError> {
        self.buf.clear();
        loop {
            let c = self.current();
            if c == EOZ {
                return Ok(Token::eos());
            }
            let ch = c as u8;
            match ch {
                b'\n' | b'\r' => self.inc_line()?,
                b'-' => {
                    self.next_char();
                    if self.current() != i32::from(b'-') {
                        return Ok(Self::simple(Tok::Char(b'-')));
                    }
                    self.next_char();
                    if self.current() == i32::from(b'[') {
                        let sep = self.skip_sep();
                        self.buf.clear();
                        if sep >= 0 {
                            self.read_long_string(false, sep)?;
                            self.buf.clear();
                            continue;
                        }
                    }
                    while !self.is_newline() && self.current() != EOZ {
                        self.next_char();
                    }
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 0 {
                        let text = self.read_long_string(true, sep)?;
                        return Ok(Token {
                            tok: Tok::String,
                            text,
                            num: 0.0,
                        });
                    } else if sep == -1 {
                        return Ok(Self::simple(Tok::Char(b'[')));
                    } else {
                        return Err(self.error(b"invalid long string delimiter", Some(Tok::String)));
                    }
                }
                b'=' | b'<' | b'>' | b'~' => {
                    self.next_char();
                    if self.current() != i32::from(b'=') {
                        return Ok(Self::simple(Tok::Char(ch)));
                    }
                    self.next_char();
                    return Ok(Self::simple(match ch {
                        b'=' => Tok::Eq,
                        b'<' => Tok::Le,
                        b'>' => Tok::Ge,
                        _ => Tok::Ne,
                    }));
                }
                b'"' | b'\'' => {
                    let text = self.read_string(c)?;
                    return Ok(Token {
                        tok: Tok::String,
                        text,
                        num: 0.0,
                    });
                }
                b'.' => {
                    self.save_and_next();
                    if self.current() == i32::from(b'.') {
                        self.save_and_next();
                        if self.current() == i32::from(b'.') {
                            self.save_and_next();
                            return Ok(Self::simple(Tok::Dots));
                        }
                        return Ok(Self::simple(Tok::Concat));
                    }
                    let next = self.current();
                    if next == EOZ || !(next as u8).is_ascii_digit() {
                        return Ok(Self::simple(Tok::Char(b'.')));
                    }
                    return self.read_numeral();
                }
                _ if matches!(ch, b' ' | b'\t' | 0x0b | 0x0c) => self.next_char(),
                _ if ch.is_ascii_digit() => return self.read_numeral(),
                _ if ch.is_ascii_alphabetic() || ch == b'_' => {
                    loop {
                        self.save_and_next();
                        let c = self.current();
                        if c == EOZ || !((c as u8).is_ascii_alphanumeric() || c == i32::from(b'_'))
                        {
                            break;
                        }
                    }
                    if let Some((_, tok)) = RESERVED.iter().find(|(w, _)| *w == self.buf.as_slice())
                    {
                        return Ok(Self::simple(*tok));
                    }
                    return Ok(Token {
                        tok: Tok::Name,
                        text: self.buf.clone(),
                        num: 0.0,
                    });
                }
                _ => {
                    self.next_char();
                    return Ok(Self::simple(Tok::Char(ch)));
                }
            }
        }
    }
}
