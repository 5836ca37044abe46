//! Checks request input against the OpenAPI schema of the type it deserialises into, so the
//! published document and the validation are one declaration and cannot drift apart.
//!
//! A request type derives `ToSchema` (bodies) or `IntoParams` (query strings) and declares its
//! constraints there (`min_length`, `maximum`, `pattern`, `default`, ...). [`Contract`] reads
//! that schema once and, per request, walks it over the input: every problem is reported at
//! once in FastAPI's shape (`type`, `loc`, `msg`, `input`, the pydantic kinds), defaults are
//! filled in, and query strings become typed JSON (`"3"` → `3`, `"yes"` → `true`). What it
//! returns deserialises into the request type with plain serde.
//!
//! Only the keywords the API's own schemas use are understood: `type` (one or a list),
//! `format` int32/int64 as the integer's range, `properties`, `required`, `default`, `items`,
//! `enum`, `minimum`/`maximum`, `minLength`/`maxLength`, `pattern`, `anyOf`/`oneOf` (the first
//! matching alternative wins; otherwise the problems of the closest alternative are reported),
//! `allOf` and local `$ref`s. A null stands for the default where the schema
//! allows null, and for a missing value where the field is required.
//!
//! Why not `garde` or `validator`: both run after serde, which stops at the first mistyped
//! field, so lax integers and "every problem at once" would need wrappers anyway; their rules
//! are a second declaration beside utoipa's (the drift this replaces); and garde's errors carry
//! only a message, not the kind a FastAPI client reads.

use super::lax::{NOT_BLANK, query_bool, query_float, query_int};
use crate::error::ErrorDetail;
use regex::Regex;
use serde::Serialize;
use serde_json::{Map, Number, Value, json};
use std::collections::HashMap;
use std::sync::LazyLock;
use utoipa::openapi::path::ParameterIn;
use utoipa::{IntoParams, ToSchema};

/// Where input comes from: the first `loc` element, and whether scalars arrive as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A JSON body: values keep their JSON types.
    Body,
    /// A query string: every value is text, read according to its schema's type.
    Query,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Body => "body",
            Source::Query => "query",
        }
    }
}

/// One request type's schema, ready to check input against.
#[derive(Debug)]
pub struct Contract {
    source: Source,
    root: Value,
    components: HashMap<String, Value>,
    patterns: HashMap<String, Regex>,
}

impl Contract {
    /// The contract of a JSON body of type `T`.
    pub fn body<T: ToSchema>() -> Self {
        let mut referenced = Vec::new();
        T::schemas(&mut referenced);
        let components = referenced
            .into_iter()
            .map(|(name, schema)| (name, to_json(&schema)))
            .collect();
        Self::new(Source::Body, to_json(&T::schema()), components)
    }

    /// The contract of the query string of `T`: its parameters as the properties of one object.
    pub fn query<T: IntoParams>() -> Self {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for parameter in T::into_params(|| Some(ParameterIn::Query)) {
            let parameter = to_json(&parameter);
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            if parameter["required"] == true {
                required.push(Value::String(name.clone()));
            }
            let schema = parameter
                .get("schema")
                .cloned()
                .unwrap_or_else(|| json!({}));
            properties.insert(name, schema);
        }
        let root = json!({"type": "object", "properties": properties, "required": required});
        Self::new(Source::Query, root, HashMap::new())
    }

    fn new(source: Source, root: Value, components: HashMap<String, Value>) -> Self {
        let mut patterns = HashMap::new();
        for schema in std::iter::once(&root).chain(components.values()) {
            collect(schema, &mut |key, value| {
                if key == "pattern"
                    && let Value::String(p) = value
                {
                    let compiled = Regex::new(p).unwrap_or_else(|e| {
                        panic!("schema pattern {p:?} does not compile: {e}. This is a bug.")
                    });
                    patterns.insert(p.clone(), compiled);
                }
                if key == "$ref"
                    && let Value::String(r) = value
                {
                    let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
                    assert!(
                        components.contains_key(name),
                        "schema reference {r} is not among the type's schemas. This is a bug."
                    );
                }
            });
        }
        Contract {
            source,
            root,
            components,
            patterns,
        }
    }

