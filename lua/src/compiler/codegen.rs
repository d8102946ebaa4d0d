//! Code generation (Lua 5.1's `lcode.c`): emitting instructions, registers, constants, jump lists
//! and the expression-descriptor transitions.
//!
//! Design: these are methods on the [`Parser`] so that every emitted instruction gets the lexer's
//! `lastline` and every limit error can quote the current token, exactly as in PUC-Rio Lua; each
//! decision (RK operands, `LOADNIL` merging, `TESTSET` patching, constant folding) follows 5.1 so
//! that the bytecode, and therefore the VM's debug-info-based error messages, match lua5.1's.

use std::rc::Rc;

use super::func_state::{ConstKey, ExpDesc, ExpKind, FuncState, MULTRET, NO_JUMP, NO_REG};
use super::parser::{PResult, Parser};
use crate::opcode::{
    encode_abc, encode_abx, get_a, get_b, get_c, get_op, get_sbx, int2fb, rk_as_k, set_a, set_b,
    set_c, set_sbx, OpCode, BITRK, FIELDS_PER_FLUSH, MAXARG_BX, MAXARG_C, MAXINDEXRK, MAX_SBX,
    MAX_STACK,
};
use crate::proto::Constant;

/// Binary operators, in 5.1's `ORDER OPR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOpr {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// `..`
    Concat,
    /// `~=`
    Ne,
    /// `==`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and`
    And,
    /// `or`
    Or,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOpr {
    /// `-`
    Minus,
    /// `not`
    Not,
    /// `#`
    Len,
}

fn is_test_mode(op: u8) -> bool {
    op == OpCode::Eq as u8
        || op == OpCode::Lt as u8
        || op == OpCode::Le as u8
        || op == OpCode::Test as u8
        || op == OpCode::TestSet as u8
        || op == OpCode::TForLoop as u8
}

fn is_k(x: i32) -> bool {
    x as u32 & BITRK != 0
}

