//! Lua 5.1 pattern matching (`lstrlib.c` semantics) for `string.find`, `match`, `gmatch` and
//! `gsub`: classes, sets, anchors, quantifiers, captures, `%b`, `%f` and back-references, with
//! 5.1's exact error texts raised as lazily as 5.1 raises them.
//!
//! Key design decision: a faithful index-based port of 5.1's backtracking matcher (same tail-call
//! loops, same recursion points, so the same results and errors), with an explicit recursion
//! budget ([`MAX_DEPTH`]) reported as `pattern too complex` instead of overflowing the Rust stack.
//! Matching returns offsets, never strings, and the `gmatch`/`gsub` drivers are resumable step
//! functions holding only integers, so a VM can call Lua code between matches. As in C, the
//! pattern ends at its first NUL byte (use `%z` to match NUL).

use std::fmt;

use super::number::is_c_space;

/// Maximum number of captures in a pattern (`LUA_MAXCAPTURES`).
pub const MAX_CAPTURES: usize = 32;

/// Maximum nesting of the matcher's recursion (one level per `?`, `*`, `+`, `-` item or capture
/// being tried); deeper patterns fail with [`PatternError::TooComplex`]. Lua 5.2+ uses 200; 1000
/// keeps nearly every 5.1 pattern working while bounding stack use (measured: under 128 KB in
/// release builds, under 800 KB in debug builds).
pub const MAX_DEPTH: usize = 1000;

const CAP_UNFINISHED: isize = -1;
const CAP_POSITION: isize = -2;
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// An error in a pattern or in a capture reference, with Lua 5.1's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternError {
    /// `malformed pattern (ends with '%')`
    EndsWithPercent,
    /// `malformed pattern (missing ']')`
    MissingBracket,
    /// `missing '[' after '%f' in pattern`
    MissingFrontierBracket,
    /// `unbalanced pattern` (`%b` without two delimiter characters)
    Unbalanced,
    /// `invalid capture index`
    InvalidCaptureIndex,
    /// `invalid pattern capture` (a `)` closing no capture)
    InvalidPatternCapture,
    /// `unfinished capture` (a capture whose value is needed was never closed)
    UnfinishedCapture,
    /// `too many captures` (more than [`MAX_CAPTURES`])
    TooManyCaptures,
    /// `pattern too complex` (recursion beyond [`MAX_DEPTH`]; 5.1 would overflow its C stack)
    TooComplex,
}

impl PatternError {
    /// The exact Lua 5.1 error message.
    pub fn message(&self) -> &'static str {
        match self {
            PatternError::EndsWithPercent => "malformed pattern (ends with '%')",
            PatternError::MissingBracket => "malformed pattern (missing ']')",
            PatternError::MissingFrontierBracket => "missing '[' after '%f' in pattern",
            PatternError::Unbalanced => "unbalanced pattern",
            PatternError::InvalidCaptureIndex => "invalid capture index",
            PatternError::InvalidPatternCapture => "invalid pattern capture",
            PatternError::UnfinishedCapture => "unfinished capture",
            PatternError::TooManyCaptures => "too many captures",
            PatternError::TooComplex => "pattern too complex",
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for PatternError {}

/// The value of one capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// A substring: byte range `start..end` of the subject.
    Range(usize, usize),
    /// A position capture `()`: the 0-based byte offset (Lua sees `offset + 1`).
    Position(usize),
}

/// A successful match: the whole-match range and the capture state at the time of success.
#[derive(Debug, Clone)]
pub struct Match {
    /// Byte offset where the match starts.
    pub start: usize,
    /// Byte offset just past the match.
    pub end: usize,
    level: usize,
    capture: [(usize, isize); MAX_CAPTURES],
}

impl Match {
    /// Number of captures the pattern opened (0 when it has none). `string.find` returns exactly
    /// these after the two indices.
    pub fn level(&self) -> usize {
        self.level
    }

