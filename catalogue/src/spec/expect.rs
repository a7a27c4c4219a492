//! The expected outcome of a scenario (`check.expect`), with its two TOML forms.

use serde::Deserialize;

/// The outcome a scenario is meant to show: `expect = "hold"`, `expect = "violation"` (any
/// property), or `expect = { violation = "uniform-agreement" }` (that property).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    Hold,
    /// A violation; of the named property when given.
    Violation(Option<String>),
}

impl Expect {
    /// `hold`, `violation` or `violation of <property>`, for reports.
    pub fn describe(&self) -> String {
        match self {
            Expect::Hold => "hold".to_string(),
            Expect::Violation(None) => "violation".to_string(),
            Expect::Violation(Some(p)) => format!("violation of {p}"),
        }
    }

    /// The property a counterexample must break, when the scenario names one.
    pub fn property(&self) -> Option<&str> {
        match self {
            Expect::Violation(Some(p)) => Some(p),
            _ => None,
        }
    }
}

impl serde::Serialize for Expect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Expect::Hold => s.serialize_str("hold"),
            Expect::Violation(None) => s.serialize_str("violation"),
            Expect::Violation(Some(p)) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("violation", p)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Expect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        const FORMS: &str = "\"hold\", \"violation\" or { violation = \"<property>\" }";
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Expect;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{FORMS}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Expect, E> {
                match v {
                    "hold" => Ok(Expect::Hold),
                    "violation" => Ok(Expect::Violation(None)),
                    other => Err(E::custom(format!(
                        "`{other}` is not an outcome: write {FORMS}"
                    ))),
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Expect, A::Error> {
                let mut property = None;
                while let Some(key) = m.next_key::<String>()? {
                    if key != "violation" || property.is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "`{key}`: the only key of an expected outcome is `violation`"
                        )));
                    }
                    property = Some(m.next_value::<String>()?);
                }
                property
                    .map(|p| Expect::Violation(Some(p)))
                    .ok_or_else(|| serde::de::Error::custom(format!("write {FORMS}")))
            }
        }
        d.deserialize_any(V)
    }
}
