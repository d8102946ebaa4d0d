//! The instruction dispatch loop (`luaV_execute`).
//!
//! The loop keeps the running frame's pc, base, code and constants in locals and borrows the thread
//! state once for as long as it runs. Calls to Lua functions and returns between Lua functions stay
//! in the loop (the frame is re-read from the frame stack); natives are called directly. The loop
//! leaves when fuel runs out (checked at backward jumps and calls), when the innermost frame is no
//! longer a Lua frame, or with an error value for the scheduler to raise.
//!
//! The loop is compiled twice ([`run_frames`]): the usual version knows nothing of debug hooks;
//! the other checks them before every instruction and at calls and returns ([`super::hook`]).
//! With a line hook, backward jumps do not end the slice (the line hook runs there anyway), so
//! that the previous instruction is still known when the loop decides whether a line starts.

use gc_arena::{lock::Lock, Gc};

use crate::function::{LuaClosure, UpValueState};
use crate::opcode::{self, OpCode, BITRK, FIELDS_PER_FLUSH};
use crate::table::Table;
use crate::thread::{hook_mask, Thread, ThreadState};
use crate::value::Value;

use super::call::{self, Flow, Step};
use super::frame::{Frame, HookResume, LuaFrame, ReturnKind};
use super::hook;
use super::meta::Event;
use super::ops::{self, Assign, Outcome};
use super::Ctx;

const OP_MOVE: u8 = OpCode::Move as u8;
const OP_LOADK: u8 = OpCode::LoadK as u8;
const OP_LOADBOOL: u8 = OpCode::LoadBool as u8;
const OP_LOADNIL: u8 = OpCode::LoadNil as u8;
const OP_GETUPVAL: u8 = OpCode::GetUpval as u8;
const OP_GETGLOBAL: u8 = OpCode::GetGlobal as u8;
const OP_GETTABLE: u8 = OpCode::GetTable as u8;
const OP_SETGLOBAL: u8 = OpCode::SetGlobal as u8;
const OP_SETUPVAL: u8 = OpCode::SetUpval as u8;
const OP_SETTABLE: u8 = OpCode::SetTable as u8;
const OP_NEWTABLE: u8 = OpCode::NewTable as u8;
const OP_SELF: u8 = OpCode::SelfOp as u8;
const OP_ADD: u8 = OpCode::Add as u8;
const OP_SUB: u8 = OpCode::Sub as u8;
const OP_MUL: u8 = OpCode::Mul as u8;
const OP_DIV: u8 = OpCode::Div as u8;
const OP_MOD: u8 = OpCode::Mod as u8;
const OP_POW: u8 = OpCode::Pow as u8;
const OP_UNM: u8 = OpCode::Unm as u8;
const OP_NOT: u8 = OpCode::Not as u8;
const OP_LEN: u8 = OpCode::Len as u8;
const OP_CONCAT: u8 = OpCode::Concat as u8;
const OP_JMP: u8 = OpCode::Jmp as u8;
const OP_EQ: u8 = OpCode::Eq as u8;
const OP_LT: u8 = OpCode::Lt as u8;
const OP_LE: u8 = OpCode::Le as u8;
const OP_TEST: u8 = OpCode::Test as u8;
const OP_TESTSET: u8 = OpCode::TestSet as u8;
const OP_CALL: u8 = OpCode::Call as u8;
const OP_TAILCALL: u8 = OpCode::TailCall as u8;
const OP_RETURN: u8 = OpCode::Return as u8;
const OP_FORLOOP: u8 = OpCode::ForLoop as u8;
const OP_FORPREP: u8 = OpCode::ForPrep as u8;
const OP_TFORLOOP: u8 = OpCode::TForLoop as u8;
const OP_SETLIST: u8 = OpCode::SetList as u8;
const OP_CLOSE: u8 = OpCode::Close as u8;
const OP_CLOSURE: u8 = OpCode::Closure as u8;
const OP_VARARG: u8 = OpCode::VarArg as u8;

