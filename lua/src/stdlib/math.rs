//! The `math` library (`lmathlib.c`), including 5.1's compatibility `math.mod`.
//!
//! Key design decision: `math.random` reproduces the C library's `rand()` exactly, so seeded
//! sequences equal lua5.1's on glibc: [`GlibcRandom`] is glibc's `random_r` TYPE_3 additive
//! feedback generator (`r[i] = r[i-3] + r[i-31]`) with its `srandom` initialisation, starting as
//! `srand(1)` like an unseeded C program. Its state lives in a userdata shared as an upvalue by
//! `random` and `randomseed`. The elementary functions use Rust's `f64` methods, which call the
//! platform C library like 5.1 does.

use crate::callback::{Action, NativeError, NativeFn, NativeResult, Stack};
use crate::function::NativeClosure;
use crate::table::Table;
use crate::userdata::UserData;
use crate::value::Value;
use crate::vm::Ctx;

use super::args::*;
use super::register;

/// Installs the library.
pub fn open<'gc>(ctx: Ctx<'gc>) {
    let t = Table::new(ctx.mc);
    register(
        ctx,
        t,
        &[
            ("abs", abs),
            ("acos", acos),
            ("asin", asin),
            ("atan2", atan2),
            ("atan", atan),
            ("ceil", ceil),
            ("cosh", cosh),
            ("cos", cos),
            ("deg", deg),
            ("exp", exp),
            ("floor", floor),
            ("fmod", fmod),
            ("frexp", frexp),
            ("ldexp", ldexp),
            ("log10", log10),
            ("log", log),
            ("max", max),
            ("min", min),
            ("modf", modf),
            ("pow", pow),
            ("rad", rad),
            ("sinh", sinh),
            ("sin", sin),
            ("sqrt", sqrt),
            ("tanh", tanh),
            ("tan", tan),
        ],
    );
    let generator = Value::UserData(UserData::new(ctx.mc, Box::new(GlibcRandom::new(1))));
    let with_generator: [(&str, NativeFn); 2] = [("random", random), ("randomseed", randomseed)];
    for (name, f) in with_generator {
        let closure = NativeClosure::new(ctx.mc, name, f, vec![generator]);
        let _ = t.set(ctx.mc, ctx.str(name), closure);
    }
    let set = |name: &str, v: Value<'gc>| {
        let _ = t.set(ctx.mc, ctx.str(name), v);
    };
    set("pi", Value::Number(std::f64::consts::PI));
    set("huge", Value::Number(f64::INFINITY));
    set("mod", t.get(ctx.str("fmod")));
    let _ = ctx.globals().set(ctx.mc, ctx.str("math"), Value::Table(t));
}

/// Returns `f(x)` for the first argument.
fn unary<'gc>(stack: &mut Stack<'gc, '_>, f: fn(f64) -> f64) -> NativeResult<'gc> {
    let x = check_number(stack, 0)?;
    stack.replace(&[Value::Number(f(x))]);
    Ok(Action::Return)
}

/// Returns `f(x, y)` for the first two arguments.
fn binary<'gc>(stack: &mut Stack<'gc, '_>, f: fn(f64, f64) -> f64) -> NativeResult<'gc> {
    let x = check_number(stack, 0)?;
    let y = check_number(stack, 1)?;
    stack.replace(&[Value::Number(f(x, y))]);
    Ok(Action::Return)
}

fn abs<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::abs)
}
fn acos<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::acos)
}
fn asin<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::asin)
}
fn atan<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::atan)
}
fn atan2<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    binary(s, f64::atan2)
}
fn ceil<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::ceil)
}
fn floor<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::floor)
}
fn cos<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::cos)
}
fn cosh<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::cosh)
}
fn sin<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::sin)
}
fn sinh<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::sinh)
}
fn tan<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::tan)
}
fn tanh<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::tanh)
}
fn sqrt<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::sqrt)
}
fn exp<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::exp)
}
fn log<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::ln)
}
fn log10<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, f64::log10)
}
fn pow<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    binary(s, f64::powf)
}
fn fmod<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    binary(s, |x, y| x % y)
}

/// `RADIANS_PER_DEGREE` of `lmathlib.c`.
const RADIANS_PER_DEGREE: f64 = std::f64::consts::PI / 180.0;

fn deg<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, |x| x / RADIANS_PER_DEGREE)
}
fn rad<'gc>(_: Ctx<'gc>, s: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unary(s, |x| x * RADIANS_PER_DEGREE)
}

/// C's `modf`: `(integral part, fractional part)`, both carrying the sign of `x`.
fn split_fraction(x: f64) -> (f64, f64) {
    if x.is_infinite() {
        return (x, 0.0f64.copysign(x));
    }
    let whole = x.trunc();
    (whole, (x - whole).copysign(x))
}

fn modf<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (whole, fraction) = split_fraction(check_number(stack, 0)?);
    stack.replace(&[Value::Number(whole), Value::Number(fraction)]);
    Ok(Action::Return)
}

/// C's `frexp`: `x = m * 2^e` with `0.5 <= |m| < 1` (`(x, 0)` for zero, infinities and NaN).
fn frexp_parts(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        let (m, e) = frexp_parts(x * f64::from_bits(0x43f0_0000_0000_0000));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, biased - 1022)
}

fn frexp<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (m, e) = frexp_parts(check_number(stack, 0)?);
    stack.replace(&[Value::Number(m), Value::Number(f64::from(e))]);
    Ok(Action::Return)
}

