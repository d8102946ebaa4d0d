//! Argument checking for library functions, with `lauxlib.c`'s wording (`bad argument #1 to 'f'
//! (number expected, got nil)`). Positions are 0-based here and reported 1-based.

use crate::callback::{NativeError, Stack};
use crate::string::LuaString;
use crate::table::Table;
use crate::value::Value;
use crate::vm::ops;
use crate::vm::Ctx;

/// Result type of the checks.
pub type ArgResult<'gc, T> = Result<T, NativeError<'gc>>;

/// Argument `i` must be present (any value, even nil): `value expected` otherwise.
pub fn check_any<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, Value<'gc>> {
    if stack.has(i) {
        Ok(stack.get(i))
    } else {
        Err(NativeError::bad_argument(i + 1, "value expected"))
    }
}

/// Argument `i` must be a table.
pub fn check_table<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, Table<'gc>> {
    match stack.get(i) {
        Value::Table(t) => Ok(t),
        _ => Err(NativeError::type_error(
            i + 1,
            "table",
            stack.type_name_of(i),
        )),
    }
}

/// A native about to write to `t` on behalf of Lua code: `Attempt to modify a readonly table`
/// (without position, as Redis raises it from its C API) when `t` is read-only.
pub fn check_writable<'gc>(t: Table<'gc>) -> ArgResult<'gc, ()> {
    if t.is_readonly() {
        Err(NativeError::Located {
            message: crate::table::READONLY_MESSAGE.into(),
            level: 0,
        })
    } else {
        Ok(())
    }
}

/// Argument `i` must be a number or a string convertible to one.
pub fn check_number<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, f64> {
    match ops::to_number(stack.get(i)) {
        Some(n) => Ok(n),
        None => Err(NativeError::type_error(
            i + 1,
            "number",
            stack.type_name_of(i),
        )),
    }
}

/// Argument `i` as an integer (truncated like `lua_tointeger`).
pub fn check_integer<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, i64> {
    check_number(stack, i).map(number_to_integer)
}

/// Optional integer argument.
pub fn opt_integer<'gc>(stack: &Stack<'gc, '_>, i: usize, default: i64) -> ArgResult<'gc, i64> {
    if stack.get(i).is_nil() {
        Ok(default)
    } else {
        check_integer(stack, i)
    }
}

/// Optional number argument.
pub fn opt_number<'gc>(stack: &Stack<'gc, '_>, i: usize, default: f64) -> ArgResult<'gc, f64> {
    if stack.get(i).is_nil() {
        Ok(default)
    } else {
        check_number(stack, i)
    }
}

/// `lua_tointeger`'s conversion of a number (C cast semantics on x86-64: out of range gives
/// `i64::MIN`, NaN gives `i64::MIN`).
pub fn number_to_integer(n: f64) -> i64 {
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// Argument `i` must be a string or a number (converted to a string).
pub fn check_string<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    i: usize,
) -> ArgResult<'gc, LuaString<'gc>> {
    match stack.get(i) {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(ops::number_to_string(ctx, n)),
        _ => Err(NativeError::type_error(
            i + 1,
            "string",
            stack.type_name_of(i),
        )),
    }
}

/// Optional string argument.
pub fn opt_string<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    i: usize,
) -> ArgResult<'gc, Option<LuaString<'gc>>> {
    if stack.get(i).is_nil() {
        Ok(None)
    } else {
        check_string(ctx, stack, i).map(Some)
    }
}

/// Argument `i` must be a function.
pub fn check_function<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, Value<'gc>> {
    let v = stack.get(i);
    if v.is_function() {
        Ok(v)
    } else {
        Err(NativeError::type_error(
            i + 1,
            "function",
            stack.type_name_of(i),
        ))
    }
}

/// Picks one of `options` by name (`luaL_checkoption`), with a default when absent.
pub fn check_option<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    i: usize,
    default: Option<&str>,
    options: &[&str],
) -> ArgResult<'gc, usize> {
    let name: Vec<u8> = match (stack.get(i), default) {
        (Value::Nil, Some(d)) => d.as_bytes().to_vec(),
        _ => check_string(ctx, stack, i)?.as_bytes().to_vec(),
    };
    match options.iter().position(|o| o.as_bytes() == name.as_slice()) {
        Some(p) => Ok(p),
        None => Err(NativeError::bad_argument(
            i + 1,
            format!("invalid option '{}'", String::from_utf8_lossy(&name)),
        )),
    }
}