/// Reads an upvalue cell.
#[inline]
fn read_upvalue<'gc>(
    thread: Thread<'gc>,
    st: &ThreadState<'gc>,
    state: UpValueState<'gc>,
) -> Value<'gc> {
    match state {
        UpValueState::Closed(v) => v,
        UpValueState::Open(t, index) if t == thread => st.stack[index],
        UpValueState::Open(t, index) => t.0.state.borrow().stack[index],
    }
}

/// Pushes `function(args...)` above the running Lua frame and calls it for a metamethod; the
/// result is handled by `ret` when the call returns.
fn call_meta<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    function: Value<'gc>,
    args: &[Value<'gc>],
    ret: ReturnKind,
) -> Step<'gc> {
    let func = st.stack.len();
    st.stack.push(function);
    st.stack.extend_from_slice(args);
    call::call_value(ctx, thread, st, func, ret, false)
}

/// Runs `CONCAT` over registers `first..=last` of the innermost Lua frame into `dest`, calling
/// `__concat` as needed.
pub fn continue_concat<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    first: u8,
    mut last: u8,
    dest: u8,
) -> Step<'gc> {
    let Some(Frame::Lua(frame)) = st.frames.last() else {
        unreachable!("concat outside a Lua frame");
    };
    let base = frame.base;
    let mut buf = Vec::new();
    while last > first {
        let values = &st.stack[base + first as usize..=base + last as usize];
        match ops::concat_step(ctx, values, &mut buf) {
            Ok(Ok((v, consumed))) => {
                last = last + 1 - consumed as u8;
                st.stack[base + last as usize] = v;
            }
            Ok(Err(tm)) => {
                let args = [
                    st.stack[base + last as usize - 1],
                    st.stack[base + last as usize],
                ];
                let ret = ReturnKind::Concat {
                    at: last - 1,
                    first,
                    dest,
                };
                return call_meta(ctx, thread, st, tm, &args, ret);
            }
            Err(e) => {
                let a = st.stack[base + last as usize - 1];
                let culprit = if matches!(a, Value::String(_) | Value::Number(_)) {
                    last
                } else {
                    last - 1
                };
                return Err(call::op_error(ctx, &st.frames, e, Some(culprit as u32)));
            }
        }
    }
    st.stack[base + dest as usize] = st.stack[base + first as usize];
    Ok(Flow::Continue)
}

/// Runs Lua frames of `thread` until something needs the scheduler.
pub fn run_lua<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    fuel: &mut i64,
) -> Step<'gc> {
    if thread.hook_mask() != 0 {
        run_frames::<true>(ctx, thread, st, fuel)
    } else {
        run_frames::<false>(ctx, thread, st, fuel)
    }
}