/// C's `ldexp` (`scalbn`): `x * 2^n`, correctly rounded, without intermediate overflow.
fn scale_by_power_of_two(x: f64, mut n: i32) -> f64 {
    let two_1023 = f64::from_bits(0x7fe0_0000_0000_0000);
    let tiny = f64::from_bits(0x0010_0000_0000_0000) * f64::from_bits(0x4340_0000_0000_0000);
    let mut y = x;
    if n > 1023 {
        y *= two_1023;
        n -= 1023;
        if n > 1023 {
            y *= two_1023;
            n = (n - 1023).min(1023);
        }
    } else if n < -1022 {
        y *= tiny;
        n += 1022 - 53;
        if n < -1022 {
            y *= tiny;
            n = (n + 1022 - 53).max(-1022);
        }
    }
    y * f64::from_bits(((0x3ff + n) as u64) << 52)
}

fn ldexp<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let x = check_number(stack, 0)?;
    let n = check_integer(stack, 1)? as i32;
    stack.replace(&[Value::Number(scale_by_power_of_two(x, n))]);
    Ok(Action::Return)
}

/// `math.min`/`math.max`: the argument that `better(candidate, best)` prefers, scanning left to
/// right like 5.1.
fn extreme<'gc>(stack: &mut Stack<'gc, '_>, better: fn(f64, f64) -> bool) -> NativeResult<'gc> {
    let mut best = check_number(stack, 0)?;
    for i in 1..stack.len() {
        let d = check_number(stack, i)?;
        if better(d, best) {
            best = d;
        }
    }
    stack.replace(&[Value::Number(best)]);
    Ok(Action::Return)
}

fn min<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    extreme(stack, |d, best| d < best)
}

fn max<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    extreme(stack, |d, best| d > best)
}

/// glibc's `rand()`: the TYPE_3 additive feedback generator of `random_r` (degree 31,
/// separation 3).
struct GlibcRandom {
    state: [i32; 31],
    front: usize,
    rear: usize,
}

/// glibc's `RAND_MAX`.
const RAND_MAX: i32 = 2147483647;

impl GlibcRandom {
    /// The generator after `srand(seed)`.
    fn new(seed: u32) -> GlibcRandom {
        let seed = if seed == 0 { 1 } else { seed };
        let mut state = [0i32; 31];
        let mut word = seed as i32;
        state[0] = word;
        for slot in state.iter_mut().skip(1) {
            let (hi, lo) = (i64::from(word) / 127773, i64::from(word) % 127773);
            let mut next = 16807 * lo - 2836 * hi;
            if next < 0 {
                next += 2147483647;
            }
            word = next as i32;
            *slot = word;
        }
        let mut g = GlibcRandom {
            state,
            front: 3,
            rear: 0,
        };
        for _ in 0..310 {
            g.next();
        }
        g
    }

    /// The next `rand()` value, in `0..=RAND_MAX`.
    fn next(&mut self) -> i32 {
        let sum = (self.state[self.front] as u32).wrapping_add(self.state[self.rear] as u32);
        self.state[self.front] = sum as i32;
        self.front = (self.front + 1) % 31;
        self.rear = (self.rear + 1) % 31;
        (sum >> 1) as i32
    }
}

/// Runs `f` on the generator shared through the first upvalue.
fn with_generator<R>(stack: &Stack<'_, '_>, f: impl FnOnce(&mut GlibcRandom) -> R) -> R {
    let Some(Value::UserData(ud)) = stack.upvalues().first().copied() else {
        unreachable!("random functions keep their generator");
    };
    let mut payload = ud.0.payload.borrow_mut();
    let Some(g) = payload.downcast_mut::<GlibcRandom>() else {
        unreachable!("the generator userdata holds a generator");
    };
    f(g)
}

fn random<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let r = with_generator(stack, |g| {
        f64::from(g.next() % RAND_MAX) / f64::from(RAND_MAX)
    });
    let result = match stack.len() {
        0 => r,
        1 => {
            let u = check_integer(stack, 0)? as i32;
            if u < 1 {
                return Err(NativeError::bad_argument(1, "interval is empty"));
            }
            (r * f64::from(u)).floor() + 1.0
        }
        2 => {
            let l = check_integer(stack, 0)? as i32;
            let u = check_integer(stack, 1)? as i32;
            if l > u {
                return Err(NativeError::bad_argument(2, "interval is empty"));
            }
            let width = u.wrapping_sub(l).wrapping_add(1);
            (r * f64::from(width)).floor() + f64::from(l)
        }
        _ => return Err(NativeError::runtime("wrong number of arguments")),
    };
    stack.replace(&[Value::Number(result)]);
    Ok(Action::Return)
}

fn randomseed<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let seed = check_integer(stack, 0)? as i32 as u32;
    with_generator(stack, |g| *g = GlibcRandom::new(seed));
    stack.clear();
    Ok(Action::Return)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_rand_sequence() {
        // First values of glibc's rand() without srand and after srand(42).
        let mut g = GlibcRandom::new(1);
        let first: Vec<i32> = (0..3).map(|_| g.next()).collect();
        assert_eq!(first, [1804289383, 846930886, 1681692777]);
        let mut g = GlibcRandom::new(42);
        assert_eq!(g.next(), 71876166);
    }

    #[test]
    fn frexp_and_ldexp_round_trip() {
        assert_eq!(frexp_parts(8.0), (0.5, 4));
        assert_eq!(frexp_parts(-3.0), (-0.75, 2));
        assert_eq!(frexp_parts(5e-324), (0.5, -1073));
        assert_eq!(scale_by_power_of_two(0.5, -1073), 5e-324);
        assert_eq!(scale_by_power_of_two(1.0, 1024), f64::INFINITY);
        assert_eq!(scale_by_power_of_two(1.0, 2000), f64::INFINITY);
        assert_eq!(scale_by_power_of_two(1.0, -2000), 0.0);
        assert_eq!(split_fraction(-3.5), (-3.0, -0.5));
        assert!(split_fraction(-3.0).1.is_sign_negative());
    }
}