    /// Capture `i` (0-based) as 5.1's `push_onecapture` computes it: with no captures at all,
    /// index 0 is the whole match; an index beyond the captures is `invalid capture index`; a
    /// capture never closed is `unfinished capture`.
    pub fn capture(&self, i: usize) -> Result<Capture, PatternError> {
        if i >= self.level {
            return if i == 0 {
                Ok(Capture::Range(self.start, self.end))
            } else {
                Err(PatternError::InvalidCaptureIndex)
            };
        }
        let (init, len) = self.capture[i];
        match len {
            CAP_UNFINISHED => Err(PatternError::UnfinishedCapture),
            CAP_POSITION => Ok(Capture::Position(init)),
            len => Ok(Capture::Range(init, init + len as usize)),
        }
    }

    /// The values `string.match`, `gmatch` and a `gsub` replacement function receive: all
    /// captures, or the whole match when the pattern has none.
    pub fn captures(&self) -> Result<Vec<Capture>, PatternError> {
        (0..self.level.max(1)).map(|i| self.capture(i)).collect()
    }
}

/// Whether 5.1's `string.find` would search for `pattern` literally: it contains none of
/// `^$*+?.([%-` before its first NUL (C's `strpbrk`). The plain search then uses the *whole*
/// pattern, NULs included.
pub fn is_plain(pattern: &[u8]) -> bool {
    !c_str(pattern).iter().any(|c| SPECIALS.contains(c))
}

/// Plain substring search (5.1's `lmemfind`) from byte offset `init` (clamped to the subject
/// length): the offset of the first occurrence of `needle`; an empty needle is found at `init`.
pub fn find_plain(subject: &[u8], needle: &[u8], init: usize) -> Option<usize> {
    let init = init.min(subject.len());
    let hay = &subject[init..];
    let Some((&first, rest)) = needle.split_first() else {
        return Some(init);
    };
    if needle.len() > hay.len() {
        return None;
    }
    let last_start = hay.len() - needle.len();
    let mut i = 0;
    while i <= last_start {
        let off = hay[i..=last_start].iter().position(|&c| c == first)?;
        i += off;
        if &hay[i + 1..i + needle.len()] == rest {
            return Some(init + i);
        }
        i += 1;
    }
    None
}

/// Pattern search as 5.1's `string.find`/`string.match` do it: a leading `^` anchors the match
/// at `init`; otherwise every start from `init` (clamped to the subject length) up to and
/// including the end is tried.
pub fn find(subject: &[u8], pattern: &[u8], init: usize) -> Result<Option<Match>, PatternError> {
    let pattern = c_str(pattern);
    let (anchor, pat) = match pattern.split_first() {
        Some((b'^', rest)) => (true, rest),
        _ => (false, pattern),
    };
    let mut ms = State::new(subject, pat);
    let mut s = init.min(subject.len());
    loop {
        if let Some(m) = ms.try_at(s)? {
            return Ok(Some(m));
        }
        s += 1;
        if s > subject.len() || anchor {
            return Ok(None);
        }
    }
}

/// One step of `string.gmatch` (5.1's `gmatch_aux`): searches from `*pos` (no anchoring: a
/// leading `^` is an ordinary character in 5.1's `gmatch`), and on success moves `*pos` past the
/// match, or one byte further for an empty match. `*pos` starts at 0.
pub fn gmatch_next(
    subject: &[u8],
    pattern: &[u8],
    pos: &mut usize,
) -> Result<Option<Match>, PatternError> {
    let mut ms = State::new(subject, c_str(pattern));
    let mut s = *pos;
    while s <= subject.len() {
        if let Some(m) = ms.try_at(s)? {
            *pos = if m.end == s { m.end + 1 } else { m.end };
            return Ok(Some(m));
        }
        s += 1;
    }
    *pos = s;
    Ok(None)
}

/// Resumable driver of 5.1's `string.gsub` loop. Usage: create with [`Gsub::new`], call
/// [`Gsub::next_match`] until it returns `None`, appending each match's replacement to `out` in
/// between, then call [`Gsub::finish`]. The same subject, pattern and `out` must be passed to every
/// call; the driver appends the unmatched text itself.
#[derive(Debug, Clone)]
pub struct Gsub {
    pos: usize,
    count: usize,
    max: Option<usize>,
    last_end: Option<usize>,
    done: bool,
}

impl Gsub {
    /// Starts a substitution; `max` is the 4th argument of `gsub` (`None` = no limit; callers map
    /// negative values to `Some(0)`).
    pub fn new(max: Option<usize>) -> Gsub {
        Gsub {
            pos: 0,
            count: 0,
            max,
            last_end: None,
            done: false,
        }
    }

