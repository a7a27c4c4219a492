//! The functions JavaScript calls (through wasm-bindgen): each answers a JSON string,
//! `{"ok": true, ...}` with the output or `{"ok": false, "error": {...}}` with the message `ioa`
//! would print and its line, key and rule.

use super::{DiagramWindow, ErrorOutput};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

#[derive(Serialize)]
struct Answer<T: Serialize> {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorOutput>,
}

fn answer<T: Serialize>(r: Result<T, scenarios::error::InputError>) -> String {
    let a = match r {
        Ok(output) => Answer {
            ok: true,
            output: Some(output),
            error: None,
        },
        Err(e) => Answer {
            ok: false,
            output: None,
            error: Some(e.into()),
        },
    };
    serde_json::to_string(&a).expect("answers serialize")
}

/// An optional number from the page: empty means "the scenario's own".
fn number<T: std::str::FromStr>(
    field: &str,
    text: &str,
) -> Result<Option<T>, scenarios::error::InputError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        scenarios::error::InputError::new(field, format!("`{t}` is not a whole number"))
    })
}

/// `ioa run --json --trace - --diagram`: `seed`, `from` and `until` are decimal text (empty for
/// the scenario's own seed and the default window), `layer` a module name (empty for the
/// stack's own).
#[wasm_bindgen]
pub fn run(toml: &str, seed: &str, layer: &str, from: &str, until: &str) -> String {
    answer((|| {
        let window = DiagramWindow {
            layer: (!layer.trim().is_empty()).then(|| layer.trim().to_string()),
            from: number("from", from)?,
            until: number("until", until)?,
        };
        super::run(toml, number("seed", seed)?, &window)
    })())
}

/// `ioa run --json` alone, for one seed of a sweep (the report, not wrapped in an output).
#[wasm_bindgen]
pub fn report(toml: &str, seed: &str) -> String {
    let r = number("seed", seed).and_then(|seed| super::report(toml, seed));
    answer(r.map(|r| serde_json::from_str::<serde_json::Value>(&r).expect("the report is JSON")))
}

/// `ioa check --json` breadth-first on one thread, within `max_states` unique states.
#[wasm_bindgen]
pub fn check(toml: &str, max_states: u32) -> String {
    answer(super::check(toml, max_states as usize))
}

/// The catalogue's algorithms.
#[wasm_bindgen]
pub fn algorithms() -> String {
    answer(Ok(super::algorithms()))
}
