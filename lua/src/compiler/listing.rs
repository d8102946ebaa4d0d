//! A bytecode listing in the exact format of `luac5.1 -l` (and `-l -l`).
//!
//! Design: identical text to PUC-Rio's `print.c` except for the `0x...` addresses, which luac takes
//! from memory; we print `0x` followed by the function's number in listing order, which is stable.

use std::fmt::Write;

use crate::opcode::{
    get_a, get_b, get_bx, get_c, get_op, get_sbx, index_k, is_k, OpCode, OpFormat,
};
use crate::proto::{Constant, Prototype};

/// Lists `proto` and its nested functions like `luac5.1 -l`; `full` adds constants, locals and
/// upvalues like `luac5.1 -l -l`.
pub fn listing(proto: &Prototype, full: bool) -> String {
    let mut out = String::new();
    let mut counter = 0;
    print_function(&mut out, proto, full, &mut counter);
    out
}

fn print_function(out: &mut String, f: &Prototype, full: bool, counter: &mut usize) {
    *counter += 1;
    let id = *counter;
    let mut child_ids = Vec::with_capacity(f.protos.len());
    let mut next = id;
    for p in &f.protos {
        child_ids.push(next + 1);
        next += count_functions(p);
    }
    print_header(out, f, id);
    print_code(out, f, &child_ids);
    if full {
        let _ = writeln!(out, "constants ({}) for 0x{id:08x}:", f.constants.len());
        for (i, k) in f.constants.iter().enumerate() {
            let _ = writeln!(out, "\t{}\t{}", i + 1, constant_text(k));
        }
        let _ = writeln!(out, "locals ({}) for 0x{id:08x}:", f.locals.len());
        for (i, l) in f.locals.iter().enumerate() {
            let _ = writeln!(
                out,
                "\t{}\t{}\t{}\t{}",
                i,
                String::from_utf8_lossy(&l.name),
                l.start_pc + 1,
                l.end_pc + 1
            );
        }
        let _ = writeln!(out, "upvalues ({}) for 0x{id:08x}:", f.upvalue_names.len());
        for (i, u) in f.upvalue_names.iter().enumerate() {
            let _ = writeln!(out, "\t{}\t{}", i, String::from_utf8_lossy(u));
        }
    }
    for p in &f.protos {
        print_function(out, p, full, counter);
    }
}