    /// Finds the next match to replace, appending skipped subject bytes to `out`. A leading `^`
    /// in `pattern` anchors: only one attempt, at the start.
    pub fn next_match(
        &mut self,
        subject: &[u8],
        pattern: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<Option<Match>, PatternError> {
        let pattern = c_str(pattern);
        let (anchor, pat) = match pattern.split_first() {
            Some((b'^', rest)) => (true, rest),
            _ => (false, pattern),
        };
        let mut ms = State::new(subject, pat);
        let mut matched = self.last_end.take();
        loop {
            if let Some(end) = matched {
                // Advance past the previous attempt (after its replacement, if it matched).
                if end > self.pos {
                    self.pos = end;
                } else if self.pos < subject.len() {
                    out.push(subject[self.pos]);
                    self.pos += 1;
                } else {
                    self.done = true;
                }
                if anchor {
                    self.done = true;
                }
            }
            if self.done || self.max.is_some_and(|max| self.count >= max) {
                self.done = true;
                return Ok(None);
            }
            match ms.try_at(self.pos)? {
                Some(m) => {
                    self.count += 1;
                    self.last_end = Some(m.end);
                    return Ok(Some(m));
                }
                // A failed attempt advances like an empty match.
                None => matched = Some(self.pos),
            }
        }
    }

    /// Appends the rest of the subject and returns the number of substitutions made.
    pub fn finish(self, subject: &[u8], out: &mut Vec<u8>) -> usize {
        out.extend_from_slice(&subject[self.pos.min(subject.len())..]);
        self.count
    }
}

/// Appends the expansion of a `gsub` replacement string (5.1's `add_s`): `%0` is the whole match,
/// `%1`..`%9` a capture (a position capture expands to its Lua position), `%` followed by any
/// other byte is that byte, and a final lone `%` yields a NUL byte, as in 5.1.
pub fn expand_replacement(
    repl: &[u8],
    subject: &[u8],
    m: &Match,
    out: &mut Vec<u8>,
) -> Result<(), PatternError> {
    let mut i = 0;
    while i < repl.len() {
        let c = repl[i];
        i += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        let d = repl.get(i).copied().unwrap_or(0);
        i += 1;
        match d {
            b'0' => out.extend_from_slice(&subject[m.start..m.end]),
            b'1'..=b'9' => match m.capture(usize::from(d - b'1'))? {
                Capture::Range(a, b) => out.extend_from_slice(&subject[a..b]),
                Capture::Position(p) => out.extend_from_slice((p + 1).to_string().as_bytes()),
            },
            _ => out.push(d),
        }
    }
    Ok(())
}

/// The bytes C sees of a Lua string: everything before the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    s.iter().position(|&c| c == 0).map_or(s, |i| &s[..i])
}

/// C-locale `<ctype.h>` class test for the class letter `cl` (lowercase tests, uppercase
/// complements); any other byte matches itself.
fn match_class(c: u8, cl: u8) -> bool {
    let res = match cl.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => is_c_space(c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0,
        _ => return cl == c,
    };
    if cl.is_ascii_lowercase() {
        res
    } else {
        !res
    }
}

/// Matcher state: 5.1's `MatchState` with indices instead of pointers.
struct State<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    level: usize,
    capture: [(usize, isize); MAX_CAPTURES],
    depth: usize,
}

