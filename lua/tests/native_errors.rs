//! Errors raised while a native's continuation handles an error it caught: the continuation calls
//! a native that fails at once, and that second error must go to whoever catches it (the same
//! continuation again, or an outer `pcall`), not end the run as uncaught.

use ferrous_lua::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use ferrous_lua::function::NativeClosure;
use ferrous_lua::value::Value;
use ferrous_lua::vm::Ctx;
use ferrous_lua::Lua;

/// `fail(v)`: raises `v` from its first step.
fn fail<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    Err(NativeError::Value(stack.get(0)))
}

/// Asks the VM to call `fail(message)` with `then` as continuation.
fn call_fail<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    message: &str,
    then: Continuation<'gc>,
) -> NativeResult<'gc> {
    stack.clear();
    stack.push(ctx.str(message));
    Ok(Action::Call {
        function: NativeClosure::function(ctx.mc, "fail", fail, Vec::new()),
        keep: 0,
        then: Some(then),
    })
}

/// `twice()`: catches `first`, then from that continuation catches `second`; returns both.
fn twice<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    call_fail(
        ctx,
        stack,
        "first",
        Continuation::catching(twice_1, Value::Nil),
    )
}

fn twice_1<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let first = outcome.err().unwrap_or_default();
    call_fail(ctx, stack, "second", Continuation::catching(twice_2, first))
}

fn twice_2<'gc>(
    _: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    first: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    stack.clear();
    stack.push(first);
    stack.push(outcome.err().unwrap_or_default());
    Ok(Action::Return)
}

/// `rethrow()`: catches `first`, then from that continuation calls a native raising `second`
/// without catching it, so `second` goes to the caller.
fn rethrow<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    call_fail(
        ctx,
        stack,
        "first",
        Continuation::catching(rethrow_1, Value::Nil),
    )
}

fn rethrow_1<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    call_fail(
        ctx,
        stack,
        "second",
        Continuation::new(unreached, Value::Nil),
    )
}

fn unreached<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    stack.replace(&[ctx.str("continuation ran")]);
    Ok(Action::Return)
}

/// `catch_then_raise()`: catches `first` and raises `caught: first` from the continuation itself.
fn catch_then_raise<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    call_fail(
        ctx,
        stack,
        "first",
        Continuation::catching(raise_caught, Value::Nil),
    )
}

fn raise_caught<'gc>(
    ctx: Ctx<'gc>,
    _: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let first = match outcome {
        Err(Value::String(s)) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
        _ => "no error".to_owned(),
    };
    Err(NativeError::Value(ctx.str(format!("caught: {first}"))))
}

fn state() -> Lua {
    let lua = Lua::new();
    lua.mutate(|ctx| {
        let natives: [(&str, ferrous_lua::callback::NativeFn); 4] = [
            ("twice", twice),
            ("rethrow", rethrow),
            ("catch_then_raise", catch_then_raise),
            ("fail", fail),
        ];
        for (name, f) in natives {
            let f = NativeClosure::function(ctx.mc, name, f, Vec::new());
            let _ = ctx.globals().set(ctx.mc, ctx.str(name), f);
        }
    });
    lua
}

fn run(source: &str) {
    let mut lua = state();
    if let Err(e) = lua.exec(source.as_bytes(), b"=test", &[]) {
        panic!(
            "program failed: {}\n{}",
            String::from_utf8_lossy(&e.message().unwrap_or_default()),
            e.traceback.unwrap_or_default()
        );
    }
}

#[test]
fn second_error_goes_to_second_continuation() {
    run(r#"
        local a, b = twice()
        assert(a == "first" and b == "second", tostring(a) .. " " .. tostring(b))
        local ok, c, d = pcall(twice)
        assert(ok and c == "first" and d == "second")
    "#);
}

#[test]
fn second_error_passes_to_outer_pcall() {
    run(r#"
        local ok, e = pcall(rethrow)
        assert(not ok and e == "second", tostring(e))
        ok, e = pcall(function() local x = rethrow() return x end)
        assert(not ok and e == "second", tostring(e))
    "#);
}

#[test]
fn error_raised_by_catching_continuation_passes_to_outer_pcall() {
    run(r#"
        local ok, e = pcall(catch_then_raise)
        assert(not ok and e == "caught: first", tostring(e))
    "#);
}

#[test]
fn uncaught_second_error_ends_the_run_with_it() {
    let mut lua = state();
    let e = lua
        .exec(b"rethrow()", b"=test", &[])
        .expect_err("the second error is uncaught");
    assert_eq!(e.message().unwrap_or_default(), b"second");
}

#[test]
fn native_error_handler_that_fails_is_error_in_error_handling() {
    run(r#"
        local ok, e = xpcall(function() error("x") end, fail)
        assert(not ok and e == "error in error handling", tostring(e))
        ok, e = xpcall(function() error("x") end, error)
        assert(not ok and e == "error in error handling", tostring(e))
    "#);
}
