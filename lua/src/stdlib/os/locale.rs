//! `os.setlocale`: an emulation of glibc's `setlocale` on a system whose only locales are the
//! built-in `C`/`POSIX` and `C.UTF-8` (what lua5.1 sees on the reference machine).
//!
//! Key design decision: the per-category locale names are process state kept here, so queries,
//! `""` (from `LC_ALL`, `LC_<category>`, `LANG`) and glibc's composite `LC_ALL` names
//! (`LC_CTYPE=C.UTF-8;LC_NUMERIC=C;...`) behave like glibc; nothing else depends on the locale.

use std::cell::RefCell;

use crate::callback::{Action, NativeResult, Stack};
use crate::value::Value;
use crate::vm::Ctx;

use crate::stdlib::args::*;

/// glibc's categories other than `LC_ALL`, in its composite-name order.
const CATEGORIES: [&str; 12] = [
    "LC_CTYPE",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_COLLATE",
    "LC_MONETARY",
    "LC_MESSAGES",
    "LC_PAPER",
    "LC_NAME",
    "LC_ADDRESS",
    "LC_TELEPHONE",
    "LC_MEASUREMENT",
    "LC_IDENTIFICATION",
];

/// `os.setlocale`'s category names, and the index in [`CATEGORIES`] of each (`None`: all).
const OPTIONS: [(&str, Option<usize>); 6] = [
    ("all", None),
    ("collate", Some(3)),
    ("ctype", Some(0)),
    ("monetary", Some(4)),
    ("numeric", Some(1)),
    ("time", Some(2)),
];

thread_local! {
    static LOCALE: RefCell<[String; 12]> = RefCell::new(std::array::from_fn(|_| "C".to_string()));
}

/// The name glibc records for a valid locale name, `None` if it has no such locale.
fn canonical(name: &str) -> Option<String> {
    if name == "C" || name == "POSIX" {
        return Some("C".to_string());
    }
    let rest = name.strip_prefix("C.")?;
    let codeset = rest.split('@').next().unwrap_or("");
    let normalized: String = codeset
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (normalized == "utf8").then(|| name.to_string())
}

/// The locale name `""` selects for a category, from the environment.
fn from_environment(category: &str) -> String {
    ["LC_ALL", category, "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "C".to_string())
}

/// The names a request assigns to each affected category, `None` if glibc would refuse it.
fn requested(name: &str, which: Option<usize>) -> Option<Vec<(usize, String)>> {
    let targets: Vec<usize> = match which {
        Some(i) => vec![i],
        None => (0..CATEGORIES.len()).collect(),
    };
    if which.is_none() && name.contains('=') {
        return composite(name);
    }
    targets
        .into_iter()
        .map(|i| {
            let wanted = if name.is_empty() {
                from_environment(CATEGORIES[i])
            } else {
                name.to_string()
            };
            canonical(&wanted).map(|n| (i, n))
        })
        .collect()
}

/// A composite `LC_ALL` name: every category must be given, with a valid locale.
fn composite(name: &str) -> Option<Vec<(usize, String)>> {
    let mut names: [Option<String>; 12] = Default::default();
    for part in name.split(';') {
        let (category, locale) = part.split_once('=')?;
        let i = CATEGORIES.iter().position(|c| *c == category)?;
        names[i] = Some(canonical(locale)?);
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| n.map(|n| (i, n)))
        .collect()
}

/// The current name of a category, or `LC_ALL`'s (one name, or the composite list).
fn query(locale: &[String; 12], which: Option<usize>) -> String {
    match which {
        Some(i) => locale[i].clone(),
        None if locale.iter().all(|n| *n == locale[0]) => locale[0].clone(),
        None => CATEGORIES
            .iter()
            .zip(locale.iter())
            .map(|(c, n)| format!("{c}={n}"))
            .collect::<Vec<_>>()
            .join(";"),
    }
}

/// `os.setlocale([locale [, category]])`.
pub fn setlocale<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = opt_string(ctx, stack, 0)?.map(|s| s.to_str_lossy().into_owned());
    let names: Vec<&str> = OPTIONS.iter().map(|o| o.0).collect();
    let which = OPTIONS[check_option(ctx, stack, 1, Some("all"), &names)?].1;
    let result = LOCALE.with(|l| {
        let mut locale = l.borrow_mut();
        if let Some(name) = name {
            for (i, n) in requested(&name, which)? {
                locale[i] = n;
            }
        }
        Some(query(&locale, which))
    });
    stack.replace(&[result.map_or(Value::Nil, |s| ctx.str(s))]);
    Ok(Action::Return)
}
