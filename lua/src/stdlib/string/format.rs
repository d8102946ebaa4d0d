//! `string.format`: drives the `text::printf` engine over the format string, converting each
//! argument with lauxlib's rules and wording.
//!
//! Key design decision: arguments are checked in 5.1's order — a missing argument is reported
//! (`bad argument #n to 'format' (no value)`) before a malformed conversion, and a conversion's
//! argument type after it — so every error names what lua5.1 names.

use crate::callback::{Action, NativeError, NativeResult, Stack};
use crate::text::printf::{self, ArgKind, Piece, Spec};
use crate::vm::Ctx;

use super::super::args::{check_number, check_string};

/// `string.format(fmt, ...)`.
pub fn format<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let fmt = check_string(ctx, stack, 0)?.as_bytes();
    let mut out = Vec::with_capacity(fmt.len());
    let mut arg = 0;
    for piece in printf::pieces(fmt) {
        match piece {
            Piece::Literal(bytes) => out.extend_from_slice(bytes),
            Piece::Conversion(spec) => {
                arg += 1;
                if !stack.has(arg) {
                    return Err(NativeError::bad_argument(arg + 1, "no value"));
                }
                let spec = spec.map_err(|e| NativeError::runtime(e.message()))?;
                convert(ctx, stack, arg, &spec, &mut out)?;
            }
        }
    }
    stack.replace(&[ctx.str(&out)]);
    Ok(Action::Return)
}

/// Renders argument `arg` (0-based window index) with `spec`.
fn convert<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    arg: usize,
    spec: &Spec,
    out: &mut Vec<u8>,
) -> Result<(), NativeError<'gc>> {
    match spec.kind() {
        ArgKind::Char => {
            let c = printf::c_int(check_number(stack, arg)?);
            printf::format_char(spec, c as u8, out);
        }
        ArgKind::Signed => {
            printf::format_signed(spec, printf::c_long(check_number(stack, arg)?), out)
        }
        ArgKind::Unsigned => {
            printf::format_unsigned(spec, printf::c_ulong(check_number(stack, arg)?), out)
        }
        ArgKind::Float => printf::format_float(spec, check_number(stack, arg)?, out),
        ArgKind::Quoted => printf::format_quoted(check_string(ctx, stack, arg)?.as_bytes(), out),
        ArgKind::Str => printf::format_str(spec, check_string(ctx, stack, arg)?.as_bytes(), out),
    }
    Ok(())
}