type Step = Result<Option<usize>, PatternError>;

impl<'a> State<'a> {
    fn new(src: &'a [u8], pat: &'a [u8]) -> State<'a> {
        State {
            src,
            pat,
            level: 0,
            capture: [(0, 0); MAX_CAPTURES],
            depth: 0,
        }
    }

    /// One anchored attempt at `s`, packaged as a [`Match`].
    fn try_at(&mut self, s: usize) -> Result<Option<Match>, PatternError> {
        self.level = 0;
        self.depth = 0;
        Ok(self.do_match(s, 0)?.map(|end| Match {
            start: s,
            end,
            level: self.level,
            capture: self.capture,
        }))
    }

    /// Pattern byte at `i`, NUL past the end (C strings).
    fn p(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    /// Subject byte at `i`, NUL at the end (Lua strings are NUL-terminated).
    fn s(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    fn class_end(&self, mut p: usize) -> Result<usize, PatternError> {
        let c = self.p(p);
        p += 1;
        match c {
            b'%' => {
                if p >= self.pat.len() {
                    return Err(PatternError::EndsWithPercent);
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.p(p) == b'^' {
                    p += 1;
                }
                loop {
                    if p >= self.pat.len() {
                        return Err(PatternError::MissingBracket);
                    }
                    let c = self.p(p);
                    p += 1;
                    if c == b'%' && p < self.pat.len() {
                        p += 1;
                    }
                    if self.p(p) == b']' {
                        return Ok(p + 1);
                    }
                }
            }
            _ => Ok(p),
        }
    }

    /// Whether `c` is in the set `[...]` at `p` whose closing `]` is at `ec`.
    fn match_bracket_class(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.p(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                return !sig;
            }
            if self.p(p) == b'%' {
                p += 1;
                if match_class(c, self.p(p)) {
                    return sig;
                }
            } else if self.p(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if self.p(p - 2) <= c && c <= self.p(p) {
                    return sig;
                }
            } else if self.p(p) == c {
                return sig;
            }
        }
    }

    fn single_match(&self, c: u8, p: usize, ep: usize) -> bool {
        match self.p(p) {
            b'.' => true,
            b'%' => match_class(c, self.p(p + 1)),
            b'[' => self.match_bracket_class(c, p, ep - 1),
            pc => pc == c,
        }
    }

    fn do_match(&mut self, s: usize, p: usize) -> Step {
        if self.depth >= MAX_DEPTH {
            return Err(PatternError::TooComplex);
        }
        self.depth += 1;
        let r = self.match_loop(s, p);
        self.depth -= 1;
        r
    }

    fn match_loop(&mut self, mut s: usize, mut p: usize) -> Step {
        loop {
            match self.p(p) {
                b'(' => {
                    return if self.p(p + 1) == b')' {
                        self.start_capture(s, p + 2, CAP_POSITION)
                    } else {
                        self.start_capture(s, p + 1, CAP_UNFINISHED)
                    };
                }
                b')' => return self.end_capture(s, p + 1),
                b'%' if self.p(p + 1) == b'b' => match self.match_balance(s, p + 2)? {
                    Some(e) => {
                        s = e;
                        p += 4;
                        continue;
                    }
                    None => return Ok(None),
                },
                b'%' if self.p(p + 1) == b'f' => {
                    p += 2;
                    if self.p(p) != b'[' {
                        return Err(PatternError::MissingFrontierBracket);
                    }
                    let ep = self.class_end(p)?;
                    let previous = if s == 0 { 0 } else { self.src[s - 1] };
                    if self.match_bracket_class(previous, p, ep - 1)
                        || !self.match_bracket_class(self.s(s), p, ep - 1)
                    {
                        return Ok(None);
                    }
                    p = ep;
                    continue;
                }
                b'%' if self.p(p + 1).is_ascii_digit() => {
                    match self.match_capture(s, self.p(p + 1))? {
                        Some(e) => {
                            s = e;
                            p += 2;
                            continue;
                        }
                        None => return Ok(None),
                    }
                }
                0 if p >= self.pat.len() => return Ok(Some(s)),
                b'$' if p + 1 == self.pat.len() => {
                    return Ok((s == self.src.len()).then_some(s));
                }
                _ => {}
            }
            // A single-character item, possibly followed by a quantifier.
            let ep = self.class_end(p)?;
            let m = s < self.src.len() && self.single_match(self.src[s], p, ep);
            match self.p(ep) {
                b'?' => {
                    if m {
                        if let Some(res) = self.do_match(s + 1, ep + 1)? {
                            return Ok(Some(res));
                        }
                    }
                    p = ep + 1;
                }
                b'*' => return self.max_expand(s, p, ep),
                b'+' => {
                    return if m {
                        self.max_expand(s + 1, p, ep)
                    } else {
                        Ok(None)
                    }
                }
                b'-' => return self.min_expand(s, p, ep),
                _ => {
                    if !m {
                        return Ok(None);
                    }
                    s += 1;
                    p = ep;
                }
            }
        }
    }

    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Step {
        let mut i = 0;
        while s + i < self.src.len() && self.single_match(self.src[s + i], p, ep) {
            i += 1;
        }
        loop {
            if let Some(res) = self.do_match(s + i, ep + 1)? {
                return Ok(Some(res));
            }
            if i == 0 {
                return Ok(None);
            }
            i -= 1;
        }
    }

    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> Step {
        loop {
            if let Some(res) = self.do_match(s, ep + 1)? {
                return Ok(Some(res));
            }
            if s < self.src.len() && self.single_match(self.src[s], p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, what: isize) -> Step {
        let level = self.level;
        if level >= MAX_CAPTURES {
            return Err(PatternError::TooManyCaptures);
        }
        self.capture[level] = (s, what);
        self.level = level + 1;
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.level -= 1;
        }
        Ok(res)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Step {
        let l = (0..self.level)
            .rev()
            .find(|&l| self.capture[l].1 == CAP_UNFINISHED)
            .ok_or(PatternError::InvalidPatternCapture)?;
        self.capture[l].1 = (s - self.capture[l].0) as isize;
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.capture[l].1 = CAP_UNFINISHED;
        }
        Ok(res)
    }

    fn match_balance(&self, s: usize, p: usize) -> Step {
        if p + 1 >= self.pat.len() {
            return Err(PatternError::Unbalanced);
        }
        let (b, e) = (self.pat[p], self.pat[p + 1]);
        if s >= self.src.len() || self.src[s] != b {
            return Ok(None);
        }
        let mut cont = 1;
        for i in s + 1..self.src.len() {
            let c = self.src[i];
            if c == e {
                cont -= 1;
                if cont == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == b {
                cont += 1;
            }
        }
        Ok(None)
    }

    fn match_capture(&self, s: usize, l: u8) -> Step {
        let l = usize::from(l).wrapping_sub(usize::from(b'1'));
        if l >= self.level || self.capture[l].1 == CAP_UNFINISHED {
            return Err(PatternError::InvalidCaptureIndex);
        }
        let (init, len) = self.capture[l];
        if len < 0 {
            return Ok(None); // a position capture never matches as a back-reference
        }
        let len = len as usize;
        if self.src.len() - s >= len && self.src[init..init + len] == self.src[s..s + len] {
            Ok(Some(s + len))
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `string.find` results: `Some((start1, end1, captures))` in Lua's 1-based terms.
    fn lua_find(
        s: &str,
        p: &str,
        init: usize,
    ) -> Result<Option<(usize, usize, Vec<String>)>, String> {
        let (s, p) = (s.as_bytes(), p.as_bytes());
        if is_plain(p) {
            return Ok(find_plain(s, p, init).map(|i| (i + 1, i + p.len(), vec![])));
        }
        let Some(m) = find(s, p, init).map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let caps = (0..m.level())
            .map(|i| m.capture(i).map(|c| show(s, c)))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        Ok(Some((m.start + 1, m.end, caps)))
    }

    fn show(s: &[u8], c: Capture) -> String {
        match c {
            Capture::Range(a, b) => String::from_utf8_lossy(&s[a..b]).into_owned(),
            Capture::Position(p) => (p + 1).to_string(),
        }
    }

    fn lua_match(s: &str, p: &str) -> Result<Option<Vec<String>>, String> {
        let Some(m) = find(s.as_bytes(), p.as_bytes(), 0).map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let caps = m.captures().map_err(|e| e.to_string())?;
        Ok(Some(
            caps.into_iter().map(|c| show(s.as_bytes(), c)).collect(),
        ))
    }

    fn gmatch(s: &str, p: &str) -> Vec<String> {
        let mut pos = 0;
        let mut all = Vec::new();
        while let Some(m) = gmatch_next(s.as_bytes(), p.as_bytes(), &mut pos).unwrap() {
            let caps: Vec<String> = m
                .captures()
                .unwrap()
                .into_iter()
                .map(|c| show(s.as_bytes(), c))
                .collect();
            all.push(caps.join(","));
        }
        all
    }

    fn gsub(s: &str, p: &str, r: &str, max: Option<usize>) -> Result<(String, usize), String> {
        let (sb, pb) = (s.as_bytes(), p.as_bytes());
        let mut out = Vec::new();
        let mut g = Gsub::new(max);
        while let Some(m) = g.next_match(sb, pb, &mut out).map_err(|e| e.to_string())? {
            expand_replacement(r.as_bytes(), sb, &m, &mut out).map_err(|e| e.to_string())?;
        }
        let n = g.finish(sb, &mut out);
        Ok((String::from_utf8_lossy(&out).into_owned(), n))
    }

    fn found(
        a: usize,
        b: usize,
        caps: &[&str],
    ) -> Result<Option<(usize, usize, Vec<String>)>, String> {
        Ok(Some((a, b, caps.iter().map(|c| c.to_string()).collect())))
    }

    fn error(msg: &str) -> Result<Option<(usize, usize, Vec<String>)>, String> {
        Err(msg.to_string())
    }

    #[test]
    fn find_like_lua51() {
        // Expectations from lua5.1's string.find.
        assert_eq!(lua_find("", "a%", 0), Ok(None));
        assert_eq!(
            lua_find("a", "a%", 0),
            error("malformed pattern (ends with '%')")
        );
        assert_eq!(lua_find("abc", "x[", 0), Ok(None));
        assert_eq!(
            lua_find("abc", "[a", 0),
            error("malformed pattern (missing ']')")
        );
        assert_eq!(
            lua_find("abc", "%f", 0),
            error("missing '[' after '%f' in pattern")
        );
        assert_eq!(
            lua_find("abc", "%fa", 0),
            error("missing '[' after '%f' in pattern")
        );
        assert_eq!(lua_find("abc", "%b", 0), error("unbalanced pattern"));
        assert_eq!(lua_find("abc", "%ba", 0), error("unbalanced pattern"));
        assert_eq!(lua_find("abc", "%0", 0), error("invalid capture index"));
        assert_eq!(lua_find("abc", "(a)%2", 0), error("invalid capture index"));
        assert_eq!(lua_find("abc", "(a%1)", 0), error("invalid capture index"));
        assert_eq!(lua_find("abc", "a)", 0), Ok(None));
        assert_eq!(lua_find("abc", "a.)", 0), error("invalid pattern capture"));
        assert_eq!(lua_find("abc", "(a", 0), error("unfinished capture"));
        assert_eq!(lua_find("abc", "(()", 0), error("unfinished capture"));
        assert_eq!(
            lua_find(&"a".repeat(40), &"(a)".repeat(33), 0),
            error("too many captures")
        );
        assert_eq!(lua_find("abc", "", 10), found(4, 3, &[]));
        assert_eq!(lua_find("abc", "^b", 0), Ok(None));
        assert_eq!(lua_find("abc", "^b", 1), found(2, 2, &[]));
        assert_eq!(lua_find("a^b", "a^b", 0), found(1, 3, &[]));
        assert_eq!(lua_find("ab$c", "b$c", 0), found(2, 4, &[]));
        assert_eq!(lua_find("abc", "c$", 0), found(3, 3, &[]));
        assert_eq!(
            lua_find("THE (quick) fox", "%f[%a]%a+", 0),
            found(1, 3, &[])
        );
        assert_eq!(lua_find("x(a(b)c)y", "%b()", 0), found(2, 8, &[]));
        assert_eq!(lua_find("hello", "()ll()", 0), found(3, 4, &["3", "5"]));
        assert_eq!(lua_find("abc", "[]]", 0), Ok(None));
        assert_eq!(lua_find("a]c", "[]]", 0), found(2, 2, &[]));
        assert_eq!(lua_find("a-c", "[a-]", 0), found(1, 1, &[]));
        assert_eq!(lua_find("-", "[a-]", 0), found(1, 1, &[]));
        assert_eq!(lua_find("b", "[%a-z]", 0), found(1, 1, &[]));
        assert_eq!(lua_find("a\0b", "%z", 0), found(2, 2, &[]));
        assert_eq!(lua_find("a\0b", "[%z]", 0), found(2, 2, &[]));
        assert_eq!(lua_find("aaa", "a-b", 0), Ok(None));
        assert_eq!(lua_find("aaab", "a-b", 0), found(1, 4, &[]));
        assert_eq!(lua_find("aaab", "a*", 0), found(1, 3, &[]));
        assert_eq!(lua_find("aa", "()%1", 0), Ok(None));
        assert_eq!(lua_find("abc", "[^a]", 0), found(2, 2, &[]));
        assert_eq!(lua_find("^", "[^^]", 0), Ok(None));
        assert_eq!(lua_find("abc", "[a-c]+$", 0), found(1, 3, &[]));
        assert_eq!(lua_find("a\0%", "\0%", 0), found(2, 3, &[]));
        assert_eq!(lua_find("xa\0y", "a\0z", 0), Ok(None));
        assert_eq!(lua_find("a.b", "%.", 0), found(2, 2, &[]));
        assert_eq!(lua_find("abcabc", "b", 3), found(5, 5, &[]));
        assert_eq!(lua_find("abab", "(ab)%1", 0), found(1, 4, &["ab"]));
        assert_eq!(lua_find(" \t\x0bx", "%S", 0), found(4, 4, &[]));
        assert_eq!(lua_find("a+b", "%p", 0), found(2, 2, &[]));
        assert_eq!(lua_find("abC", "%u", 0), found(3, 3, &[]));
        assert_eq!(lua_find("\x7f", "%c", 0), found(1, 1, &[]));
        assert_eq!(lua_find("xyz9", "%x", 0), found(4, 4, &[]));
        assert_eq!(lua_find("\u{e9}", "%a", 0), Ok(None));
        assert_eq!(lua_find("ab", "a?b?c?$", 0), found(1, 2, &[]));
    }

    #[test]
    fn match_like_lua51() {
        let v = |xs: &[&str]| Ok(Some(xs.iter().map(|x| x.to_string()).collect::<Vec<_>>()));
        assert_eq!(
            lua_match("key = value", "(%w+)%s*=%s*(%w+)"),
            v(&["key", "value"])
        );
        assert_eq!(lua_match("  x", "^%s*()"), v(&["3"]));
        assert_eq!(lua_match("hello", "()ll()"), v(&["3", "5"]));
        assert_eq!(lua_match("f(a)", "%f[%w]%w+"), v(&["f"]));
        assert_eq!(lua_match("THE END", "%f[%z]"), v(&[""]));
        assert_eq!(lua_match("abc", "(a"), Err("unfinished capture".into()));
        assert_eq!(lua_match("abc", "x"), Ok(None));
        assert_eq!(lua_match("[[x]]", "%[(=*)%["), v(&[""]));
    }

    #[test]
    fn gmatch_like_lua51() {
        assert_eq!(gmatch("abc", "^a"), Vec::<String>::new());
        assert_eq!(gmatch("^a^a", "^a"), ["^a", "^a"]);
        assert_eq!(gmatch("k=v, x=y", "(%w+)=(%w+)"), ["k,v", "x,y"]);
        assert_eq!(gmatch("abc", ""), ["", "", "", ""]);
        assert_eq!(gmatch("abc", "b*"), ["", "b", "", ""]);
        assert_eq!(gmatch("one two", "%a+"), ["one", "two"]);
    }

    #[test]
    fn gsub_like_lua51() {
        let ok = |s: &str, n| Ok((s.to_string(), n));
        assert_eq!(gsub("abc", "(a", "x", None), ok("xbc", 1));
        assert_eq!(gsub("abc", "(a)(b", "%1", None), ok("ac", 1));
        assert_eq!(
            gsub("abc", "(a)(b", "%2", None),
            Err("unfinished capture".into())
        );
        assert_eq!(gsub("abc", "b", "%", None), ok("a\0c", 1));
        assert_eq!(gsub("abc", "b", "%%%a%1", None), ok("a%abc", 1));
        assert_eq!(
            gsub("abc", "b", "%2", None),
            Err("invalid capture index".into())
        );
        assert_eq!(gsub("hello world", "o", "0", Some(1)), ok("hell0 world", 1));
        assert_eq!(gsub("abc", "", "-", None), ok("-a-b-c-", 4));
        assert_eq!(gsub("abc", "^", "-", None), ok("-abc", 1));
        assert_eq!(gsub("abc", "b*", "X", None), ok("XaXXcX", 4));
        assert_eq!(gsub("hello", "(l)(l)", "%2%1", None), ok("hello", 1));
        assert_eq!(gsub("abc", "%w", "%0%0", None), ok("aabbcc", 3));
        assert_eq!(gsub("abc", "x", "y", None), ok("abc", 0));
        assert_eq!(gsub("abc", ".", "x", Some(0)), ok("abc", 0));
        assert_eq!(gsub("aaa", "^a", "b", None), ok("baa", 1));
        assert_eq!(gsub("xaa", "^a", "b", None), ok("xaa", 0));
        assert_eq!(gsub("hello", "()l", "%1", None), ok("he34o", 2));
        assert_eq!(gsub("", "", "x", None), ok("x", 1));
    }

    #[test]
    fn deep_patterns_fail_cleanly() {
        let subject = "a".repeat(5000);
        let pattern = "a?".repeat(5000);
        assert_eq!(
            find(subject.as_bytes(), pattern.as_bytes(), 0).unwrap_err(),
            PatternError::TooComplex
        );
        let ok = "a?".repeat(900);
        assert!(find(subject.as_bytes(), ok.as_bytes(), 0)
            .unwrap()
            .is_some());
    }

    #[test]
    fn plain_search() {
        assert!(is_plain(b"a)"));
        assert!(!is_plain(b"a."));
        assert!(is_plain(b"a\0."));
        assert_eq!(find_plain(b"hello", b"ll", 0), Some(2));
        assert_eq!(find_plain(b"hello", b"", 9), Some(5));
        assert_eq!(find_plain(b"hello", b"lo", 4), None);
        assert_eq!(find_plain(b"aab", b"ab", 0), Some(1));
    }
}
