//! The `[params]` of a scenario, checked against the algorithm's declarations.

use crate::{Abstraction, Algorithm, InputError, Loaded, ParamDefault as Default};
use automata::Time;
use std::collections::BTreeMap;

/// Parameters that set a timer's period or timeout: 0 would fire it forever at one instant.
const TIMER_PARAMS: [&str; 3] = ["period", "timeout", "increment"];

/// The `[params]` of a scenario, checked against the algorithm's declarations, and the
/// abstraction whose properties it checks (the algorithm's, or `check.abstraction`).
#[derive(Clone, Debug)]
pub struct Params {
    values: BTreeMap<&'static str, toml::Value>,
    abstraction: &'static Abstraction,
}

impl Params {
    pub fn resolve(
        l: &Loaded,
        alg: &Algorithm,
        abstraction: &'static Abstraction,
    ) -> Result<Params, InputError> {
        let mut values = BTreeMap::new();
        for (key, value) in &l.scenario.params {
            let Some(p) = alg.params.iter().find(|p| p.name == key) else {
                let known: Vec<_> = alg.params.iter().map(|p| p.name).collect();
                return Err(l.error(
                    &format!("params.{key}"),
                    if known.is_empty() {
                        format!("`{}` takes no parameters", alg.id)
                    } else {
                        format!(
                            "`{}` has no parameter `{key}` (it takes {})",
                            alg.id,
                            known.join(", ")
                        )
                    },
                ));
            };
            let ok = match p.default {
                Default::Int(_) => value.as_integer().is_some_and(|i| i >= 0),
                Default::Float(_) => value.as_float().is_some() || value.as_integer().is_some(),
                Default::Str(_) => value.as_str().is_some(),
            };
            if !ok {
                let want = match p.default {
                    Default::Int(_) => "a non-negative integer",
                    Default::Float(_) => "a number",
                    Default::Str(_) => "a string",
                };
                return Err(l.error(
                    &format!("params.{key}"),
                    format!("`{key}` must be {want}, not {value}"),
                ));
            }
            if TIMER_PARAMS.contains(&p.name) && value.as_integer() == Some(0) {
                return Err(l.error(
                    &format!("params.{key}"),
                    format!(
                        "`{key}` must be at least 1 tick: a timer due again at once never lets \
                         time pass"
                    ),
                ));
            }
            values.insert(p.name, value.clone());
        }
        for p in alg.params {
            values.entry(p.name).or_insert_with(|| match p.default {
                Default::Int(i) => toml::Value::Integer(i),
                Default::Float(x) => toml::Value::Float(x),
                Default::Str(s) => toml::Value::String(s.to_string()),
            });
        }
        Ok(Params {
            values,
            abstraction,
        })
    }

    /// The abstraction whose properties the scenario checks.
    pub fn abstraction(&self) -> &'static Abstraction {
        self.abstraction
    }

    /// A declared integer parameter. `resolve` filled in every declared default and checked
    /// every given value's type, so a name the entry did not declare (a typo in a build
    /// closure) is a bug in the catalogue, reported loudly rather than read as 0.
    pub fn int(&self, name: &str) -> u64 {
        let value = self.declared(name);
        value
            .as_integer()
            .unwrap_or_else(|| panic!("parameter `{name}` is {value}, not an integer"))
            as u64
    }

    /// A declared number parameter (an integer is read as a float).
    pub fn float(&self, name: &str) -> f64 {
        match self.declared(name) {
            toml::Value::Float(x) => *x,
            toml::Value::Integer(i) => *i as f64,
            other => panic!("parameter `{name}` is {other}, not a number"),
        }
    }

    /// A declared string parameter.
    pub fn str(&self, name: &str) -> &str {
        let value = self.declared(name);
        value
            .as_str()
            .unwrap_or_else(|| panic!("parameter `{name}` is {value}, not a string"))
    }

    fn declared(&self, name: &str) -> &toml::Value {
        self.values.get(name).unwrap_or_else(|| {
            let known: Vec<_> = self.values.keys().collect();
            panic!("the entry reads parameter `{name}`, which it does not declare (it declares {known:?})")
        })
    }

    /// Periods and timeouts, for the default settle time.
    pub fn periods(&self) -> Vec<Time> {
        TIMER_PARAMS
            .iter()
            .filter(|n| self.values.contains_key(**n))
            .map(|n| self.int(n))
            .collect()
    }
}