impl Parser<'_> {
    fn emit(&mut self, i: u32) -> i32 {
        self.discharge_jpc();
        let line = self.lex.lastline;
        let fs = &mut self.fs;
        fs.code.push(i);
        fs.line_info.push(line);
        fs.pc() - 1
    }

    /// Emits an `A B C` instruction at the last consumed token's line.
    pub fn code_abc(&mut self, op: OpCode, a: i32, b: i32, c: i32) -> i32 {
        self.emit(encode_abc(op, a as u32, b as u32, c as u32))
    }

    /// Emits an `A Bx` instruction.
    pub fn code_abx(&mut self, op: OpCode, a: i32, bx: i32) -> i32 {
        self.emit(encode_abx(op, a as u32, bx as u32))
    }

    /// Emits an `A sBx` instruction.
    pub fn code_asbx(&mut self, op: OpCode, a: i32, sbx: i32) -> i32 {
        self.code_abx(op, a, sbx + MAX_SBX)
    }

    /// Sets the line of the last instruction (`luaK_fixline`).
    pub fn fix_line(&mut self, line: u32) {
        if let Some(l) = self.fs.line_info.last_mut() {
            *l = line;
        }
    }

    fn instr(&mut self, pc: i32) -> &mut u32 {
        &mut self.fs.code[pc as usize]
    }

    /// Emits `LOADNIL`, merging with a preceding one when no jump lands in between.
    pub fn code_nil(&mut self, from: i32, n: i32) {
        let fs = &mut self.fs;
        if fs.pc() > fs.lasttarget {
            if fs.pc() == 0 {
                if from >= fs.nactvar {
                    return;
                }
            } else {
                let prev = fs.code[fs.code.len() - 1];
                if get_op(prev) == OpCode::LoadNil as u8 {
                    let pfrom = get_a(prev) as i32;
                    let pto = get_b(prev) as i32;
                    if pfrom <= from && from <= pto + 1 {
                        if from + n - 1 > pto {
                            let last = fs.code.len() - 1;
                            fs.code[last] = set_b(prev, (from + n - 1) as u32);
                        }
                        return;
                    }
                }
            }
        }
        self.code_abc(OpCode::LoadNil, from, from + n - 1, 0);
    }

    /// Emits an unconditional jump, absorbing pending jumps to here (`luaK_jump`).
    pub fn jump(&mut self) -> i32 {
        let jpc = self.fs.jpc;
        self.fs.jpc = NO_JUMP;
        let mut j = self.code_asbx(OpCode::Jmp, 0, NO_JUMP);
        self.concat(&mut j, jpc);
        j
    }

    /// Emits `RETURN first nret`.
    pub fn ret(&mut self, first: i32, nret: i32) {
        self.code_abc(OpCode::Return, first, nret + 1, 0);
    }

    fn cond_jump(&mut self, op: OpCode, a: i32, b: i32, c: i32) -> i32 {
        self.code_abc(op, a, b, c);
        self.jump()
    }

    fn fix_jump(&mut self, pc: i32, dest: i32) -> PResult<()> {
        let offset = dest - (pc + 1);
        if offset.abs() > MAX_SBX {
            return Err(self.lex.syntax_error(b"control structure too long"));
        }
        let i = self.instr(pc);
        *i = set_sbx(*i, offset);
        Ok(())
    }

    /// Marks the current pc as a jump target and returns it.
    pub fn get_label(&mut self) -> i32 {
        self.fs.lasttarget = self.fs.pc();
        self.fs.pc()
    }

    fn get_jump(&self, pc: i32) -> i32 {
        let offset = get_sbx(self.fs.code[pc as usize]);
        if offset == NO_JUMP {
            NO_JUMP
        } else {
            pc + 1 + offset
        }
    }

    fn jump_control(&self, pc: i32) -> usize {
        let pc = pc as usize;
        if pc >= 1 && is_test_mode(get_op(self.fs.code[pc - 1])) {
            pc - 1
        } else {
            pc
        }
    }

    fn need_value(&self, mut list: i32) -> bool {
        while list != NO_JUMP {
            let i = self.fs.code[self.jump_control(list)];
            if get_op(i) != OpCode::TestSet as u8 {
                return true;
            }
            list = self.get_jump(list);
        }
        false
    }

    fn patch_test_reg(&mut self, node: i32, reg: i32) -> bool {
        let at = self.jump_control(node);
        let i = self.fs.code[at];
        if get_op(i) != OpCode::TestSet as u8 {
            return false;
        }
        self.fs.code[at] = if reg != NO_REG && reg != get_b(i) as i32 {
            set_a(i, reg as u32)
        } else {
            encode_abc(OpCode::Test, get_b(i), 0, get_c(i))
        };
        true
    }

    fn remove_values(&mut self, mut list: i32) {
        while list != NO_JUMP {
            self.patch_test_reg(list, NO_REG);
            list = self.get_jump(list);
        }
    }

    fn patch_list_aux(
        &mut self,
        mut list: i32,
        vtarget: i32,
        reg: i32,
        dtarget: i32,
    ) -> PResult<()> {
        while list != NO_JUMP {
            let next = self.get_jump(list);
            if self.patch_test_reg(list, reg) {
                self.fix_jump(list, vtarget)?;
            } else {
                self.fix_jump(list, dtarget)?;
            }
            list = next;
        }
        Ok(())
    }

    fn discharge_jpc(&mut self) {
        let pc = self.fs.pc();
        let jpc = self.fs.jpc;
        if let Err(e) = self.patch_list_aux(jpc, pc, NO_REG, pc) {
            self.defer_error(e);
        }
        self.fs.jpc = NO_JUMP;
    }

    /// Makes every jump of `list` go to `target` (`luaK_patchlist`).
    pub fn patch_list(&mut self, list: i32, target: i32) -> PResult<()> {
        if target == self.fs.pc() {
            self.patch_to_here(list);
            Ok(())
        } else {
            self.patch_list_aux(list, target, NO_REG, target)
        }
    }

    /// Makes every jump of `list` go to the next instruction emitted.
    pub fn patch_to_here(&mut self, list: i32) {
        self.get_label();
        let mut jpc = self.fs.jpc;
        self.concat(&mut jpc, list);
        self.fs.jpc = jpc;
    }

    /// Appends jump list `l2` to `l1`.
    pub fn concat(&mut self, l1: &mut i32, l2: i32) {
        if l2 == NO_JUMP {
            return;
        }
        if *l1 == NO_JUMP {
            *l1 = l2;
            return;
        }
        let mut list = *l1;
        loop {
            let next = self.get_jump(list);
            if next == NO_JUMP {
                break;
            }
            list = next;
        }
        if let Err(e) = self.fix_jump(list, l2) {
            self.defer_error(e);
        }
    }

    /// Ensures `n` more registers fit (`luaK_checkstack`).
    pub fn check_stack(&mut self, n: i32) -> PResult<()> {
        let newstack = self.fs.freereg + n;
        if newstack > self.fs.max_stack_size {
            if newstack >= MAX_STACK as i32 {
                return Err(self.lex.syntax_error(b"function or expression too complex"));
            }
            self.fs.max_stack_size = newstack;
        }
        Ok(())
    }

    /// Reserves `n` registers.
    pub fn reserve_regs(&mut self, n: i32) -> PResult<()> {
        self.check_stack(n)?;
        self.fs.freereg += n;
        Ok(())
    }

    fn free_reg(&mut self, reg: i32) {
        if !is_k(reg) && reg >= self.fs.nactvar {
            self.fs.freereg -= 1;
            debug_assert_eq!(reg, self.fs.freereg);
        }
    }

    fn free_exp(&mut self, e: &ExpDesc) {
        if e.k == ExpKind::NonReloc {
            self.free_reg(e.info);
        }
    }

    fn add_k(&mut self, key: ConstKey, value: Constant) -> PResult<i32> {
        if let Some(&idx) = self.fs.const_index.get(&key) {
            return Ok(idx);
        }
        let fs: &mut FuncState = &mut self.fs;
        if fs.constants.len() >= MAXARG_BX as usize {
            return Err(super::SyntaxError {
                message: b"constant table overflow".to_vec(),
            });
        }
        let idx = fs.constants.len() as i32;
        fs.constants.push(value);
        fs.const_index.insert(key, idx);
        Ok(idx)
    }

    /// Index of string constant `s`.
    pub fn string_k(&mut self, s: &[u8]) -> PResult<i32> {
        let rc: Rc<[u8]> = Rc::from(s);
        self.add_k(ConstKey::Str(rc), Constant::String(s.into()))
    }

    /// Index of number constant `r`.
    pub fn number_k(&mut self, r: f64) -> PResult<i32> {
        let bits = if r == 0.0 { 0 } else { r.to_bits() };
        self.add_k(ConstKey::Num(bits), Constant::Number(r))
    }

    fn bool_k(&mut self, b: bool) -> PResult<i32> {
        self.add_k(ConstKey::Bool(b), Constant::Boolean(b))
    }

    fn nil_k(&mut self) -> PResult<i32> {
        self.add_k(ConstKey::Nil, Constant::Nil)
    }

    /// Makes an open call or vararg produce `nresults` values.
    pub fn set_returns(&mut self, e: &ExpDesc, nresults: i32) -> PResult<()> {
        match e.k {
            ExpKind::Call => {
                let i = self.instr(e.info);
                *i = set_c(*i, (nresults + 1) as u32);
            }
            ExpKind::VarArg => {
                let freereg = self.fs.freereg as u32;
                let i = self.instr(e.info);
                *i = set_a(set_b(*i, (nresults + 1) as u32), freereg);
                self.reserve_regs(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// `luaK_setmultret`.
    pub fn set_multret(&mut self, e: &ExpDesc) -> PResult<()> {
        self.set_returns(e, MULTRET)
    }

    /// Makes an open call or vararg produce exactly one value.
    pub fn set_one_ret(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Call => {
                e.k = ExpKind::NonReloc;
                e.info = get_a(self.fs.code[e.info as usize]) as i32;
            }
            ExpKind::VarArg => {
                let i = self.instr(e.info);
                *i = set_b(*i, 2);
                e.k = ExpKind::Relocable;
            }
            _ => {}
        }
    }

    /// Turns a variable into a value (`luaK_dischargevars`).
    pub fn discharge_vars(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Local => e.k = ExpKind::NonReloc,
            ExpKind::Upval => {
                e.info = self.code_abc(OpCode::GetUpval, 0, e.info, 0);
                e.k = ExpKind::Relocable;
            }
            ExpKind::Global => {
                e.info = self.code_abx(OpCode::GetGlobal, 0, e.info);
                e.k = ExpKind::Relocable;
            }
            ExpKind::Indexed => {
                self.free_reg(e.aux);
                self.free_reg(e.info);
                e.info = self.code_abc(OpCode::GetTable, 0, e.info, e.aux);
                e.k = ExpKind::Relocable;
            }
            ExpKind::VarArg | ExpKind::Call => self.set_one_ret(e),
            _ => {}
        }
    }

    fn code_label(&mut self, a: i32, b: i32, jump: i32) -> i32 {
        self.get_label();
        self.code_abc(OpCode::LoadBool, a, b, jump)
    }

    fn discharge2reg(&mut self, e: &mut ExpDesc, reg: i32) -> PResult<()> {
        self.discharge_vars(e);
        match e.k {
            ExpKind::Nil => self.code_nil(reg, 1),
            ExpKind::False | ExpKind::True => {
                self.code_abc(OpCode::LoadBool, reg, i32::from(e.k == ExpKind::True), 0);
            }
            ExpKind::K => {
                self.code_abx(OpCode::LoadK, reg, e.info);
            }
            ExpKind::KNum => {
                let k = self.number_k(e.nval)?;
                self.code_abx(OpCode::LoadK, reg, k);
            }
            ExpKind::Relocable => {
                let i = self.instr(e.info);
                *i = set_a(*i, reg as u32);
            }
            ExpKind::NonReloc => {
                if reg != e.info {
                    self.code_abc(OpCode::Move, reg, e.info, 0);
                }
            }
            _ => return Ok(()),
        }
        e.info = reg;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    fn discharge2anyreg(&mut self, e: &mut ExpDesc) -> PResult<()> {
        if e.k != ExpKind::NonReloc {
            self.reserve_regs(1)?;
            let reg = self.fs.freereg - 1;
            self.discharge2reg(e, reg)?;
        }
        Ok(())
    }

    fn exp2reg(&mut self, e: &mut ExpDesc, reg: i32) -> PResult<()> {
        self.discharge2reg(e, reg)?;
        if e.k == ExpKind::Jmp {
            let mut t = e.t;
            self.concat(&mut t, e.info);
            e.t = t;
        }
        if e.has_jumps() {
            let mut p_f = NO_JUMP;
            let mut p_t = NO_JUMP;
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if e.k == ExpKind::Jmp {
                    NO_JUMP
                } else {
                    self.jump()
                };
                p_f = self.code_label(reg, 0, 1);
                p_t = self.code_label(reg, 1, 0);
                self.patch_to_here(fj);
            }
            let end = self.get_label();
            self.patch_list_aux(e.f, end, reg, p_f)?;
            self.patch_list_aux(e.t, end, reg, p_t)?;
        }
        e.f = NO_JUMP;
        e.t = NO_JUMP;
        e.info = reg;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    /// Puts the value in the next free register.
    pub fn exp2nextreg(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.discharge_vars(e);
        self.free_exp(e);
        self.reserve_regs(1)?;
        let reg = self.fs.freereg - 1;
        self.exp2reg(e, reg)
    }

    /// Puts the value in some register and returns it.
    pub fn exp2anyreg(&mut self, e: &mut ExpDesc) -> PResult<i32> {
        self.discharge_vars(e);
        if e.k == ExpKind::NonReloc {
            if !e.has_jumps() {
                return Ok(e.info);
            }
            if e.info >= self.fs.nactvar {
                let reg = e.info;
                self.exp2reg(e, reg)?;
                return Ok(e.info);
            }
        }
        self.exp2nextreg(e)?;
        Ok(e.info)
    }

    /// Makes the expression a value (register or constant) (`luaK_exp2val`).
    pub fn exp2val(&mut self, e: &mut ExpDesc) -> PResult<()> {
        if e.has_jumps() {
            self.exp2anyreg(e)?;
        } else {
            self.discharge_vars(e);
        }
        Ok(())
    }

    /// Returns an RK operand for the expression.
    pub fn exp2rk(&mut self, e: &mut ExpDesc) -> PResult<i32> {
        self.exp2val(e)?;
        match e.k {
            ExpKind::KNum | ExpKind::True | ExpKind::False | ExpKind::Nil
                if self.fs.constants.len() <= MAXINDEXRK as usize =>
            {
                e.info = match e.k {
                    ExpKind::Nil => self.nil_k()?,
                    ExpKind::KNum => self.number_k(e.nval)?,
                    k => self.bool_k(k == ExpKind::True)?,
                };
                e.k = ExpKind::K;
                return Ok(rk_as_k(e.info as u32) as i32);
            }
            ExpKind::K if e.info <= MAXINDEXRK as i32 => {
                return Ok(rk_as_k(e.info as u32) as i32);
            }
            _ => {}
        }
        self.exp2anyreg(e)
    }

    /// Stores `ex` into variable `var` (`luaK_storevar`).
    pub fn store_var(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> PResult<()> {
        match var.k {
            ExpKind::Local => {
                self.free_exp(ex);
                return self.exp2reg(ex, var.info);
            }
            ExpKind::Upval => {
                let e = self.exp2anyreg(ex)?;
                self.code_abc(OpCode::SetUpval, e, var.info, 0);
            }
            ExpKind::Global => {
                let e = self.exp2anyreg(ex)?;
                self.code_abx(OpCode::SetGlobal, e, var.info);
            }
            ExpKind::Indexed => {
                let e = self.exp2rk(ex)?;
                self.code_abc(OpCode::SetTable, var.info, var.aux, e);
            }
            _ => unreachable!("invalid variable kind to store"),
        }
        self.free_exp(ex);
        Ok(())
    }

    /// `e:key` method lookup (`luaK_self`).
    pub fn code_self(&mut self, e: &mut ExpDesc, key: &mut ExpDesc) -> PResult<()> {
        self.exp2anyreg(e)?;
        self.free_exp(e);
        let func = self.fs.freereg;
        self.reserve_regs(2)?;
        let k = self.exp2rk(key)?;
        self.code_abc(OpCode::SelfOp, func, e.info, k);
        self.free_exp(key);
        e.info = func;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    fn invert_jump(&mut self, e: &ExpDesc) {
        let at = self.jump_control(e.info);
        let i = self.fs.code[at];
        self.fs.code[at] = set_a(i, u32::from(get_a(i) == 0));
    }

    fn jump_on_cond(&mut self, e: &mut ExpDesc, cond: bool) -> PResult<i32> {
        if e.k == ExpKind::Relocable {
            let ie = self.fs.code[e.info as usize];
            if get_op(ie) == OpCode::Not as u8 {
                self.fs.code.pop();
                self.fs.line_info.pop();
                return Ok(self.cond_jump(OpCode::Test, get_b(ie) as i32, 0, i32::from(!cond)));
            }
        }
        self.discharge2anyreg(e)?;
        self.free_exp(e);
        Ok(self.cond_jump(OpCode::TestSet, NO_REG, e.info, i32::from(cond)))
    }

    /// Falls through when true, jumps (via `e.f`) when false.
    pub fn go_if_true(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.discharge_vars(e);
        let pc = match e.k {
            ExpKind::K | ExpKind::KNum | ExpKind::True => NO_JUMP,
            ExpKind::Jmp => {
                self.invert_jump(e);
                e.info
            }
            _ => self.jump_on_cond(e, false)?,
        };
        let mut f = e.f;
        self.concat(&mut f, pc);
        e.f = f;
        self.patch_to_here(e.t);
        e.t = NO_JUMP;
        Ok(())
    }

    fn go_if_false(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.discharge_vars(e);
        let pc = match e.k {
            ExpKind::Nil | ExpKind::False => NO_JUMP,
            ExpKind::Jmp => e.info,
            _ => self.jump_on_cond(e, true)?,
        };
        let mut t = e.t;
        self.concat(&mut t, pc);
        e.t = t;
        self.patch_to_here(e.f);
        e.f = NO_JUMP;
        Ok(())
    }

    fn code_not(&mut self, e: &mut ExpDesc) -> PResult<()> {
        self.discharge_vars(e);
        match e.k {
            ExpKind::Nil | ExpKind::False => e.k = ExpKind::True,
            ExpKind::K | ExpKind::KNum | ExpKind::True => e.k = ExpKind::False,
            ExpKind::Jmp => self.invert_jump(e),
            ExpKind::Relocable | ExpKind::NonReloc => {
                self.discharge2anyreg(e)?;
                self.free_exp(e);
                e.info = self.code_abc(OpCode::Not, 0, e.info, 0);
                e.k = ExpKind::Relocable;
            }
            _ => unreachable!("cannot negate this expression"),
        }
        std::mem::swap(&mut e.f, &mut e.t);
        self.remove_values(e.f);
        self.remove_values(e.t);
        Ok(())
    }

    /// `t[k]` (`luaK_indexed`).
    pub fn indexed(&mut self, t: &mut ExpDesc, k: &mut ExpDesc) -> PResult<()> {
        t.aux = self.exp2rk(k)?;
        t.k = ExpKind::Indexed;
        Ok(())
    }

    fn const_folding(op: OpCode, e1: &mut ExpDesc, e2: &ExpDesc) -> bool {
        if !e1.is_numeral() || !e2.is_numeral() {
            return false;
        }
        let (v1, v2) = (e1.nval, e2.nval);
        let r = match op {
            OpCode::Add => v1 + v2,
            OpCode::Sub => v1 - v2,
            OpCode::Mul => v1 * v2,
            OpCode::Div => {
                if v2 == 0.0 {
                    return false;
                }
                v1 / v2
            }
            OpCode::Mod => {
                if v2 == 0.0 {
                    return false;
                }
                v1 - (v1 / v2).floor() * v2
            }
            OpCode::Pow => v1.powf(v2),
            OpCode::Unm => -v1,
            _ => return false,
        };
        if r.is_nan() {
            return false;
        }
        e1.nval = r;
        true
    }

    fn code_arith(&mut self, op: OpCode, e1: &mut ExpDesc, e2: &mut ExpDesc) -> PResult<()> {
        if Self::const_folding(op, e1, e2) {
            return Ok(());
        }
        let o2 = if op != OpCode::Unm && op != OpCode::Len {
            self.exp2rk(e2)?
        } else {
            0
        };
        let o1 = self.exp2rk(e1)?;
        if o1 > o2 {
            self.free_exp(e1);
            self.free_exp(e2);
        } else {
            self.free_exp(e2);
            self.free_exp(e1);
        }
        e1.info = self.code_abc(op, 0, o1, o2);
        e1.k = ExpKind::Relocable;
        Ok(())
    }

    fn code_comp(
        &mut self,
        op: OpCode,
        cond: bool,
        e1: &mut ExpDesc,
        e2: &mut ExpDesc,
    ) -> PResult<()> {
        let mut o1 = self.exp2rk(e1)?;
        let mut o2 = self.exp2rk(e2)?;
        self.free_exp(e2);
        self.free_exp(e1);
        let mut cond = cond;
        if !cond && op != OpCode::Eq {
            std::mem::swap(&mut o1, &mut o2);
            cond = true;
        }
        e1.info = self.cond_jump(op, i32::from(cond), o1, o2);
        e1.k = ExpKind::Jmp;
        Ok(())
    }

    /// Applies a unary operator (`luaK_prefix`).
    pub fn prefix(&mut self, op: UnOpr, e: &mut ExpDesc) -> PResult<()> {
        let mut e2 = ExpDesc::num(0.0);
        match op {
            UnOpr::Minus => {
                if !e.is_numeral() {
                    self.exp2anyreg(e)?;
                }
                self.code_arith(OpCode::Unm, e, &mut e2)
            }
            UnOpr::Not => self.code_not(e),
            UnOpr::Len => {
                self.exp2anyreg(e)?;
                self.code_arith(OpCode::Len, e, &mut e2)
            }
        }
    }

    /// Prepares the left operand before the right one is read (`luaK_infix`).
    pub fn infix(&mut self, op: BinOpr, v: &mut ExpDesc) -> PResult<()> {
        match op {
            BinOpr::And => self.go_if_true(v),
            BinOpr::Or => self.go_if_false(v),
            BinOpr::Concat => self.exp2nextreg(v),
            BinOpr::Add | BinOpr::Sub | BinOpr::Mul | BinOpr::Div | BinOpr::Mod | BinOpr::Pow => {
                if !v.is_numeral() {
                    self.exp2rk(v)?;
                }
                Ok(())
            }
            _ => {
                self.exp2rk(v)?;
                Ok(())
            }
        }
    }

    /// Combines both operands (`luaK_posfix`).
    pub fn posfix(&mut self, op: BinOpr, e1: &mut ExpDesc, e2: &mut ExpDesc) -> PResult<()> {
        match op {
            BinOpr::And => {
                self.discharge_vars(e2);
                let mut f = e2.f;
                self.concat(&mut f, e1.f);
                e2.f = f;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Or => {
                self.discharge_vars(e2);
                let mut t = e2.t;
                self.concat(&mut t, e1.t);
                e2.t = t;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Concat => {
                self.exp2val(e2)?;
                if e2.k == ExpKind::Relocable
                    && get_op(self.fs.code[e2.info as usize]) == OpCode::Concat as u8
                {
                    self.free_exp(e1);
                    let i = self.instr(e2.info);
                    *i = set_b(*i, e1.info as u32);
                    e1.k = ExpKind::Relocable;
                    e1.info = e2.info;
                    Ok(())
                } else {
                    self.exp2nextreg(e2)?;
                    self.code_arith(OpCode::Concat, e1, e2)
                }
            }
            BinOpr::Add => self.code_arith(OpCode::Add, e1, e2),
            BinOpr::Sub => self.code_arith(OpCode::Sub, e1, e2),
            BinOpr::Mul => self.code_arith(OpCode::Mul, e1, e2),
            BinOpr::Div => self.code_arith(OpCode::Div, e1, e2),
            BinOpr::Mod => self.code_arith(OpCode::Mod, e1, e2),
            BinOpr::Pow => self.code_arith(OpCode::Pow, e1, e2),
            BinOpr::Eq => self.code_comp(OpCode::Eq, true, e1, e2),
            BinOpr::Ne => self.code_comp(OpCode::Eq, false, e1, e2),
            BinOpr::Lt => self.code_comp(OpCode::Lt, true, e1, e2),
            BinOpr::Le => self.code_comp(OpCode::Le, true, e1, e2),
            BinOpr::Gt => self.code_comp(OpCode::Lt, false, e1, e2),
            BinOpr::Ge => self.code_comp(OpCode::Le, false, e1, e2),
        }
    }

    /// Emits `SETLIST` for `tostore` pending items (`luaK_setlist`).
    pub fn set_list(&mut self, base: i32, nelems: i32, tostore: i32) {
        let c = (nelems - 1) / FIELDS_PER_FLUSH as i32 + 1;
        let b = if tostore == MULTRET { 0 } else { tostore };
        if c <= MAXARG_C as i32 {
            self.code_abc(OpCode::SetList, base, b, c);
        } else {
            self.code_abc(OpCode::SetList, base, b, 0);
            self.emit(c as u32);
        }
        self.fs.freereg = base + 1;
    }

    /// Sets a `NEWTABLE`'s size hints.
    pub fn set_table_size(&mut self, pc: i32, na: i32, nh: i32) {
        let i = self.instr(pc);
        *i = set_c(set_b(*i, int2fb(na as u32)), int2fb(nh as u32));
    }

    /// Replaces the C operand of the instruction at `pc`.
    pub fn set_arg_c(&mut self, pc: i32, c: i32) {
        let i = self.instr(pc);
        *i = set_c(*i, c as u32);
    }

    /// Replaces the opcode of the instruction at `pc` by `TAILCALL`.
    pub fn make_tail_call(&mut self, pc: i32) {
        let i = self.instr(pc);
        *i = (*i & !0x3f) | OpCode::TailCall as u32;
    }
}
