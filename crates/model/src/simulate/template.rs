//! A simulated topic's payload (or topic name) as text with `{{…}}` fields, read once into
//! literal pieces and [`Generator`]s, then rendered for every message. A field that is not
//! understood is an error that says where it is, so nothing is sent half filled in.

use super::generator::{Generator, Now, TimeFormat};

/// Why a template cannot be used, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// The column (in characters, from 1) of the `{{` of the field at fault.
    pub column: usize,
    /// What is wrong.
    pub problem: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: {}", self.column, self.problem)
    }
}

impl std::error::Error for TemplateError {}

/// One piece of a template.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    /// Text written as it is.
    Literal(String),
    /// A generated value.
    Field(Generator),
    /// The simulated device's name (`{{device}}`).
    Device,
}

/// A template read into its pieces, with its generators' state.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

/// The fields a template may hold, for the help text.
pub const FIELDS_HELP: &str = "{{counter}} or {{counter(START,STEP)}}, {{random(MIN,MAX)}} (decimals as in the bounds), \
{{walk(START,STEP,MIN,MAX)}}, {{sine(PERIOD_S,AMPLITUDE,OFFSET)}}, {{choice(A,B,…)}}, \
{{timestamp}} (epoch ms) or {{timestamp(rfc3339)}}, {{device}} (the device's name); \\{{ writes {{ as it is";

impl Template {
    /// Read `text`; an error names the column of the first field that is wrong.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut consumed = 0;
        let mut literal = String::new();
        while let Some(start) = rest.find("{{") {
            if rest[..start].ends_with('\\') {
                // `\{{` is two braces written as they are.
                literal.push_str(&rest[..start - 1]);
                literal.push_str("{{");
                consumed += start + 2;
                rest = &rest[start + 2..];
                continue;
            }
            literal.push_str(&rest[..start]);
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            let column = text[..consumed + start].chars().count() + 1;
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err(TemplateError {
                    column,
                    problem: "this {{ is never closed with }}".into(),
                });
            };
            let field = after[..end].trim();
            parts.push(field_part(field).map_err(|problem| TemplateError { column, problem })?);
            let used = start + 2 + end + 2;
            consumed += used;
            rest = &rest[used..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Self { parts })
    }

    /// Whether the template has no fields (the same text every message).
    pub fn is_constant(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Literal(_)))
    }

    /// Write the next message's text to `out`, moving every field on.
    pub fn render_into(&mut self, out: &mut String, device: &str, now: &mut Now<'_>) {
        for part in &mut self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Field(generator) => generator.next_into(out, now),
                Part::Device => out.push_str(device),
            }
        }
    }
}