    /// Checks `input` (a JSON body, or the query string as an object of strings) and returns it
    /// with defaults filled in and query text typed, or every problem found.
    pub fn check(&self, input: &Value) -> Result<Value, Vec<ErrorDetail>> {
        let mut run = Run {
            contract: self,
            loc: vec![self.source.as_str().to_owned()],
            errors: Vec::new(),
        };
        match run.value(&self.root, input) {
            Some(value) if run.errors.is_empty() => Ok(value),
            _ => Err(run.errors),
        }
    }
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("an OpenAPI schema serialises to JSON. This is a bug.")
}

/// Calls `f` with every `(key, value)` pair of every object inside `value`.
fn collect(value: &Value, f: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                f(key, v);
                collect(v, f);
            }
        }
        Value::Array(list) => list.iter().for_each(|v| collect(v, f)),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// One check of one input: where it is, and what went wrong so far.
struct Run<'c> {
    contract: &'c Contract,
    loc: Vec<String>,
    errors: Vec<ErrorDetail>,
}

/// The outcome of reading an input as one JSON type.
enum Read {
    As(Value),
    NotThisType,
    /// It is this type but unusable, e.g. `NaN` for a number.
    Problem(&'static str, &'static str),
}

impl<'c> Run<'c> {
    fn resolve(&self, schema: &'c Value) -> &'c Value {
        let contract: &'c Contract = self.contract;
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
                contract
                    .components
                    .get(name)
                    .map_or(schema, |target| self.resolve(target))
            }
            None => schema,
        }
    }

    fn push(&mut self, kind: &str, msg: impl Into<String>, input: Option<Value>) {
        self.errors.push(ErrorDetail {
            kind: kind.to_owned(),
            loc: self.loc.clone(),
            msg: msg.into(),
            input,
        });
    }

    /// The input as the schema reads it, or `None` with the problems recorded.
    fn value(&mut self, schema: &'c Value, input: &Value) -> Option<Value> {
        let schema = self.resolve(schema);
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut current = input.clone();
            let mut ok = true;
            for part in parts {
                match self.value(part, &current) {
                    Some(next) => current = next,
                    None => ok = false,
                }
            }
            return ok.then_some(current);
        }
        if let Some(alternatives) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            return self.first_match(alternatives, input);
        }
        let typed = self.typed(schema, input)?;
        let before = self.errors.len();
        let out = match &typed {
            Value::String(s) => {
                self.text(schema, s, input);
                typed
            }
            Value::Number(n) => {
                self.number(schema, n, input);
                typed
            }
            Value::Array(items) => self.array(schema, items),
            Value::Object(map) => self.object(schema, map),
            Value::Null | Value::Bool(_) => typed,
        };
        if self.errors.len() == before
            && let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(&out)
        {
            self.push(
                "enum",
                format!("Input should be {}", one_of(allowed)),
                Some(input.clone()),
            );
        }
        (self.errors.len() == before).then_some(out)
    }

    /// The first alternative the input satisfies; else the problems of the closest one (the
    /// fewest problems, the first on a tie; a bare `null` alternative is never the closest).
    fn first_match(&mut self, alternatives: &'c [Value], input: &Value) -> Option<Value> {
        let mut closest: Option<Vec<ErrorDetail>> = None;
        for alternative in alternatives {
            let mut trial = Run {
                contract: self.contract,
                loc: self.loc.clone(),
                errors: Vec::new(),
            };
            if let Some(value) = trial.value(alternative, input) {
                return Some(value);
            }
            let null_only = types(self.resolve(alternative)) == ["null"];
            if !null_only
                && closest
                    .as_ref()
                    .is_none_or(|c| trial.errors.len() < c.len())
            {
                closest = Some(trial.errors);
            }
        }
        match closest {
            Some(errors) => self.errors.extend(errors),
            None => self.push("none_type", "Input should be None", Some(input.clone())),
        }
        None
    }

    /// The input as the first of the schema's types it can be read as.
    fn typed(&mut self, schema: &'c Value, input: &Value) -> Option<Value> {
        let allowed = types(schema);
        if allowed.is_empty() {
            return Some(input.clone());
        }
        for kind in &allowed {
            match self.read(kind, schema, input) {
                Read::As(value) => return Some(value),
                Read::NotThisType => {}
                Read::Problem(kind, msg) => {
                    self.push(kind, msg, Some(input.clone()));
                    return None;
                }
            }
        }
        let expected = allowed
            .iter()
            .find(|t| **t != "null")
            .copied()
            .unwrap_or("null");
        let (kind, msg) = self.type_problem(expected);
        self.push(kind, msg, Some(input.clone()));
        None
    }

    fn read(&self, kind: &str, schema: &'c Value, input: &Value) -> Read {
        let query = self.contract.source == Source::Query;
        let read = match (kind, input) {
            ("null", Value::Null)
            | ("string", Value::String(_))
            | ("boolean", Value::Bool(_))
            | ("array", Value::Array(_))
            | ("object", Value::Object(_)) => Some(input.clone()),
            ("number", Value::Number(_)) => Some(input.clone()),
            ("integer", Value::Number(n)) => integral(n, schema).then(|| input.clone()),
            ("integer", Value::String(s)) if query => query_int(s)
                .filter(|n| integer_in_format(*n as f64, schema))
                .map(Value::from),
            ("number", Value::String(s)) if query => match query_float(s) {
                Some(f) => match Number::from_f64(f) {
                    Some(n) => Some(Value::Number(n)),
                    None => {
                        return Read::Problem("finite_number", "Input should be a finite number");
                    }
                },
                None => None,
            },
            ("boolean", Value::String(s)) if query => query_bool(s).map(Value::Bool),
            _ => None,
        };
        read.map_or(Read::NotThisType, Read::As)
    }

    fn type_problem(&self, expected: &str) -> (&'static str, &'static str) {
        let query = self.contract.source == Source::Query;
        match expected {
            "string" => ("string_type", "Input should be a valid string"),
            "integer" if query => (
                "int_parsing",
                "Input should be a valid integer, unable to parse string as an integer",
            ),
            "integer" => ("int_parsing", "Input should be a valid integer"),
            "number" if query => (
                "float_parsing",
                "Input should be a valid number, unable to parse string as a number",
            ),
            "number" => ("float_type", "Input should be a valid number"),
            "boolean" if query => (
                "bool_parsing",
                "Input should be a valid boolean, unable to interpret input",
            ),
            "boolean" => ("bool_type", "Input should be a valid boolean"),
            "array" => ("list_type", "Input should be a valid list"),
            "object" if self.loc.len() == 1 => (
                "model_attributes_type",
                "Input should be a valid dictionary or object",
            ),
            "object" => ("dict_type", "Input should be a valid dictionary"),
            _ => ("none_type", "Input should be None"),
        }
    }

    fn text(&mut self, schema: &'c Value, s: &str, input: &Value) {
        let chars = s.chars().count();
        let min = schema.get("minLength").and_then(Value::as_u64);
        let max = schema.get("maxLength").and_then(Value::as_u64);
        let pattern = schema.get("pattern").and_then(Value::as_str);
        let input = Some(input.clone());
        if let Some(min) = min.filter(|m| (chars as u64) < *m) {
            let plural = if min == 1 { "" } else { "s" };
            self.push(
                "string_too_short",
                format!("String should have at least {min} character{plural}"),
                input,
            );
        } else if let Some(max) = max.filter(|m| (chars as u64) > *m) {
            self.push(
                "string_too_long",
                format!("String should have at most {max} characters"),
                input,
            );
        } else if let Some(p) = pattern {
            let matches = self
                .contract
                .patterns
                .get(p)
                .is_some_and(|re| re.is_match(s));
            if matches {
                return;
            }
            if p == NOT_BLANK {
                let field = self.loc.last().cloned().unwrap_or_default();
                self.push(
                    "string_too_short",
                    format!("{field} must not be blank"),
                    input,
                );
            } else {
                self.push(
                    "string_pattern_mismatch",
                    format!("String should match pattern '{p}'"),
                    input,
                );
            }
        }
    }

    fn number(&mut self, schema: &'c Value, n: &Number, input: &Value) {
        let Some(x) = n.as_f64() else { return };
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        if let Some(min) = bound("minimum").filter(|m| x < *m) {
            self.push(
                "greater_than_equal",
                format!("Input should be greater than or equal to {}", plain(min)),
                Some(input.clone()),
            );
        } else if let Some(max) = bound("maximum").filter(|m| x > *m) {
            self.push(
                "less_than_equal",
                format!("Input should be less than or equal to {}", plain(max)),
                Some(input.clone()),
            );
        }
    }

    fn array(&mut self, schema: &'c Value, items: &[Value]) -> Value {
        let Some(item_schema) = schema.get("items") else {
            return Value::Array(items.to_vec());
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            self.loc.push(i.to_string());
            if let Some(v) = self.value(item_schema, item) {
                out.push(v);
            }
            self.loc.pop();
        }
        Value::Array(out)
    }

    fn object(&mut self, schema: &'c Value, map: &Map<String, Value>) -> Value {
        let mut out = map.clone();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        static NONE: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&NONE);
        for (name, property) in properties {
            self.loc.push(name.clone());
            let required = required.contains(&name.as_str());
            match map.get(name) {
                // Null stands for the default where the schema allows it, and a required
                // field sent as null is missing (as the original's clients expect).
                Some(Value::Null) if self.admits_null(property) => {
                    if let Some(default) = self.default_of(property) {
                        out.insert(name.clone(), default);
                    }
                }
                Some(Value::Null) if required => self.missing(),
                Some(v) => {
                    if let Some(read) = self.value(property, v) {
                        out.insert(name.clone(), read);
                    }
                }
                None if required => self.missing(),
                None => {
                    if let Some(default) = self.default_of(property) {
                        out.insert(name.clone(), default);
                    }
                }
            }
            self.loc.pop();
        }
        // `required` without a matching property: an `anyOf` of required fields.
        for name in required.iter().filter(|n| !properties.contains_key(**n)) {
            if map.get(*name).is_none_or(Value::is_null) {
                self.loc.push((*name).to_owned());
                self.missing();
                self.loc.pop();
            }
        }
        Value::Object(out)
    }

    fn missing(&mut self) {
        // FastAPI reports a missing query parameter with `"input": null` and leaves it out
        // for a missing body field.
        let input = (self.contract.source == Source::Query).then_some(Value::Null);
        self.push("missing", "Field required", input);
    }

    fn admits_null(&self, schema: &'c Value) -> bool {
        let schema = self.resolve(schema);
        types(schema).contains(&"null")
            || schema
                .get("anyOf")
                .or_else(|| schema.get("oneOf"))
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(|a| self.admits_null(a)))
    }

    fn default_of(&self, schema: &'c Value) -> Option<Value> {
        schema
            .get("default")
            .or_else(|| self.resolve(schema).get("default"))
            .cloned()
    }
}

