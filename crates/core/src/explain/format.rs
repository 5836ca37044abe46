//! The subset of Python's `str.format` the templates use: `{name}`, `{{`/`}}`, and the specs
//! `,` `.N` and the types `f`/`F`/`d`/`s`. Anything else (an unknown name, a positional
//! field, another spec) leaves the raw template text, as the original's error path did.

/// A value for a template placeholder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// An integer (`{n}`, `{n:,}`, `{n:.1f}`).
    Int(i64),
    /// A float (`{x}`, `{x:.1f}`).
    Float(f64),
    /// Text (`{s}`, `{s:.10}`).
    Str(&'a str),
}

/// Formats `template` with named `args`, or `None` where Python's `str.format` would
/// raise (or where the spec is outside the supported subset).
pub fn format_template(template: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut chars = template.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '}' => return None,
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        '{' => return None,
                        c => field.push(c),
                    }
                }
                let (name, spec) = field.split_once(':').unwrap_or((&field, ""));
                let valid_name = name.starts_with(|c: char| c.is_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_');
                if !valid_name {
                    return None;
                }
                let (_, arg) = args.iter().find(|(n, _)| *n == name)?;
                out.push_str(&format_arg(*arg, spec)?);
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// Formats `template`, or returns it unchanged when formatting fails.
pub fn safe_template(template: &str, args: &[(&str, Arg<'_>)]) -> String {
    format_template(template, args).unwrap_or_else(|| template.to_owned())
}

/// One placeholder with a spec of the form `[,][.N][f|F|d|s]`.
fn format_arg(arg: Arg<'_>, spec: &str) -> Option<String> {
    let (grouping, rest) = match spec.strip_prefix(',') {
        Some(rest) => (true, rest),
        None => (false, spec),
    };
    let (precision, kind) = match rest.strip_prefix('.') {
        Some(p) => {
            let digits_end = p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len());
            let n: usize = p[..digits_end].parse().ok()?;
            (Some(n), &p[digits_end..])
        }
        None => (None, rest),
    };
    let kind = match kind {
        "" => None,
        "f" | "F" | "d" | "s" => kind.chars().next(),
        _ => return None,
    };
    match (arg, kind) {
        (Arg::Int(i), None | Some('d')) if precision.is_none() => {
            Some(group(&i.to_string(), grouping))
        }
        (Arg::Int(i), Some('f' | 'F')) => fixed(i as f64, precision, grouping),
        (Arg::Float(x), None) if precision.is_none() => Some(group(&py_repr(x), grouping)),
        (Arg::Float(x), Some('f' | 'F')) => fixed(x, precision, grouping),
        (Arg::Str(s), None | Some('s')) if !grouping => {
            Some(precision.map_or_else(|| s.to_owned(), |n| s.chars().take(n).collect()))
        }
        _ => None,
    }
}

fn fixed(x: f64, precision: Option<usize>, grouping: bool) -> Option<String> {
    Some(group(&format!("{x:.*}", precision.unwrap_or(6)), grouping))
}

/// Python's `str(float)` for ordinary values: `8.0`, `7.25`.
fn py_repr(x: f64) -> String {
    if x.is_nan() {
        "nan".to_owned()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.to_owned()
    } else if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        x.to_string()
    }
}

/// Inserts thousands separators into the integer part of a formatted number.
pub(crate) fn group(number: &str, grouping: bool) -> String {
    if !grouping {
        return number.to_owned();
    }
    let (sign, body) = number.strip_prefix('-').map_or(("", number), |b| ("-", b));
    let int_end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (int, tail) = body.split_at(int_end);
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + tail
}
