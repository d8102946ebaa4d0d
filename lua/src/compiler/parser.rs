//! The recursive-descent parser (Lua 5.1's `lparser.c`): grammar, scopes, locals and upvalues.
//!
//! Design: single pass, no syntax tree. Each grammar rule drives the code generator
//! ([`super::codegen`]) directly through expression descriptors, in the same order as PUC-Rio's
//! parser, so register allocation, instruction order, line info and debug info all match lua5.1.
//! The function being compiled is `fs`; enclosing functions wait in `outer`.

use std::rc::Rc;

use super::codegen::{BinOpr, UnOpr};
use super::func_state::{BlockCnt, ExpDesc, ExpKind, FuncState, UpvalDesc, MULTRET, NO_JUMP};
use super::lexer::{Lexer, Tok};
use super::SyntaxError;
use crate::opcode::{
    get_a, OpCode, FIELDS_PER_FLUSH, VARARG_HASARG, VARARG_ISVARARG, VARARG_NEEDSARG,
};
use crate::proto::{LocalInfo, Prototype};

/// Result of a parsing step.
pub type PResult<T> = Result<T, SyntaxError>;

/// `LUAI_MAXVARS`.
const MAX_VARS: i32 = 200;
/// `LUAI_MAXUPVALUES`.
const MAX_UPVALUES: usize = 60;
/// `LUAI_MAXCCALLS`.
const MAX_CCALLS: u32 = 200;
/// `UNARY_PRIORITY`.
const UNARY_PRIORITY: u8 = 8;

/// Parser state: the lexer plus the stack of functions being compiled.
pub struct Parser<'a> {
    /// The token source.
    pub lex: Lexer<'a>,
    /// The innermost function being compiled.
    pub fs: FuncState,
    /// Enclosing functions, outermost first.
    pub outer: Vec<FuncState>,
    source: Rc<[u8]>,
    nccalls: u32,
    /// An error raised where the code generator cannot return one (jump patching while
    /// emitting); reported at the end of the current statement.
    deferred: Option<SyntaxError>,
}

/// The targets of a multiple assignment read so far (5.1's `LHS_assign` chain), first to last.
struct LhsList {
    targets: Vec<ExpDesc>,
}

/// Table constructor state (`ConsControl`): pending list item and item counts.
struct ConsControl {
    v: ExpDesc,
    table: ExpDesc,
    nh: i32,
    na: i32,
    tostore: i32,
}

fn binopr(tok: Tok) -> Option<BinOpr> {
    Some(match tok {
        Tok::Char(b'+') => BinOpr::Add,
        Tok::Char(b'-') => BinOpr::Sub,
        Tok::Char(b'*') => BinOpr::Mul,
        Tok::Char(b'/') => BinOpr::Div,
        Tok::Char(b'%') => BinOpr::Mod,
        Tok::Char(b'^') => BinOpr::Pow,
        Tok::Concat => BinOpr::Concat,
        Tok::Ne => BinOpr::Ne,
        Tok::Eq => BinOpr::Eq,
        Tok::Char(b'<') => BinOpr::Lt,
        Tok::Le => BinOpr::Le,
        Tok::Char(b'>') => BinOpr::Gt,
        Tok::Ge => BinOpr::Ge,
        Tok::And => BinOpr::And,
        Tok::Or => BinOpr::Or,
        _ => return None,
    })
}

/// Left and right priorities of a binary operator.
fn priority(op: BinOpr) -> (u8, u8) {
    match op {
        BinOpr::Add | BinOpr::Sub => (6, 6),
        BinOpr::Mul | BinOpr::Div | BinOpr::Mod => (7, 7),
        BinOpr::Pow => (10, 9),
        BinOpr::Concat => (5, 4),
        BinOpr::Ne | BinOpr::Eq | BinOpr::Lt | BinOpr::Le | BinOpr::Gt | BinOpr::Ge => (3, 3),
        BinOpr::And => (2, 2),
        BinOpr::Or => (1, 1),
    }
}

fn block_follow(tok: Tok) -> bool {
    matches!(
        tok,
        Tok::Else | Tok::Elseif | Tok::End | Tok::Until | Tok::Eos
    )
}

impl<'a> Parser<'a> {
    /// Compiles a whole chunk into the main function's prototype (`luaY_parser`).
    pub fn parse_chunk(source: &'a [u8], chunkname: &[u8], c_depth: u32) -> PResult<Prototype> {
        let mut fs = FuncState::new(0);
        fs.is_vararg = VARARG_ISVARARG;
        let mut p = Parser {
            lex: Lexer::new(source, chunkname),
            fs,
            outer: Vec::new(),
            source: Rc::from(chunkname),
            nccalls: c_depth,
            deferred: None,
        };
        p.lex.advance()?;
        p.chunk()?;
        p.check(Tok::Eos)?;
        p.close_func();
        let fs = std::mem::replace(&mut p.fs, FuncState::new(0));
        Ok(fs.finish(p.source.clone()))
    }