/// The piece a field's text (between the braces, trimmed) stands for, or what is wrong with it.
fn field_part(field: &str) -> Result<Part, String> {
    let (name, args) = match field.split_once('(') {
        Some((name, rest)) => {
            let Some(args) = rest.trim_end().strip_suffix(')') else {
                return Err(format!("“{field}” lacks its closing parenthesis"));
            };
            (name.trim(), Some(args))
        }
        None => (field, None),
    };
    let texts: Vec<&str> = args.map_or_else(Vec::new, |a| a.split(',').map(str::trim).collect());
    let numbers = || -> Result<Vec<f64>, String> {
        texts
            .iter()
            .map(|t| {
                t.parse::<f64>()
                    .map_err(|_| format!("“{t}” in {name}(…) is not a number"))
            })
            .collect()
    };
    let decimals = texts
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, d)| d.len()))
        .max()
        .unwrap_or(0);
    let generator = match name {
        "device" if args.is_none() => return Ok(Part::Device),
        "counter" => match numbers()?.as_slice() {
            [] => Generator::Counter { next: 1, step: 1 },
            [start] => Generator::Counter {
                next: *start as i64,
                step: 1,
            },
            [start, step] => Generator::Counter {
                next: *start as i64,
                step: *step as i64,
            },
            _ => return Err("counter takes at most START and STEP".into()),
        },
        "random" => match numbers()?.as_slice() {
            [min, max] if min <= max => Generator::Random {
                min: *min,
                max: *max,
                decimals,
            },
            [_, _] => return Err("random(MIN,MAX) needs MIN ≤ MAX".into()),
            _ => return Err("random takes MIN and MAX: random(0,100)".into()),
        },
        "walk" => match numbers()?.as_slice() {
            [start, step, min, max] if min <= max && *step >= 0.0 => Generator::Walk {
                value: start.clamp(*min, *max),
                step: *step,
                min: *min,
                max: *max,
                decimals,
            },
            [_, _, _, _] => return Err("walk needs MIN ≤ MAX and a STEP of 0 or more".into()),
            _ => return Err("walk takes START, STEP, MIN and MAX: walk(21,0.2,15,30)".into()),
        },
        "sine" => {
            let (period, amplitude, offset) = match numbers()?.as_slice() {
                [period, amplitude] => (*period, *amplitude, 0.0),
                [period, amplitude, offset] => (*period, *amplitude, *offset),
                _ => return Err("sine takes PERIOD_S, AMPLITUDE and an optional OFFSET: sine(60,10,20)".into()),
            };
            if period <= 0.0 {
                return Err("sine needs a PERIOD_S above 0".into());
            }
            Generator::Sine {
                period_secs: period,
                amplitude,
                offset,
                decimals: decimals.max(2),
            }
        }
        "choice" => {
            if texts.is_empty() || texts.iter().all(|t| t.is_empty()) {
                return Err("choice takes the items to choose from: choice(ON,OFF)".into());
            }
            Generator::Choice(texts.iter().map(|t| (*t).to_owned()).collect())
        }
        "timestamp" => match args.map(str::trim) {
            None | Some("" | "ms" | "epoch_ms") => Generator::Timestamp(TimeFormat::EpochMs),
            Some("rfc3339") => Generator::Timestamp(TimeFormat::Rfc3339),
            Some(other) => return Err(format!("timestamp is written as ms or rfc3339, not “{other}”")),
        },
        "" => return Err("an empty field: write a generator between the braces".into()),
        _ => {
            return Err(format!(
                "“{name}” is not a field: counter, random, walk, sine, choice, timestamp or device"
            ));
        }
    };
    Ok(Part::Field(generator))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &mut Template, elapsed_secs: f64) -> String {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut now = Now {
            elapsed_secs,
            epoch_ms: 1_700_000_000_123,
            rng: &mut rng,
        };
        let mut out = String::new();
        template.render_into(&mut out, "kitchen", &mut now);
        out
    }

    #[test]
    fn renders_literals_device_and_fields_in_order() {
        let mut template = Template::parse(r#"{"n":{{counter}},"at":"{{timestamp(rfc3339)}}","who":"{{ device }}"}"#)
            .expect("as written");
        assert_eq!(
            render(&mut template, 0.0),
            r#"{"n":1,"at":"2023-11-14T22:13:20.123Z","who":"kitchen"}"#
        );
        assert_eq!(
            render(&mut template, 0.0),
            r#"{"n":2,"at":"2023-11-14T22:13:20.123Z","who":"kitchen"}"#
        );
        assert!(
            Template::parse("plain {\"a\":{\"b\":1}}")
                .expect("as written")
                .is_constant()
        );
        let mut escaped = Template::parse(r"\{{ value_json.t }} {{counter}}").expect("as written");
        assert_eq!(render(&mut escaped, 0.0), "{{ value_json.t }} 1");
    }

    #[test]
    fn decimals_follow_the_bounds() {
        let mut template = Template::parse("{{random(20.0,25.00)}} {{random(1,3)}}").expect("as written");
        let out = render(&mut template, 0.0);
        let (decimal, whole) = out.split_once(' ').expect("as written");
        assert_eq!(decimal.split_once('.').expect("as written").1.len(), 2);
        assert!(!whole.contains('.'));
    }

    #[test]
    fn a_bad_template_says_where_it_is_wrong() {
        let error = Template::parse(r#"{"t": {{walk(1,2)}}}"#).expect_err("refused");
        assert_eq!(error.column, 7);
        assert!(error.problem.contains("START, STEP, MIN and MAX"), "{error}");
        let error = Template::parse("é {{temperature}}").expect_err("refused");
        assert_eq!(error.column, 3, "columns count characters");
        assert!(error.problem.contains("“temperature” is not a field"));
        assert_eq!(Template::parse("a {{counter").expect_err("refused").column, 3);
        assert!(
            Template::parse("{{random(9,1)}}")
                .expect_err("refused")
                .problem
                .contains("MIN ≤ MAX")
        );
        assert!(
            Template::parse("{{random(a,1)}}")
                .expect_err("refused")
                .problem
                .contains("“a”")
        );
        assert!(Template::parse("{{sine(0,1)}}").is_err());
        assert!(Template::parse("{{timestamp(iso)}}").is_err());
        assert!(Template::parse("{{choice()}}").is_err());
        assert!(Template::parse("{{}}").is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_a_panic(
            text in "(\\PC|\\{\\{|\\}\\}|walk\\(|random\\(|sine\\(|choice\\(|,|-?[0-9.]{1,4}|\\)|\\\\){0,40}"
        ) {
            if let Ok(mut template) = Template::parse(&text) {
                for elapsed in [0.0, 1.5, 1e9] {
                    render(&mut template, elapsed);
                }
            }
        }
    }
}