/// The schema's `type`, as a list (empty: any type).
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A JSON number with no fraction (`3` or `3.0`) within the range its `format` gives.
fn integral(n: &Number, schema: &Value) -> bool {
    if let Some(i) = n.as_i64() {
        return integer_in_format(i as f64, schema);
    }
    if n.is_u64() {
        return integer_in_format(f64::INFINITY, schema);
    }
    n.as_f64()
        .is_some_and(|f| f.is_finite() && f.fract() == 0.0 && integer_in_format(f, schema))
}

/// An integer's `format` is part of its type: `int32` holds 32 bits.
fn integer_in_format(n: f64, schema: &Value) -> bool {
    match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&n),
        Some("int64") => (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n),
        _ => n.is_finite(),
    }
}

/// `'a' or 'b'`, `'a', 'b' or 'c'`, as pydantic lists enum values.
fn one_of(allowed: &[Value]) -> String {
    let quoted: Vec<String> = allowed
        .iter()
        .map(|v| {
            v.as_str()
                .map_or_else(|| v.to_string(), |s| format!("'{s}'"))
        })
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// A bound as people write it: `0`, not `0.0`.
fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::lax::{LaxI32, LaxU31};
    use serde::Deserialize;
    use utoipa::IntoParams;

    #[derive(Deserialize, ToSchema)]
    #[allow(dead_code)] // Read through its schema only.
    struct Body {
        #[schema(max_length = 4)]
        name: Option<String>,
        count: Option<LaxI32>,
        #[schema(min_length = 1, pattern = r"\S")]
        kind: String,
        #[schema(required = false, nullable, default = 1)]
        weight: LaxU31,
        ids: Option<Vec<LaxI32>>,
        #[schema(value_type = Option<Object>)]
        meta: Option<Value>,
    }

    #[derive(Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    #[allow(dead_code)]
    struct Params {
        user: String,
        #[param(required = false, default = 20, minimum = 1, maximum = 100)]
        limit: u8,
        #[param(required = false, default = true)]
        flag: bool,
        #[param(minimum = 0.0)]
        weight: Option<f64>,
    }

    fn problems(contract: &Contract, input: Value) -> Vec<(String, String)> {
        contract
            .check(&input)
            .expect_err("should be refused")
            .into_iter()
            .map(|d| (d.loc.join("."), d.kind))
            .collect()
    }

    fn pairs(raw: &[(&str, &str)]) -> Value {
        Value::Object(
            raw.iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                .collect(),
        )
    }

    #[test]
    fn every_problem_is_reported_in_field_order() {
        let c = Contract::body::<Body>();
        assert_eq!(
            problems(
                &c,
                json!({"name": 7, "count": 3.5, "ids": ["1", "x"], "meta": "m"})
            ),
            [
                ("body.name".into(), "string_type".into()),
                ("body.count".into(), "int_parsing".into()),
                ("body.kind".into(), "missing".into()),
                ("body.ids.1".into(), "int_parsing".into()),
                ("body.meta".into(), "dict_type".into()),
            ]
        );
    }

    #[test]
    fn constraints_name_the_pydantic_kind() {
        let c = Contract::body::<Body>();
        assert_eq!(
            problems(&c, json!({"name": "toolong", "kind": "  ", "weight": -1})),
            [
                ("body.name".into(), "string_too_long".into()),
                ("body.kind".into(), "string_too_short".into()),
                ("body.weight".into(), "greater_than_equal".into()),
            ]
        );
        assert_eq!(
            problems(&c, json!([1])),
            [("body".into(), "model_attributes_type".into())]
        );
    }

    #[test]
    fn null_stands_for_the_default_or_a_missing_value() {
        let c = Contract::body::<Body>();
        let read = c
            .check(&json!({"kind": "k", "weight": null, "count": "4"}))
            .unwrap();
        assert_eq!(read["weight"], 1);
        assert_eq!(read["count"], "4", "lax forms reach the type as sent");
        let missing = problems(&c, json!({"kind": null}));
        assert_eq!(missing, [("body.kind".into(), "missing".into())]);
        let read = c.check(&json!({"kind": "k", "name": null})).unwrap();
        assert_eq!(read["name"], Value::Null);
    }

    #[test]
    fn query_text_is_typed_by_the_schema() {
        let c = Contract::query::<Params>();
        let read = c
            .check(&pairs(&[("user", "u"), ("limit", "3.0"), ("flag", "off")]))
            .unwrap();
        assert_eq!(read, json!({"user": "u", "limit": 3, "flag": false}));
        let defaults = c.check(&pairs(&[("user", "")])).unwrap();
        assert_eq!(defaults, json!({"user": "", "limit": 20, "flag": true}));
    }

    #[test]
    fn query_problems_follow_fastapi() {
        let c = Contract::query::<Params>();
        assert_eq!(
            problems(
                &c,
                pairs(&[("limit", "0"), ("flag", "maybe"), ("weight", "-1")])
            ),
            [
                ("query.user".into(), "missing".into()),
                ("query.limit".into(), "greater_than_equal".into()),
                ("query.flag".into(), "bool_parsing".into()),
                ("query.weight".into(), "greater_than_equal".into()),
            ]
        );
        assert_eq!(
            problems(
                &c,
                pairs(&[("user", "u"), ("limit", "ten"), ("weight", "NaN")])
            ),
            [
                ("query.limit".into(), "int_parsing".into()),
                ("query.weight".into(), "finite_number".into()),
            ]
        );
        let missing = c.check(&pairs(&[])).unwrap_err();
        assert_eq!(missing[0].input, Some(Value::Null));
    }

    #[test]
    fn enums_list_their_values() {
        assert_eq!(one_of(&[json!("movie"), json!("tv")]), "'movie' or 'tv'");
        assert_eq!(
            one_of(&[json!("a"), json!("b"), json!("c")]),
            "'a', 'b' or 'c'"
        );
    }
}