fn count_functions(f: &Prototype) -> usize {
    1 + f.protos.iter().map(|p| count_functions(p)).sum::<usize>()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_header(out: &mut String, f: &Prototype, id: usize) {
    let source: String = match f.source.first() {
        Some(b'@') | Some(b'=') => String::from_utf8_lossy(&f.source[1..]).into_owned(),
        Some(0x1b) => "(bstring)".to_string(),
        _ => "(string)".to_string(),
    };
    let n = f.code.len();
    let _ = writeln!(
        out,
        "\n{} <{}:{},{}> ({} instruction{}, {} bytes at 0x{id:08x})",
        if f.line_defined == 0 {
            "main"
        } else {
            "function"
        },
        source,
        f.line_defined,
        f.last_line_defined,
        n,
        plural(n),
        n * 4
    );
    let np = usize::from(f.num_params);
    let _ = write!(
        out,
        "{}{} param{}, {} slot{}, {} upvalue{}, ",
        np,
        if f.is_vararg != 0 { "+" } else { "" },
        plural(np),
        f.max_stack_size,
        plural(usize::from(f.max_stack_size)),
        f.num_upvalues,
        plural(usize::from(f.num_upvalues))
    );
    let _ = writeln!(
        out,
        "{} local{}, {} constant{}, {} function{}",
        f.locals.len(),
        plural(f.locals.len()),
        f.constants.len(),
        plural(f.constants.len()),
        f.protos.len(),
        plural(f.protos.len())
    );
}

/// Whether operand B / C is printed (PUC-Rio's `OpArgN` marks unused operands).
fn uses_b(op: OpCode) -> bool {
    !matches!(op, OpCode::Close | OpCode::TForLoop)
}

fn uses_c(op: OpCode) -> bool {
    !matches!(
        op,
        OpCode::Move
            | OpCode::LoadNil
            | OpCode::GetUpval
            | OpCode::SetUpval
            | OpCode::Unm
            | OpCode::Not
            | OpCode::Len
            | OpCode::Return
            | OpCode::Close
            | OpCode::VarArg
    )
}

fn rk(x: u32) -> i64 {
    if is_k(x) {
        -1 - i64::from(index_k(x))
    } else {
        i64::from(x)
    }
}

fn print_code(out: &mut String, f: &Prototype, child_ids: &[usize]) {
    let mut pc = 0;
    while pc < f.code.len() {
        let i = f.code[pc];
        let Some(op) = OpCode::from_u8(get_op(i)) else {
            pc += 1;
            continue;
        };
        let (a, b, c, bx, sbx) = (get_a(i), get_b(i), get_c(i), get_bx(i), get_sbx(i));
        let line = f.line_info.get(pc).copied().unwrap_or(0);
        let _ = write!(out, "\t{}\t", pc + 1);
        if line > 0 {
            let _ = write!(out, "[{line}]\t");
        } else {
            out.push_str("[-]\t");
        }
        let _ = write!(out, "{:<9}\t", op.info().name);
        match op.info().format {
            OpFormat::ABC => {
                let _ = write!(out, "{a}");
                if uses_b(op) {
                    let _ = write!(out, " {}", rk(b));
                }
                if uses_c(op) {
                    let _ = write!(out, " {}", rk(c));
                }
            }
            OpFormat::ABx => {
                if matches!(op, OpCode::LoadK | OpCode::GetGlobal | OpCode::SetGlobal) {
                    let _ = write!(out, "{} {}", a, -1 - i64::from(bx));
                } else {
                    let _ = write!(out, "{a} {bx}");
                }
            }
            OpFormat::AsBx => {
                if op == OpCode::Jmp {
                    let _ = write!(out, "{sbx}");
                } else {
                    let _ = write!(out, "{a} {sbx}");
                }
            }
        }
        let konst = |n: u32| {
            f.constants
                .get(n as usize)
                .map_or_else(String::new, constant_text)
        };
        match op {
            OpCode::LoadK => {
                let _ = write!(out, "\t; {}", konst(bx));
            }
            OpCode::GetUpval | OpCode::SetUpval => {
                let name = f.upvalue_names.get(b as usize).map_or_else(
                    || "-".to_string(),
                    |n| String::from_utf8_lossy(n).into_owned(),
                );
                let _ = write!(out, "\t; {name}");
            }
            OpCode::GetGlobal | OpCode::SetGlobal => {
                let name = match f.constants.get(bx as usize) {
                    Some(Constant::String(s)) => {
                        let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
                        String::from_utf8_lossy(&s[..end]).into_owned()
                    }
                    _ => String::new(),
                };
                let _ = write!(out, "\t; {name}");
            }
            OpCode::GetTable | OpCode::SelfOp if is_k(c) => {
                let _ = write!(out, "\t; {}", konst(index_k(c)));
            }
            OpCode::SetTable
            | OpCode::Add
            | OpCode::Sub
            | OpCode::Mul
            | OpCode::Div
            | OpCode::Pow
            | OpCode::Eq
            | OpCode::Lt
            | OpCode::Le
                if is_k(b) || is_k(c) =>
            {
                let kb = if is_k(b) {
                    konst(index_k(b))
                } else {
                    "-".into()
                };
                let kc = if is_k(c) {
                    konst(index_k(c))
                } else {
                    "-".into()
                };
                let _ = write!(out, "\t; {kb} {kc}");
            }
            OpCode::Jmp | OpCode::ForLoop | OpCode::ForPrep => {
                let _ = write!(out, "\t; to {}", sbx + pc as i32 + 2);
            }
            OpCode::Closure => {
                let id = child_ids.get(bx as usize).copied().unwrap_or(0);
                let _ = write!(out, "\t; 0x{id:08x}");
            }
            OpCode::SetList => {
                if c == 0 {
                    pc += 1;
                    let _ = write!(out, "\t; {}", f.code.get(pc).copied().unwrap_or(0));
                } else {
                    let _ = write!(out, "\t; {c}");
                }
            }
            _ => {}
        }
        out.push('\n');
        pc += 1;
    }
}

fn constant_text(k: &Constant) -> String {
    match k {
        Constant::Nil => "nil".to_string(),
        Constant::Boolean(b) => b.to_string(),
        Constant::Number(n) => format_g14(*n),
        Constant::String(s) => {
            let mut out = String::from("\"");
            for &c in s.iter() {
                match c {
                    b'"' => out.push_str("\\\""),
                    b'\\' => out.push_str("\\\\"),
                    7 => out.push_str("\\a"),
                    8 => out.push_str("\\b"),
                    12 => out.push_str("\\f"),
                    b'\n' => out.push_str("\\n"),
                    b'\r' => out.push_str("\\r"),
                    b'\t' => out.push_str("\\t"),
                    11 => out.push_str("\\v"),
                    c if (0x20..0x7f).contains(&c) => out.push(c as char),
                    c => {
                        let _ = write!(out, "\\{c:03}");
                    }
                }
            }
            out.push('"');
            out
        }
    }
}

/// Formats a number like C's `printf("%.14g")` (Lua 5.1's `LUA_NUMBER_FMT`).
pub fn format_g14(x: f64) -> String {
    if x.is_nan() {
        return if x.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    const P: i32 = 14;
    let sci = format!("{:.*e}", (P - 1) as usize, x);
    let (mantissa, exp) = sci.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("exponent digits");
    if !(-4..P).contains(&exp) {
        let mantissa = trim_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (P - 1 - exp) as usize;
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}
