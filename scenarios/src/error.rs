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
        if let Some(offset) = crate::spec::locate(src, key) {
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