    /// Records an error to be reported at the end of the current statement (first one wins).
    pub fn defer_error(&mut self, e: SyntaxError) {
        self.deferred.get_or_insert(e);
    }

    fn tok(&self) -> Tok {
        self.lex.t.tok
    }

    fn next(&mut self) -> PResult<()> {
        self.lex.advance()
    }

    fn error_expected(&self, tok: Tok) -> SyntaxError {
        let mut msg = b"'".to_vec();
        msg.extend_from_slice(&tok.describe());
        msg.extend_from_slice(b"' expected");
        self.lex.syntax_error(&msg)
    }

    fn error_limit(&self, limit: usize, what: &str) -> SyntaxError {
        let msg = if self.fs.line_defined == 0 {
            format!("main function has more than {limit} {what}")
        } else {
            format!(
                "function at line {} has more than {limit} {what}",
                self.fs.line_defined
            )
        };
        self.lex.error(msg.as_bytes(), None)
    }

    fn test_next(&mut self, tok: Tok) -> PResult<bool> {
        if self.tok() == tok {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn check(&self, tok: Tok) -> PResult<()> {
        if self.tok() != tok {
            return Err(self.error_expected(tok));
        }
        Ok(())
    }

    fn check_next(&mut self, tok: Tok) -> PResult<()> {
        self.check(tok)?;
        self.next()
    }

    fn check_match(&mut self, what: Tok, who: Tok, line: u32) -> PResult<()> {
        if self.test_next(what)? {
            return Ok(());
        }
        if line == self.lex.line {
            return Err(self.error_expected(what));
        }
        let mut msg = b"'".to_vec();
        msg.extend_from_slice(&what.describe());
        msg.extend_from_slice(b"' expected (to close '");
        msg.extend_from_slice(&who.describe());
        msg.extend_from_slice(format!("' at line {line})").as_bytes());
        Err(self.lex.syntax_error(&msg))
    }

    fn str_checkname(&mut self) -> PResult<Vec<u8>> {
        self.check(Tok::Name)?;
        let name = std::mem::take(&mut self.lex.t.text);
        self.next()?;
        Ok(name)
    }

    fn code_string(&mut self, s: &[u8]) -> PResult<ExpDesc> {
        Ok(ExpDesc::new(ExpKind::K, self.string_k(s)?))
    }

    fn checkname(&mut self) -> PResult<ExpDesc> {
        let name = self.str_checkname()?;
        self.code_string(&name)
    }

    fn enter_level(&mut self) -> PResult<()> {
        self.nccalls += 1;
        if self.nccalls > MAX_CCALLS {
            return Err(self.lex.error(b"chunk has too many syntax levels", None));
        }
        Ok(())
    }

    fn leave_level(&mut self) {
        self.nccalls -= 1;
    }

    // ---- variables and scopes ----

    fn new_localvar(&mut self, name: &[u8], n: i32) -> PResult<()> {
        if self.fs.nactvar + n + 1 > MAX_VARS {
            return Err(self.error_limit(MAX_VARS as usize, "local variables"));
        }
        let fs = &mut self.fs;
        if fs.locvars.len() >= i16::MAX as usize {
            return Err(SyntaxError {
                message: b"too many local variables".to_vec(),
            });
        }
        fs.locvars.push(LocalInfo {
            name: name.into(),
            start_pc: 0,
            end_pc: 0,
        });
        let slot = (fs.nactvar + n) as usize;
        if fs.actvar.len() <= slot {
            fs.actvar.resize(slot + 1, 0);
        }
        fs.actvar[slot] = fs.locvars.len() - 1;
        Ok(())
    }

    fn adjust_localvars(&mut self, nvars: i32) {
        let fs = &mut self.fs;
        fs.nactvar += nvars;
        let pc = fs.pc() as u32;
        for i in (fs.nactvar - nvars)..fs.nactvar {
            fs.local_info(i).start_pc = pc;
        }
    }

    fn remove_vars(&mut self, tolevel: i32) {
        let fs = &mut self.fs;
        let pc = fs.pc() as u32;
        while fs.nactvar > tolevel {
            fs.nactvar -= 1;
            let r = fs.nactvar;
            fs.local_info(r).end_pc = pc;
        }
    }

    fn level_mut(&mut self, level: usize) -> &mut FuncState {
        if level == self.outer.len() {
            &mut self.fs
        } else {
            &mut self.outer[level]
        }
    }

    fn index_upvalue(&mut self, level: usize, name: &[u8], v: &ExpDesc) -> PResult<i32> {
        let desc = UpvalDesc {
            from_local: v.k == ExpKind::Local,
            index: v.info,
        };
        let fs = self.level_mut(level);
        if let Some(i) = fs.upvalues.iter().position(|u| *u == desc) {
            return Ok(i as i32);
        }
        if fs.upvalues.len() + 1 > MAX_UPVALUES {
            let line = fs.line_defined;
            let msg = if line == 0 {
                format!("main function has more than {MAX_UPVALUES} upvalues")
            } else {
                format!("function at line {line} has more than {MAX_UPVALUES} upvalues")
            };
            return Err(self.lex.error(msg.as_bytes(), None));
        }
        fs.upvalues.push(desc);
        fs.upvalue_names.push(name.into());
        Ok(fs.upvalues.len() as i32 - 1)
    }

    fn single_var_aux(
        &mut self,
        level: Option<usize>,
        name: &[u8],
        base: bool,
    ) -> PResult<ExpDesc> {
        let Some(level) = level else {
            return Ok(ExpDesc::new(ExpKind::Global, NO_JUMP));
        };
        let fs = self.level_mut(level);
        let found = (0..fs.nactvar)
            .rev()
            .find(|&i| &*fs.locvars[fs.actvar[i as usize]].name == name);
        if let Some(v) = found {
            if !base {
                if let Some(bl) = fs.blocks.iter_mut().rev().find(|bl| bl.nactvar <= v) {
                    bl.upval = true;
                }
            }
            return Ok(ExpDesc::new(ExpKind::Local, v));
        }
        let mut var = self.single_var_aux(level.checked_sub(1), name, false)?;
        if var.k == ExpKind::Global {
            return Ok(var);
        }
        var.info = self.index_upvalue(level, name, &var)?;
        var.k = ExpKind::Upval;
        Ok(var)
    }

    fn single_var(&mut self) -> PResult<ExpDesc> {
        let name = self.str_checkname()?;
        let level = self.outer.len();
        let mut var = self.single_var_aux(Some(level), &name, true)?;
        if var.k == ExpKind::Global {
            var.info = self.string_k(&name)?;
        }
        Ok(var)
    }

    fn adjust_assign(&mut self, nvars: i32, nexps: i32, e: &mut ExpDesc) -> PResult<()> {
        let mut extra = nvars - nexps;
        if e.has_multret() {
            extra += 1;
            if extra < 0 {
                extra = 0;
            }
            self.set_returns(e, extra)?;
            if extra > 1 {
                self.reserve_regs(extra - 1)?;
            }
        } else {
            if e.k != ExpKind::Void {
                self.exp2nextreg(e)?;
            }
            if extra > 0 {
                let reg = self.fs.freereg;
                self.reserve_regs(extra)?;
                self.code_nil(reg, extra);
            }
        }
        Ok(())
    }

    fn enter_block(&mut self, isbreakable: bool) {
        let nactvar = self.fs.nactvar;
        self.fs.blocks.push(BlockCnt {
            breaklist: NO_JUMP,
            nactvar,
            upval: false,
            isbreakable,
        });
    }

    fn leave_block(&mut self) {
        let bl = self.fs.blocks.pop().expect("block");
        self.remove_vars(bl.nactvar);
        if bl.upval {
            self.code_abc(OpCode::Close, bl.nactvar, 0, 0);
        }
        self.fs.freereg = self.fs.nactvar;
        self.patch_to_here(bl.breaklist);
    }

    fn open_func(&mut self, line: u32) {
        let fs = std::mem::replace(&mut self.fs, FuncState::new(line));
        self.outer.push(fs);
    }

    fn close_func(&mut self) {
        self.remove_vars(0);
        self.ret(0, 0);
    }

    fn push_closure(&mut self, func: FuncState) -> ExpDesc {
        let upvalues = func.upvalues.clone();
        let proto = func.finish(self.source.clone());
        self.fs.protos.push(Rc::new(proto));
        let idx = self.fs.protos.len() as i32 - 1;
        let pc = self.code_abx(OpCode::Closure, 0, idx);
        for u in upvalues {
            let op = if u.from_local {
                OpCode::Move
            } else {
                OpCode::GetUpval
            };
            self.code_abc(op, 0, u.index, 0);
        }
        ExpDesc::new(ExpKind::Relocable, pc)
    }

    // ---- expressions ----

    fn field(&mut self, v: &mut ExpDesc) -> PResult<()> {
        self.exp2anyreg(v)?;
        self.next()?;
        let mut key = self.checkname()?;
        self.indexed(v, &mut key)
    }

    fn yindex(&mut self) -> PResult<ExpDesc> {
        self.next()?;
        let mut v = self.expr()?;
        self.exp2val(&mut v)?;
        self.check_next(Tok::Char(b']'))?;
        Ok(v)
    }

    fn recfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        let reg = self.fs.freereg;
        let mut key = if self.tok() == Tok::Name {
            self.checkname()?
        } else {
            self.yindex()?
        };
        cc.nh += 1;
        self.check_next(Tok::Char(b'='))?;
        let rkkey = self.exp2rk(&mut key)?;
        let mut val = self.expr()?;
        let rkval = self.exp2rk(&mut val)?;
        self.code_abc(OpCode::SetTable, cc.table.info, rkkey, rkval);
        self.fs.freereg = reg;
        Ok(())
    }

    fn close_listfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        if cc.v.k == ExpKind::Void {
            return Ok(());
        }
        self.exp2nextreg(&mut cc.v)?;
        cc.v.k = ExpKind::Void;
        if cc.tostore == FIELDS_PER_FLUSH as i32 {
            self.set_list(cc.table.info, cc.na, cc.tostore);
            cc.tostore = 0;
        }
        Ok(())
    }

