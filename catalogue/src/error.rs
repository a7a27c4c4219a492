//! Input errors that name the file, the line, the key and the rule (exit status 2).

use std::fmt;

/// A mistake in a scenario file or on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub rule: String,
    /// The offending source line, shown under the message.
    pub source_line: Option<String>,
}

impl InputError {
    pub fn new(file: &str, rule: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            line: None,
            key: None,
            rule: rule.into(),
            source_line: None,
        }
    }

    /// Locates `key` (a dotted path such as `faults[1].at`) in `src` to fill in the line.
    pub fn at_key(file: &str, src: &str, key: &str, rule: impl Into<String>) -> Self {
        let mut e = InputError::new(file, rule);
        e.key = Some(key.to_string());
        if let Some(offset) = locate(src, key) {
            e.set_offset(src, offset);
        }
        e
    }

    pub(crate) fn set_offset(&mut self, src: &str, offset: usize) {
        let offset = offset.min(src.len());
        let line = src[..offset].matches('\n').count() + 1;
        self.line = Some(line);
        self.source_line = src.lines().nth(line - 1).map(str::to_string);
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        write!(f, "{}", self.rule)?;
        if let (Some(line), Some(src)) = (self.line, &self.source_line) {
            write!(f, "\n  {line:>4} | {src}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// The byte offset of a dotted key path (`faults[1].at`, `model.delay.min`) in `src`: the
/// deepest part of the path that exists.
pub fn locate(src: &str, key: &str) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(src.to_string()).ok()?;
    let parts: Vec<&str> = key.split('.').collect();
    locate_in(doc.as_table(), &parts, None)
}

fn locate_in(
    table: &dyn toml_edit::TableLike,
    parts: &[&str],
    best: Option<usize>,
) -> Option<usize> {
    let Some((part, rest)) = parts.split_first() else {
        return best;
    };
    let (name, index) = match part.split_once('[') {
        Some((name, i)) => (name, i.trim_end_matches(']').parse::<usize>().ok()),
        None => (*part, None),
    };
    let Some((k, item)) = table.get_key_value(name) else {
        return best;
    };
    let best = k.span().map(|s| s.start).or(best);
    match (item, index) {
        (toml_edit::Item::ArrayOfTables(a), Some(i)) => match a.get(i) {
            Some(t) => locate_in(t, rest, t.span().map(|s| s.start).or(best)),
            None => best,
        },
        (toml_edit::Item::Value(toml_edit::Value::Array(a)), Some(i)) => {
            a.get(i).and_then(|v| v.span()).map(|s| s.start).or(best)
        }
        (item, _) => match item.as_table_like() {
            Some(t) => locate_in(t, rest, best),
            None => best,
        },
    }
}