/// The dispatch loop, compiled twice: with `HOOKED` it calls debug hooks, without it has no trace
/// of them. It returns to the scheduler (which picks the other version) when a frame starts with
/// hooks turned on or off.
fn run_frames<'gc, const HOOKED: bool>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    fuel: &mut i64,
) -> Step<'gc> {
    'frame: loop {
        let Some(Frame::Lua(frame)) = st.frames.last() else {
            return Ok(Flow::Continue);
        };
        if *fuel <= 0 {
            return Ok(Flow::Continue);
        }
        let mut closure: &'gc LuaClosure<'gc> = Gc::as_ref(frame.closure);
        let mut proto = Gc::as_ref(closure.proto);
        let mut code: &'gc [u32] = &proto.code;
        let mut k: &'gc [Value<'gc>] = &proto.constants;
        let mut base = frame.base;
        let mut pc = frame.pc;
        let mut top = frame.top;
        if st.stack.len() < base + proto.max_stack {
            st.stack.resize(base + proto.max_stack, Value::Nil);
        }
        // Debug hooks: `mask` is the thread's event mask (0 almost always), `hooks` the events
        // that call the hook now (none while a hook runs, though instructions still count);
        // `skip` holds the hooks already called for the instruction this frame resumes at,
        // `traced` those of the instruction running now, `old_pc` the pc after the previous
        // traced instruction.
        let mask = thread.hook_mask();
        if (mask != 0) != HOOKED {
            return Ok(Flow::Continue);
        }
        let hooks = if st.in_hook { 0 } else { mask };
        let mut skip = 0;
        let mut traced = 0;
        let mut old_pc = pc;

        macro_rules! save {
            () => {
                if let Some(Frame::Lua(f)) = st.frames.last_mut() {
                    f.pc = pc;
                    f.top = top;
                }
            };
        }
        // Switches the loop's locals to the Lua frame `$f` (a call or return that stays in the
        // loop without going through `'frame`: no fuel or hook checks, which the unhooked loop
        // does not need between Lua frames).
        macro_rules! switch_to {
            ($f:expr) => {{
                let f: &LuaFrame<'gc> = $f;
                closure = Gc::as_ref(f.closure);
                proto = Gc::as_ref(closure.proto);
                code = &proto.code;
                k = &proto.constants;
                base = f.base;
                pc = f.pc;
                top = f.top;
            }};
        }
        // Operand access without bounds checks (measured: fib 25 164.7M -> 157.5M instructions, methods 1107M -> 1023M). Registers
        // below `max_stack`, constant indices and jump targets are guaranteed by the compiler
        // and, for binary chunks, by `dump`'s verifier (5.1's `luaG_checkcode` checks, behind a
        // checksum); the stack holds the frame's `base + max_stack` slots whenever an instruction
        // reads a register (ensured at `'frame` entry, kept by every call and return that
        // switches frames in the loop; instructions that shrink the stack leave the loop).
        // Switches the locals to the frame `enter_lua_fixed` just pushed for closure `$cl` in
        // slot `$func` (its state is known: no need to read it back).
        macro_rules! start {
            ($cl:expr, $func:expr) => {{
                closure = Gc::as_ref($cl);
                proto = Gc::as_ref(closure.proto);
                code = &proto.code;
                k = &proto.constants;
                base = $func + 1;
                pc = 0;
                top = base;
            }};
        }
        macro_rules! reg {
            ($r:expr) => {
                // SAFETY: `base + r < base + max_stack <= st.stack.len()` (see above).
                *unsafe { st.stack.get_unchecked_mut(base + $r as usize) }
            };
        }
        macro_rules! konst {
            ($x:expr) => {
                // SAFETY: constant indices are checked against the constant table (see above).
                *unsafe { k.get_unchecked($x as usize) }
            };
        }
        macro_rules! rk {
            ($x:expr) => {{
                let x = $x;
                if x & BITRK != 0 {
                    konst!(x & !BITRK)
                } else {
                    reg!(x)
                }
            }};
        }
        macro_rules! fetch {
            () => {
                // SAFETY: execution never runs off the code: it ends with RETURN, and jumps,
                // skips and pseudo-instructions stay inside it (see above).
                *unsafe { code.get_unchecked(pc) }
            };
        }
        macro_rules! fail {
            ($err:expr, $operand:expr) => {{
                save!();
                return Err(call::op_error(ctx, &st.frames, $err, $operand));
            }};
        }
        macro_rules! runtime_error {
            ($msg:expr) => {{
                save!();
                return Err(call::runtime_error(ctx, &st.frames, $msg));
            }};
        }
        macro_rules! meta_call {
            ($f:expr, $args:expr, $ret:expr) => {{
                save!();
                let step = call_meta(ctx, thread, st, $f, &$args, $ret)?;
                match step {
                    Flow::Continue => continue 'frame,
                    other => return Ok(other),
                }
            }};
        }
        macro_rules! after_call {
            ($step:expr) => {{
                match $step? {
                    Flow::Continue => continue 'frame,
                    other => return Ok(other),
                }
            }};
        }
        macro_rules! arith {
            ($i:expr, $event:expr, $f:expr) => {{
                let b = opcode::get_b($i);
                let c = opcode::get_c($i);
                let (vb, vc) = (rk!(b), rk!(c));
                let a = opcode::get_a($i);
                if let (Value::Number(x), Value::Number(y)) = (vb, vc) {
                    Value::store_number(&mut reg!(a), $f(x, y));
                } else {
                    match ops::arith_values(ctx, $event, vb, vc) {
                        Ok(Outcome::Done(v)) => reg!(a) = v,
                        Ok(Outcome::Call(f, args)) => {
                            meta_call!(f, args, ReturnKind::Store { reg: a as u8 })
                        }
                        Err(e) => {
                            let operand = if ops::to_number(vb).is_none() { b } else { c };
                            fail!(e, Some(operand))
                        }
                    }
                }
            }};
        }
        macro_rules! call_hook {
            ($event:expr, $line:expr, $resume:expr) => {{
                save!();
                after_call!(hook::fire(ctx, thread, st, $event, $line, $resume))
            }};
        }
        if HOOKED && hooks != 0 {
            skip = hook::take_skip(thread);
            if pc == 0 && hooks & hook_mask::CALL != 0 && skip & hook::SKIP_CALL == 0 {
                let resume = HookResume::Lua {
                    skip: hook::SKIP_CALL,
                    refetch: false,
                };
                call_hook!("call", None, resume)
            }
        }
        macro_rules! jump_next {
            () => {{
                let j = fetch!();
                pc = (pc as i64 + opcode::get_sbx(j) as i64 + 1) as usize;
            }};
        }

        loop {
            let i = fetch!();
            pc += 1;
            if HOOKED {
                traced = std::mem::take(&mut skip);
                if mask & (hook_mask::LINE | hook_mask::COUNT) != 0 {
                    let event = hook::trace(thread, proto, pc - 1, old_pc, hooks, traced);
                    if let Some((event, line, skip)) = event {
                        let resume = HookResume::Lua {
                            skip,
                            refetch: true,
                        };
                        call_hook!(event, line, resume)
                    }
                    old_pc = pc;
                }
            }
            let a = opcode::get_a(i);
            match opcode::get_op(i) {
                OP_MOVE => reg!(a) = reg!(opcode::get_b(i)),
                OP_LOADK => reg!(a) = konst!(opcode::get_bx(i)),
                OP_LOADBOOL => {
                    Value::store_boolean(&mut reg!(a), opcode::get_b(i) != 0);
                    if opcode::get_c(i) != 0 {
                        pc += 1;
                    }
                }
                OP_LOADNIL => {
                    for r in a..=opcode::get_b(i) {
                        Value::store_nil(&mut reg!(r));
                    }
                }
                OP_GETUPVAL => {
                    let up = closure.upvalues[opcode::get_b(i) as usize];
                    reg!(a) = read_upvalue(thread, st, up.get());
                }
                OP_GETGLOBAL => {
                    let key = konst!(opcode::get_bx(i));
                    let env = closure.env.get();
                    let v = match key {
                        Value::String(s) => env.get_str(s),
                        _ => env.get(key),
                    };
                    if !v.is_nil() || env.metatable().is_none() {
                        reg!(a) = v;
                    } else {
                        match ops::index(ctx, Value::Table(env), key) {
                            Ok(Outcome::Done(v)) => reg!(a) = v,
                            Ok(Outcome::Call(f, args)) => {
                                meta_call!(f, args, ReturnKind::Store { reg: a as u8 })
                            }
                            Err(e) => fail!(e, None),
                        }
                    }
                }
                OP_GETTABLE => {
                    let b = opcode::get_b(i);
                    let t = reg!(b);
                    let key = rk!(opcode::get_c(i));
                    let outcome = match t {
                        Value::Table(table) => match table.get_into(key, &mut reg!(a)) {
                            None => continue,
                            Some(mt) => ops::index_meta(ctx, table, mt, key),
                        },
                        _ => ops::index(ctx, t, key),
                    };
                    match outcome {
                        Ok(Outcome::Done(v)) => reg!(a) = v,
                        Ok(Outcome::Call(f, args)) => {
                            meta_call!(f, args, ReturnKind::Store { reg: a as u8 })
                        }
                        Err(e) => fail!(e, Some(b)),
                    }
                }
                OP_SETGLOBAL => {
                    let key = konst!(opcode::get_bx(i));
                    let env = closure.env.get();
                    let v = reg!(a);
                    match env.set_plain(ctx.mc, key, v) {
                        Some(Ok(())) => {}
                        Some(Err(e)) => runtime_error!(e.message().as_bytes()),
                        None => match ops::new_index(ctx, Value::Table(env), key, v) {
                            Ok(Assign::Done) => {}
                            Ok(Assign::Call(f, t)) => {
                                meta_call!(f, [t, key, v], ReturnKind::Discard)
                            }
                            Err(e) => fail!(e, None),
                        },
                    }
                }
                OP_SETUPVAL => {
                    let up = closure.upvalues[opcode::get_b(i) as usize];
                    let v = reg!(a);
                    match up.get() {
                        UpValueState::Open(t, index) if t == thread => st.stack[index] = v,
                        UpValueState::Open(t, index) => t.state_mut(ctx.mc).stack[index] = v,
                        UpValueState::Closed(_) => up.unlock(ctx.mc).set(UpValueState::Closed(v)),
                    }
                }
                OP_SETTABLE => {
                    let t = reg!(a);
                    let key = rk!(opcode::get_b(i));
                    let v = rk!(opcode::get_c(i));
                    if let Value::Table(table) = t {
                        match table.set_plain(ctx.mc, key, v) {
                            Some(Ok(())) => continue,
                            Some(Err(e)) => runtime_error!(e.message().as_bytes()),
                            None => {}
                        }
                    }
                    match ops::new_index(ctx, t, key, v) {
                        Ok(Assign::Done) => {}
                        Ok(Assign::Call(f, t)) => meta_call!(f, [t, key, v], ReturnKind::Discard),
                        Err(e) => fail!(e, Some(a)),
                    }
                }
                OP_NEWTABLE => {
                    let narray = opcode::fb2int(opcode::get_b(i)) as usize;
                    let nhash = opcode::fb2int(opcode::get_c(i)) as usize;
                    reg!(a) = Value::Table(Table::with_capacity(ctx.mc, narray, nhash));
                }
                OP_SELF => {
                    let b = opcode::get_b(i);
                    let t = reg!(b);
                    let key = rk!(opcode::get_c(i));
                    reg!(a + 1) = t;
                    let outcome = match t {
                        Value::Table(table) => match table.get_into(key, &mut reg!(a)) {
                            None => continue,
                            Some(mt) => ops::index_meta(ctx, table, mt, key),
                        },
                        _ => ops::index(ctx, t, key),
                    };
                    match outcome {
                        Ok(Outcome::Done(v)) => reg!(a) = v,
                        Ok(Outcome::Call(f, args)) => {
                            meta_call!(f, args, ReturnKind::Store { reg: a as u8 })
                        }
                        Err(e) => fail!(e, Some(b)),
                    }
                }
                OP_ADD => arith!(i, Event::Add, |x, y| x + y),
                OP_SUB => arith!(i, Event::Sub, |x, y| x - y),
                OP_MUL => arith!(i, Event::Mul, |x, y| x * y),
                OP_DIV => arith!(i, Event::Div, |x, y| x / y),
                OP_MOD => arith!(i, Event::Mod, ops::lua_mod),
                OP_POW => arith!(i, Event::Pow, f64::powf),
                OP_UNM => {
                    let b = opcode::get_b(i);
                    let v = reg!(b);
                    if let Value::Number(n) = v {
                        Value::store_number(&mut reg!(a), -n);
                    } else {
                        match ops::negate(ctx, v) {
                            Ok(Outcome::Done(v)) => reg!(a) = v,
                            Ok(Outcome::Call(f, args)) => {
                                meta_call!(f, args, ReturnKind::Store { reg: a as u8 })
                            }
                            Err(e) => fail!(e, Some(b)),
                        }
                    }
                }
                OP_NOT => {
                    let v = !reg!(opcode::get_b(i)).is_truthy();
                    Value::store_boolean(&mut reg!(a), v);
                }
                OP_LEN => {
                    let b = opcode::get_b(i);
                    match ops::length(ctx, reg!(b)) {
                        Ok(Outcome::Done(v)) => reg!(a) = v,
                        Ok(Outcome::Call(f, args)) => {
                            meta_call!(f, args, ReturnKind::Store { reg: a as u8 })
                        }
                        Err(e) => fail!(e, Some(b)),
                    }
                }
                OP_CONCAT => {
                    let b = opcode::get_b(i) as u8;
                    let c = opcode::get_c(i) as u8;
                    save!();
                    let step = continue_concat(ctx, thread, st, b, c, a as u8);
                    after_call!(step)
                }
                OP_JMP => {
                    let offset = opcode::get_sbx(i);
                    pc = (pc as i64 + offset as i64) as usize;
                    if offset < 0 {
                        *fuel -= 1;
                        if *fuel <= 0 && (!HOOKED || hooks & hook_mask::LINE == 0) {
                            save!();
                            return Ok(Flow::Continue);
                        }
                    }
                }
                OP_EQ => {
                    let (vb, vc) = (rk!(opcode::get_b(i)), rk!(opcode::get_c(i)));
                    let expect = a != 0;
                    match ops::equals(ctx, vb, vc) {
                        Outcome::Done(r) => {
                            if r == expect {
                                jump_next!();
                            } else {
                                pc += 1;
                            }
                        }
                        Outcome::Call(f, args) => meta_call!(
                            f,
                            args,
                            ReturnKind::Compare {
                                expect,
                                negate: false
                            }
                        ),
                    }
                }
                OP_LT | OP_LE => {
                    let (vb, vc) = (rk!(opcode::get_b(i)), rk!(opcode::get_c(i)));
                    let expect = a != 0;
                    let result = if let (Value::Number(x), Value::Number(y)) = (vb, vc) {
                        Ok(Ok(if opcode::get_op(i) == OP_LT {
                            x < y
                        } else {
                            x <= y
                        }))
                    } else if opcode::get_op(i) == OP_LT {
                        ops::less_than(ctx, vb, vc)
                    } else {
                        ops::less_equal(ctx, vb, vc)
                    };
                    match result {
                        Ok(Ok(r)) => {
                            if r == expect {
                                jump_next!();
                            } else {
                                pc += 1;
                            }
                        }
                        Ok(Err(order)) => meta_call!(
                            order.function,
                            order.args,
                            ReturnKind::Compare {
                                expect,
                                negate: order.negate
                            }
                        ),
                        Err(e) => fail!(e, None),
                    }
                }
                OP_TEST => {
                    if reg!(a).is_truthy() == (opcode::get_c(i) != 0) {
                        jump_next!();
                    } else {
                        pc += 1;
                    }
                }
                OP_TESTSET => {
                    let vb = reg!(opcode::get_b(i));
                    if vb.is_truthy() == (opcode::get_c(i) != 0) {
                        reg!(a) = vb;
                        jump_next!();
                    } else {
                        pc += 1;
                    }
                }
                OP_CALL => {
                    let b = opcode::get_b(i) as usize;
                    let func = base + a as usize;
                    let end = if b != 0 { func + b } else { top };
                    st.stack.truncate(end);
                    let wanted = opcode::get_c(i) as i32 - 1;
                    *fuel -= 1;
                    save!();
                    if !HOOKED && *fuel > 0 {
                        if let Value::LuaFunction(cl) = st.stack[func] {
                            if call::enter_lua_fixed(
                                st,
                                cl,
                                func,
                                end,
                                ReturnKind::Values { wanted },
                                false,
                            ) {
                                start!(cl, func);
                                continue;
                            }
                        }
                    }
                    match st.stack[func] {
                        Value::LuaFunction(cl) => {
                            call::enter_lua(
                                ctx,
                                st,
                                cl,
                                func,
                                ReturnKind::Values { wanted },
                                false,
                            )?;
                            continue 'frame;
                        }
                        Value::NativeFunction(native) => {
                            let step = call::call_native(
                                ctx,
                                thread,
                                st,
                                native,
                                func,
                                ReturnKind::Values { wanted },
                            );
                            if ctx.state.collection_requested.get() {
                                // `collectgarbage` runs the collector before the next instruction.
                                *fuel = 0;
                            }
                            after_call!(step)
                        }
                        _ => {
                            let step = call::call_value(
                                ctx,
                                thread,
                                st,
                                func,
                                ReturnKind::Values { wanted },
                                false,
                            );
                            after_call!(step)
                        }
                    }
                }
                OP_TAILCALL => {
                    let b = opcode::get_b(i) as usize;
                    let func = base + a as usize;
                    let end = if b != 0 { func + b } else { top };
                    st.stack.truncate(end);
                    *fuel -= 1;
                    save!();
                    if let Value::LuaFunction(cl) = st.stack[func] {
                        if call::has_open_upvalues_from(st, base) {
                            call::close_upvalues(ctx, st, base);
                        }
                        let Some(Frame::Lua(current)) = st.frames.pop() else {
                            unreachable!("tail call from a Lua frame");
                        };
                        let n = end - func;
                        st.stack.copy_within(func..end, current.func);
                        st.stack.truncate(current.func + n);
                        if !HOOKED
                            && *fuel > 0
                            && call::enter_lua_fixed(
                                st,
                                cl,
                                current.func,
                                current.func + n,
                                current.ret,
                                true,
                            )
                        {
                            start!(cl, current.func);
                            continue;
                        }
                        call::enter_lua(ctx, st, cl, current.func, current.ret, true)?;
                        continue 'frame;
                    }
                    let step = call::call_value(
                        ctx,
                        thread,
                        st,
                        func,
                        ReturnKind::Values { wanted: -1 },
                        false,
                    );
                    after_call!(step)
                }
                OP_RETURN => {
                    if HOOKED && hooks & hook_mask::RETURN != 0 {
                        let tail = matches!(st.frames.last(), Some(Frame::Lua(f)) if f.tail_call);
                        if let Some((event, skip)) = hook::return_event(traced, tail) {
                            let resume = HookResume::Lua {
                                skip,
                                refetch: true,
                            };
                            call_hook!(event, None, resume)
                        }
                    }
                    let b = opcode::get_b(i) as usize;
                    let src = base + a as usize;
                    let n = if b != 0 { b - 1 } else { top - src };
                    if call::has_open_upvalues_from(st, base) {
                        call::close_upvalues(ctx, st, base);
                    }
                    let Some(Frame::Lua(current)) = st.frames.pop() else {
                        unreachable!("return from a Lua frame");
                    };
                    if let ReturnKind::Values { wanted } = current.ret {
                        if !HOOKED {
                            call::return_to_lua(st, current.func, wanted, src, n);
                            let Some(Frame::Lua(f)) = st.frames.last() else {
                                unreachable!("Lua-call results without a Lua caller");
                            };
                            switch_to!(f);
                            continue;
                        }
                    }
                    let step = call::deliver(ctx, thread, st, current.func, current.ret, src, n);
                    after_call!(step)
                }
                OP_FORLOOP => {
                    let (Value::Number(idx), Value::Number(limit), Value::Number(step)) =
                        (reg!(a), reg!(a + 1), reg!(a + 2))
                    else {
                        unreachable!("FORPREP checked the loop values");
                    };
                    let idx = idx + step;
                    let go_on = if step > 0.0 {
                        idx <= limit
                    } else {
                        limit <= idx
                    };
                    if go_on {
                        pc = (pc as i64 + opcode::get_sbx(i) as i64) as usize;
                        Value::store_number(&mut reg!(a), idx);
                        Value::store_number(&mut reg!(a + 3), idx);
                    }
                    *fuel -= 1;
                    if *fuel <= 0 && (!HOOKED || hooks & hook_mask::LINE == 0) {
                        save!();
                        return Ok(Flow::Continue);
                    }
                }
                OP_FORPREP => {
                    let Some(init) = ops::to_number(reg!(a)) else {
                        runtime_error!(b"'for' initial value must be a number");
                    };
                    let Some(limit) = ops::to_number(reg!(a + 1)) else {
                        runtime_error!(b"'for' limit must be a number");
                    };
                    let Some(step) = ops::to_number(reg!(a + 2)) else {
                        runtime_error!(b"'for' step must be a number");
                    };
                    Value::store_number(&mut reg!(a), init - step);
                    Value::store_number(&mut reg!(a + 1), limit);
                    Value::store_number(&mut reg!(a + 2), step);
                    pc = (pc as i64 + opcode::get_sbx(i) as i64) as usize;
                }
                OP_TFORLOOP => {
                    let cb = base + a as usize + 3;
                    let (f, s, c) = (reg!(a), reg!(a + 1), reg!(a + 2));
                    st.stack.truncate(cb);
                    st.stack.extend_from_slice(&[f, s, c]);
                    *fuel -= 1;
                    save!();
                    let ret = ReturnKind::ForIterator {
                        a: a as u8,
                        wanted: opcode::get_c(i) as u8,
                    };
                    let step = call::call_value(ctx, thread, st, cb, ret, false);
                    after_call!(step)
                }
                OP_SETLIST => {
                    let mut n = opcode::get_b(i) as usize;
                    let mut c = opcode::get_c(i);
                    if n == 0 {
                        n = top - (base + a as usize) - 1;
                    }
                    if c == 0 {
                        c = code[pc];
                        pc += 1;
                    }
                    let Value::Table(t) = reg!(a) else {
                        unreachable!("SETLIST on a table");
                    };
                    let first = ((c - 1) * FIELDS_PER_FLUSH) as usize;
                    t.ensure_array(ctx.mc, first + n);
                    for j in 1..=n {
                        t.set_int(ctx.mc, (first + j) as i64, reg!(a as usize + j));
                    }
                    let extent = base + proto.max_stack;
                    if st.stack.len() != extent {
                        st.stack.resize(extent, Value::Nil);
                    }
                }
                OP_CLOSE => call::close_upvalues(ctx, st, base + a as usize),
                OP_CLOSURE => {
                    let p = proto.protos[opcode::get_bx(i) as usize];
                    let nup = p.info.num_upvalues as usize;
                    let mut upvalues = Vec::with_capacity(nup);
                    for _ in 0..nup {
                        let pseudo = code[pc];
                        pc += 1;
                        let b = opcode::get_b(pseudo) as usize;
                        if opcode::get_op(pseudo) == OP_GETUPVAL {
                            upvalues.push(closure.upvalues[b]);
                        } else {
                            upvalues.push(call::find_upvalue(ctx, thread, st, base + b));
                        }
                    }
                    let new = LuaClosure {
                        proto: p,
                        upvalues: upvalues.into_boxed_slice(),
                        env: Lock::new(closure.env.get()),
                    };
                    reg!(a) = Value::LuaFunction(Gc::new(ctx.mc, new));
                }
                OP_VARARG => {
                    let func = match st.frames.last() {
                        Some(Frame::Lua(f)) => f.func,
                        _ => unreachable!("VARARG in a Lua frame"),
                    };
                    let num_params = proto.num_params;
                    let nargs = base - func - 1;
                    let nvar = nargs.saturating_sub(num_params);
                    let from = func + 1 + num_params;
                    let b = opcode::get_b(i) as usize;
                    let dest = base + a as usize;
                    if b == 0 {
                        top = dest + nvar;
                        if st.stack.len() < top {
                            st.stack.resize(top, Value::Nil);
                        }
                        st.stack.copy_within(from..from + nvar, dest);
                    } else {
                        for j in 0..b - 1 {
                            st.stack[dest + j] = if j < nvar {
                                st.stack[from + j]
                            } else {
                                Value::Nil
                            };
                        }
                    }
                }
                _ => runtime_error!(b"invalid instruction"),
            }
        }
    }
}