    fn last_listfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        if cc.tostore == 0 {
            return Ok(());
        }
        if cc.v.has_multret() {
            self.set_multret(&cc.v)?;
            self.set_list(cc.table.info, cc.na, MULTRET);
            cc.na -= 1;
        } else {
            if cc.v.k != ExpKind::Void {
                self.exp2nextreg(&mut cc.v)?;
            }
            self.set_list(cc.table.info, cc.na, cc.tostore);
        }
        Ok(())
    }

    fn listfield(&mut self, cc: &mut ConsControl) -> PResult<()> {
        cc.v = self.expr()?;
        cc.na += 1;
        cc.tostore += 1;
        Ok(())
    }

    fn constructor(&mut self) -> PResult<ExpDesc> {
        let line = self.lex.line;
        let pc = self.code_abc(OpCode::NewTable, 0, 0, 0);
        let mut cc = ConsControl {
            v: ExpDesc::new(ExpKind::Void, 0),
            table: ExpDesc::new(ExpKind::Relocable, pc),
            nh: 0,
            na: 0,
            tostore: 0,
        };
        let mut t = cc.table;
        self.exp2nextreg(&mut t)?;
        cc.table = t;
        self.check_next(Tok::Char(b'{'))?;
        loop {
            if self.tok() == Tok::Char(b'}') {
                break;
            }
            self.close_listfield(&mut cc)?;
            match self.tok() {
                Tok::Name => {
                    if self.lex.peek()? != Tok::Char(b'=') {
                        self.listfield(&mut cc)?;
                    } else {
                        self.recfield(&mut cc)?;
                    }
                }
                Tok::Char(b'[') => self.recfield(&mut cc)?,
                _ => self.listfield(&mut cc)?,
            }
            if !(self.test_next(Tok::Char(b','))? || self.test_next(Tok::Char(b';'))?) {
                break;
            }
        }
        self.check_match(Tok::Char(b'}'), Tok::Char(b'{'), line)?;
        self.last_listfield(&mut cc)?;
        self.set_table_size(pc, cc.na, cc.nh);
        Ok(cc.table)
    }

    fn parlist(&mut self) -> PResult<()> {
        let mut nparams = 0;
        self.fs.is_vararg = 0;
        if self.tok() != Tok::Char(b')') {
            loop {
                match self.tok() {
                    Tok::Name => {
                        let name = self.str_checkname()?;
                        self.new_localvar(&name, nparams)?;
                        nparams += 1;
                    }
                    Tok::Dots => {
                        self.next()?;
                        self.new_localvar(b"arg", nparams)?;
                        nparams += 1;
                        self.fs.is_vararg = VARARG_HASARG | VARARG_NEEDSARG | VARARG_ISVARARG;
                    }
                    _ => return Err(self.lex.syntax_error(b"<name> or '...' expected")),
                }
                if self.fs.is_vararg != 0 || !self.test_next(Tok::Char(b','))? {
                    break;
                }
            }
        }
        self.adjust_localvars(nparams);
        let fs = &mut self.fs;
        fs.num_params = (fs.nactvar - i32::from(fs.is_vararg & VARARG_HASARG)) as u8;
        let n = fs.nactvar;
        self.reserve_regs(n)
    }

    fn body(&mut self, needself: bool, line: u32) -> PResult<ExpDesc> {
        self.open_func(line);
        self.check_next(Tok::Char(b'('))?;
        if needself {
            self.new_localvar(b"self", 0)?;
            self.adjust_localvars(1);
        }
        self.parlist()?;
        self.check_next(Tok::Char(b')'))?;
        self.chunk()?;
        self.fs.last_line_defined = self.lex.line;
        self.check_match(Tok::End, Tok::Function, line)?;
        self.close_func();
        let parent = self.outer.pop().expect("enclosing function");
        let func = std::mem::replace(&mut self.fs, parent);
        Ok(self.push_closure(func))
    }

    fn explist1(&mut self) -> PResult<(i32, ExpDesc)> {
        let mut n = 1;
        let mut v = self.expr()?;
        while self.test_next(Tok::Char(b','))? {
            self.exp2nextreg(&mut v)?;
            v = self.expr()?;
            n += 1;
        }
        Ok((n, v))
    }

    fn funcargs(&mut self, f: &mut ExpDesc) -> PResult<()> {
        let line = self.lex.line;
        let args = match self.tok() {
            Tok::Char(b'(') => {
                if line != self.lex.lastline {
                    return Err(self
                        .lex
                        .syntax_error(b"ambiguous syntax (function call x new statement)"));
                }
                self.next()?;
                let args = if self.tok() == Tok::Char(b')') {
                    ExpDesc::new(ExpKind::Void, 0)
                } else {
                    let (_, args) = self.explist1()?;
                    self.set_multret(&args)?;
                    args
                };
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                args
            }
            Tok::Char(b'{') => self.constructor()?,
            Tok::String => {
                let s = std::mem::take(&mut self.lex.t.text);
                let e = self.code_string(&s)?;
                self.next()?;
                e
            }
            _ => return Err(self.lex.syntax_error(b"function arguments expected")),
        };
        let base = f.info;
        let nparams = if args.has_multret() {
            MULTRET
        } else {
            let mut args = args;
            if args.k != ExpKind::Void {
                self.exp2nextreg(&mut args)?;
            }
            self.fs.freereg - (base + 1)
        };
        *f = ExpDesc::new(
            ExpKind::Call,
            self.code_abc(OpCode::Call, base, nparams + 1, 2),
        );
        self.fix_line(line);
        self.fs.freereg = base + 1;
        Ok(())
    }

    fn prefixexp(&mut self) -> PResult<ExpDesc> {
        match self.tok() {
            Tok::Char(b'(') => {
                let line = self.lex.line;
                self.next()?;
                let mut v = self.expr()?;
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                self.discharge_vars(&mut v);
                Ok(v)
            }
            Tok::Name => self.single_var(),
            _ => Err(self.lex.syntax_error(b"unexpected symbol")),
        }
    }

    fn primaryexp(&mut self) -> PResult<ExpDesc> {
        let mut v = self.prefixexp()?;
        loop {
            match self.tok() {
                Tok::Char(b'.') => self.field(&mut v)?,
                Tok::Char(b'[') => {
                    self.exp2anyreg(&mut v)?;
                    let mut key = self.yindex()?;
                    self.indexed(&mut v, &mut key)?;
                }
                Tok::Char(b':') => {
                    self.next()?;
                    let mut key = self.checkname()?;
                    self.code_self(&mut v, &mut key)?;
                    self.funcargs(&mut v)?;
                }
                Tok::Char(b'(') | Tok::String | Tok::Char(b'{') => {
                    self.exp2nextreg(&mut v)?;
                    self.funcargs(&mut v)?;
                }
                _ => return Ok(v),
            }
        }
    }

    fn simpleexp(&mut self) -> PResult<ExpDesc> {
        let v = match self.tok() {
            Tok::Number => ExpDesc::num(self.lex.t.num),
            Tok::String => {
                let s = std::mem::take(&mut self.lex.t.text);
                self.code_string(&s)?
            }
            Tok::Nil => ExpDesc::new(ExpKind::Nil, 0),
            Tok::True => ExpDesc::new(ExpKind::True, 0),
            Tok::False => ExpDesc::new(ExpKind::False, 0),
            Tok::Dots => {
                if self.fs.is_vararg == 0 {
                    return Err(self
                        .lex
                        .syntax_error(b"cannot use '...' outside a vararg function"));
                }
                self.fs.is_vararg &= !VARARG_NEEDSARG;
                ExpDesc::new(ExpKind::VarArg, self.code_abc(OpCode::VarArg, 0, 1, 0))
            }
            Tok::Char(b'{') => return self.constructor(),
            Tok::Function => {
                self.next()?;
                let line = self.lex.line;
                return self.body(false, line);
            }
            _ => return self.primaryexp(),
        };
        self.next()?;
        Ok(v)
    }

    fn subexpr(&mut self, limit: u8) -> PResult<(ExpDesc, Option<BinOpr>)> {
        self.enter_level()?;
        let uop = match self.tok() {
            Tok::Not => Some(UnOpr::Not),
            Tok::Char(b'-') => Some(UnOpr::Minus),
            Tok::Char(b'#') => Some(UnOpr::Len),
            _ => None,
        };
        let mut v = if let Some(uop) = uop {
            self.next()?;
            let (mut v, _) = self.subexpr(UNARY_PRIORITY)?;
            self.prefix(uop, &mut v)?;
            v
        } else {
            self.simpleexp()?
        };
        let mut op = binopr(self.tok());
        while let Some(o) = op {
            let (left, right) = priority(o);
            if left <= limit {
                break;
            }
            self.next()?;
            self.infix(o, &mut v)?;
            let (mut v2, nextop) = self.subexpr(right)?;
            self.posfix(o, &mut v, &mut v2)?;
            op = nextop;
        }
        self.leave_level();
        Ok((v, op))
    }

    fn expr(&mut self) -> PResult<ExpDesc> {
        Ok(self.subexpr(0)?.0)
    }

    // ---- statements ----

    fn block(&mut self) -> PResult<()> {
        self.enter_block(false);
        self.chunk()?;
        self.leave_block();
        Ok(())
    }

    fn check_conflict(&mut self, lhs: &mut LhsList, v: &ExpDesc) -> PResult<()> {
        let extra = self.fs.freereg;
        let mut conflict = false;
        for lh in lhs.targets.iter_mut() {
            if lh.k == ExpKind::Indexed {
                if lh.info == v.info {
                    conflict = true;
                    lh.info = extra;
                }
                if lh.aux == v.info {
                    conflict = true;
                    lh.aux = extra;
                }
            }
        }
        if conflict {
            let reg = self.fs.freereg;
            self.code_abc(OpCode::Move, reg, v.info, 0);
            self.reserve_regs(1)?;
        }
        Ok(())
    }

    fn assignment(&mut self, lhs: &mut LhsList, nvars: i32) -> PResult<()> {
        let last = *lhs.targets.last().expect("target");
        if !matches!(
            last.k,
            ExpKind::Local | ExpKind::Upval | ExpKind::Global | ExpKind::Indexed
        ) {
            return Err(self.lex.syntax_error(b"syntax error"));
        }
        if self.test_next(Tok::Char(b','))? {
            let nv = self.primaryexp()?;
            if nv.k == ExpKind::Local {
                self.check_conflict(lhs, &nv)?;
            }
            if nvars as u32 > MAX_CCALLS - self.nccalls {
                return Err(self.error_limit(
                    (MAX_CCALLS - self.nccalls) as usize,
                    "variables in assignment",
                ));
            }
            lhs.targets.push(nv);
            self.assignment(lhs, nvars + 1)?;
        } else {
            self.check_next(Tok::Char(b'='))?;
            let (nexps, mut e) = self.explist1()?;
            if nexps != nvars {
                self.adjust_assign(nvars, nexps, &mut e)?;
                if nexps > nvars {
                    self.fs.freereg -= nexps - nvars;
                }
            } else {
                self.set_one_ret(&mut e);
                let var = lhs.targets.pop().expect("target");
                return self.store_var(&var, &mut e);
            }
        }
        let var = lhs.targets.pop().expect("target");
        let mut e = ExpDesc::new(ExpKind::NonReloc, self.fs.freereg - 1);
        self.store_var(&var, &mut e)
    }

    fn cond(&mut self) -> PResult<i32> {
        let mut v = self.expr()?;
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False;
        }
        self.go_if_true(&mut v)?;
        Ok(v.f)
    }

    fn breakstat(&mut self) -> PResult<()> {
        let mut upval = false;
        let mut idx = None;
        for (i, bl) in self.fs.blocks.iter().enumerate().rev() {
            if bl.isbreakable {
                idx = Some(i);
                break;
            }
            upval |= bl.upval;
        }
        let Some(idx) = idx else {
            return Err(self.lex.syntax_error(b"no loop to break"));
        };
        if upval {
            let n = self.fs.blocks[idx].nactvar;
            self.code_abc(OpCode::Close, n, 0, 0);
        }
        let j = self.jump();
        let mut list = self.fs.blocks[idx].breaklist;
        self.concat(&mut list, j);
        self.fs.blocks[idx].breaklist = list;
        Ok(())
    }

    fn whilestat(&mut self, line: u32) -> PResult<()> {
        self.next()?;
        let whileinit = self.get_label();
        let condexit = self.cond()?;
        self.enter_block(true);
        self.check_next(Tok::Do)?;
        self.block()?;
        let j = self.jump();
        self.patch_list(j, whileinit)?;
        self.check_match(Tok::End, Tok::While, line)?;
        self.leave_block();
        self.patch_to_here(condexit);
        Ok(())
    }

    fn repeatstat(&mut self, line: u32) -> PResult<()> {
        let repeat_init = self.get_label();
        self.enter_block(true);
        self.enter_block(false);
        self.next()?;
        self.chunk()?;
        self.check_match(Tok::Until, Tok::Repeat, line)?;
        let condexit = self.cond()?;
        if !self.fs.blocks.last().expect("block").upval {
            self.leave_block();
            self.patch_list(condexit, repeat_init)?;
        } else {
            self.breakstat()?;
            self.patch_to_here(condexit);
            self.leave_block();
            let j = self.jump();
            self.patch_list(j, repeat_init)?;
        }
        self.leave_block();
        Ok(())
    }

    fn exp1(&mut self) -> PResult<()> {
        let mut e = self.expr()?;
        self.exp2nextreg(&mut e)
    }

    fn forbody(&mut self, base: i32, line: u32, nvars: i32, isnum: bool) -> PResult<()> {
        self.adjust_localvars(3);
        self.check_next(Tok::Do)?;
        let prep = if isnum {
            self.code_asbx(OpCode::ForPrep, base, NO_JUMP)
        } else {
            self.jump()
        };
        self.enter_block(false);
        self.adjust_localvars(nvars);
        self.reserve_regs(nvars)?;
        self.block()?;
        self.leave_block();
        self.patch_to_here(prep);
        let endfor = if isnum {
            self.code_asbx(OpCode::ForLoop, base, NO_JUMP)
        } else {
            self.code_abc(OpCode::TForLoop, base, 0, nvars)
        };
        self.fix_line(line);
        let list = if isnum { endfor } else { self.jump() };
        self.patch_list(list, prep + 1)
    }

    fn fornum(&mut self, varname: &[u8], line: u32) -> PResult<()> {
        let base = self.fs.freereg;
        self.new_localvar(b"(for index)", 0)?;
        self.new_localvar(b"(for limit)", 1)?;
        self.new_localvar(b"(for step)", 2)?;
        self.new_localvar(varname, 3)?;
        self.check_next(Tok::Char(b'='))?;
        self.exp1()?;
        self.check_next(Tok::Char(b','))?;
        self.exp1()?;
        if self.test_next(Tok::Char(b','))? {
            self.exp1()?;
        } else {
            let reg = self.fs.freereg;
            let k = self.number_k(1.0)?;
            self.code_abx(OpCode::LoadK, reg, k);
            self.reserve_regs(1)?;
        }
        self.forbody(base, line, 1, true)
    }

    fn forlist(&mut self, indexname: &[u8]) -> PResult<()> {
        let base = self.fs.freereg;
        self.new_localvar(b"(for generator)", 0)?;
        self.new_localvar(b"(for state)", 1)?;
        self.new_localvar(b"(for control)", 2)?;
        self.new_localvar(indexname, 3)?;
        let mut nvars = 4;
        while self.test_next(Tok::Char(b','))? {
            let name = self.str_checkname()?;
            self.new_localvar(&name, nvars)?;
            nvars += 1;
        }
        self.check_next(Tok::In)?;
        let line = self.lex.line;
        let (nexps, mut e) = self.explist1()?;
        self.adjust_assign(3, nexps, &mut e)?;
        self.check_stack(3)?;
        self.forbody(base, line, nvars - 3, false)
    }

    fn forstat(&mut self, line: u32) -> PResult<()> {
        self.enter_block(true);
        self.next()?;
        let varname = self.str_checkname()?;
        match self.tok() {
            Tok::Char(b'=') => self.fornum(&varname, line)?,
            Tok::Char(b',') | Tok::In => self.forlist(&varname)?,
            _ => return Err(self.lex.syntax_error(b"'=' or 'in' expected")),
        }
        self.check_match(Tok::End, Tok::For, line)?;
        self.leave_block();
        Ok(())
    }

    fn test_then_block(&mut self) -> PResult<i32> {
        self.next()?;
        let condexit = self.cond()?;
        self.check_next(Tok::Then)?;
        self.block()?;
        Ok(condexit)
    }

    fn ifstat(&mut self, line: u32) -> PResult<()> {
        let mut escapelist = NO_JUMP;
        let mut flist = self.test_then_block()?;
        while self.tok() == Tok::Elseif {
            let j = self.jump();
            self.concat(&mut escapelist, j);
            self.patch_to_here(flist);
            flist = self.test_then_block()?;
        }
        if self.tok() == Tok::Else {
            let j = self.jump();
            self.concat(&mut escapelist, j);
            self.patch_to_here(flist);
            self.next()?;
            self.block()?;
        } else {
            self.concat(&mut escapelist, flist);
        }
        self.patch_to_here(escapelist);
        self.check_match(Tok::End, Tok::If, line)
    }

    fn localfunc(&mut self) -> PResult<()> {
        let name = self.str_checkname()?;
        self.new_localvar(&name, 0)?;
        let v = ExpDesc::new(ExpKind::Local, self.fs.freereg);
        self.reserve_regs(1)?;
        self.adjust_localvars(1);
        let line = self.lex.line;
        let mut b = self.body(false, line)?;
        self.store_var(&v, &mut b)?;
        let pc = self.fs.pc() as u32;
        let last = self.fs.nactvar - 1;
        self.fs.local_info(last).start_pc = pc;
        Ok(())
    }

    fn localstat(&mut self) -> PResult<()> {
        let mut nvars = 0;
        loop {
            let name = self.str_checkname()?;
            self.new_localvar(&name, nvars)?;
            nvars += 1;
            if !self.test_next(Tok::Char(b','))? {
                break;
            }
        }
        let (nexps, mut e) = if self.test_next(Tok::Char(b'='))? {
            self.explist1()?
        } else {
            (0, ExpDesc::new(ExpKind::Void, 0))
        };
        self.adjust_assign(nvars, nexps, &mut e)?;
        self.adjust_localvars(nvars);
        Ok(())
    }

    fn funcname(&mut self) -> PResult<(ExpDesc, bool)> {
        let mut v = self.single_var()?;
        while self.tok() == Tok::Char(b'.') {
            self.field(&mut v)?;
        }
        let needself = self.tok() == Tok::Char(b':');
        if needself {
            self.field(&mut v)?;
        }
        Ok((v, needself))
    }

    fn funcstat(&mut self, line: u32) -> PResult<()> {
        self.next()?;
        let (v, needself) = self.funcname()?;
        let mut b = self.body(needself, line)?;
        self.store_var(&v, &mut b)?;
        self.fix_line(line);
        Ok(())
    }

    fn exprstat(&mut self) -> PResult<()> {
        let v = self.primaryexp()?;
        if v.k == ExpKind::Call {
            self.set_arg_c(v.info, 1);
            Ok(())
        } else {
            let mut lhs = LhsList { targets: vec![v] };
            self.assignment(&mut lhs, 1)
        }
    }

    fn retstat(&mut self) -> PResult<()> {
        self.next()?;
        let (first, nret);
        if block_follow(self.tok()) || self.tok() == Tok::Char(b';') {
            first = 0;
            nret = 0;
        } else {
            let (n, mut e) = self.explist1()?;
            if e.has_multret() {
                self.set_multret(&e)?;
                if e.k == ExpKind::Call && n == 1 {
                    self.make_tail_call(e.info);
                    debug_assert_eq!(get_a(self.fs.code[e.info as usize]) as i32, self.fs.nactvar);
                }
                first = self.fs.nactvar;
                nret = MULTRET;
            } else if n == 1 {
                first = self.exp2anyreg(&mut e)?;
                nret = 1;
            } else {
                self.exp2nextreg(&mut e)?;
                first = self.fs.nactvar;
                nret = n;
            }
        }
        self.ret(first, nret);
        Ok(())
    }

    fn statement(&mut self) -> PResult<bool> {
        let line = self.lex.line;
        match self.tok() {
            Tok::If => self.ifstat(line)?,
            Tok::While => self.whilestat(line)?,
            Tok::Do => {
                self.next()?;
                self.block()?;
                self.check_match(Tok::End, Tok::Do, line)?;
            }
            Tok::For => self.forstat(line)?,
            Tok::Repeat => self.repeatstat(line)?,
            Tok::Function => self.funcstat(line)?,
            Tok::Local => {
                self.next()?;
                if self.test_next(Tok::Function)? {
                    self.localfunc()?;
                } else {
                    self.localstat()?;
                }
            }
            Tok::Return => {
                self.retstat()?;
                return Ok(true);
            }
            Tok::Break => {
                self.next()?;
                self.breakstat()?;
                return Ok(true);
            }
            _ => self.exprstat()?,
        }
        Ok(false)
    }

    fn chunk(&mut self) -> PResult<()> {
        let mut islast = false;
        self.enter_level()?;
        while !islast && !block_follow(self.tok()) {
            islast = self.statement()?;
            if let Some(e) = self.deferred.take() {
                return Err(e);
            }
            self.test_next(Tok::Char(b';'))?;
            self.fs.freereg = self.fs.nactvar;
        }
        self.leave_level();
        Ok(())
    }
}
