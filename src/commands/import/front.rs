//! A source file's text -> `Parsed { fields, body, body_line }`: front matter in YAML
//! (`---`), TOML (`+++`) or JSON (`{…}`), the three forms Hugo, Zola and Jekyll accept, read
//! into one TOML table so that the key mapping sees one shape whatever the format.

/// The front matter as a table of TOML values (YAML and JSON nulls left out: TOML has none,
/// and a null key is an absent key to every engine), and the body after it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub fields: toml::Table,
    pub body: String,
    /// The file line the body starts at, for messages about the body.
    pub body_line: usize,
    /// Whether the file had front matter at all (Jekyll only processes files that do).
    pub has_front: bool,
}

/// What is wrong with a front matter, at a line of the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FrontError {
    pub line: usize,
    pub message: String,
}

/// Reads and parses the file at `full` (`shown` in messages); what keeps it from being
/// imported goes to the report.
pub(crate) fn read(
    full: &std::path::Path,
    shown: &std::path::Path,
    report: &mut super::report::Report,
) -> Option<Parsed> {
    let text = super::walk::read_text(full)
        .map_err(|message| report.note(shown, None, message))
        .ok()?;
    parse(&text)
        .map_err(|e| report.note(shown, Some(e.line), format!("{}: not imported", e.message)))
        .ok()
}

/// Splits and parses `text`; a file without front matter is all body.
pub(crate) fn parse(text: &str) -> Result<Parsed, FrontError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("").trim_end();
    match first {
        "---" => fenced(text, &["---", "..."], parse_yaml),
        "+++" => fenced(text, &["+++"], parse_toml),
        _ if text.starts_with('{') => json(text),
        _ => Ok(Parsed {
            fields: toml::Table::new(),
            body: text.to_string(),
            body_line: 1,
            has_front: false,
        }),
    }
}

/// Front matter between a first line and a closing line among `closers`.
fn fenced(
    text: &str,
    closers: &[&str],
    parse_block: fn(&str) -> Result<toml::Table, FrontError>,
) -> Result<Parsed, FrontError> {
    let mut lines = text.split_inclusive('\n');
    let start = lines.next().map_or(0, str::len);
    let mut offset = start;
    for (index, line) in lines.enumerate() {
        if closers.contains(&line.trim_end()) {
            let fields = parse_block(&text[start..offset]).map_err(|e| FrontError {
                // The block's first line is the file's second.
                line: e.line + 1,
                message: e.message,
            })?;
            return Ok(Parsed {
                fields,
                body: text[offset + line.len()..].to_string(),
                body_line: index + 3,
                has_front: true,
            });
        }
        offset += line.len();
    }
    Err(FrontError {
        line: 1,
        message: "the front matter opened here is never closed".into(),
    })
}

fn parse_yaml(block: &str) -> Result<toml::Table, FrontError> {
    let mut options = serde_saphyr::Options::default();
    // Ruby's Psych and Go's YAML keep the last of two equal keys; so do we.
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    options.with_snippet = false;
    let value: serde_json::Value =
        serde_saphyr::from_str_with_options(block, options).map_err(|e| FrontError {
            line: e.location().map_or(1, |l| l.line() as usize),
            message: format!("invalid YAML: {}", first_line(&e.to_string())),
        })?;
    table_of(json_to_toml(value))
}

pub(crate) fn parse_toml(block: &str) -> Result<toml::Table, FrontError> {
    block.parse::<toml::Table>().map_err(|e| FrontError {
        line: e.span().map_or(1, |s| {
            block[..s.start.min(block.len())].matches('\n').count() + 1
        }),
        message: format!("invalid TOML: {}", first_line(e.message())),
    })
}

/// Hugo's JSON front matter: one object at the top of the file, the body after it.
fn json(text: &str) -> Result<Parsed, FrontError> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    let value = match values.next() {
        Some(Ok(value)) => value,
        Some(Err(e)) => {
            return Err(FrontError {
                line: e.line(),
                message: format!("invalid JSON: {e}"),
            });
        }
        None => serde_json::Value::Null,
    };
    let end = values.byte_offset();
    let fields = table_of(json_to_toml(value))?;
    let rest = &text[end..];
    // The body starts on the line after the closing brace.
    let rest = rest.split_once('\n').map_or("", |(_, body)| body);
    Ok(Parsed {
        fields,
        body: rest.to_string(),
        body_line: text[..end].matches('\n').count() + 2,
        has_front: true,
    })
}

fn table_of(value: Option<toml::Value>) -> Result<toml::Table, FrontError> {
    match value {
        Some(toml::Value::Table(table)) => Ok(table),
        None => Ok(toml::Table::new()),
        Some(other) => Err(FrontError {
            line: 1,
            message: format!(
                "the front matter is a {}, not a set of keys",
                other.type_str()
            ),
        }),
    }
}

/// JSON (and YAML read as JSON) -> TOML: nulls are left out.
pub(crate) fn json_to_toml(value: serde_json::Value) -> Option<toml::Value> {
    use serde_json::Value as J;
    Some(match value {
        J::Null => return None,
        J::Bool(b) => toml::Value::Boolean(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => toml::Value::String(s),
        J::Array(items) => toml::Value::Array(items.into_iter().filter_map(json_to_toml).collect()),
        J::Object(map) => toml::Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| Some((k, json_to_toml(v)?)))
                .collect(),
        ),
    })
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

/// Reads a YAML document (a Hugo or Jekyll config) as a TOML table.
pub(crate) fn yaml_table(text: &str) -> Result<toml::Table, FrontError> {
    parse_yaml(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_formats() {
        let yaml = parse("---\ntitle: \"A\"\ntags: [x, y]\n---\nBody\n").unwrap();
        assert_eq!(yaml.fields["title"].as_str(), Some("A"));
        assert_eq!(yaml.fields["tags"].as_array().unwrap().len(), 2);
        assert_eq!((yaml.body.as_str(), yaml.body_line), ("Body\n", 5));
        let toml = parse("+++\ntitle = \"A\"\ndate = 2024-01-02\n+++\nBody\n").unwrap();
        assert!(toml.fields["date"].as_datetime().is_some());
        assert_eq!(toml.body, "Body\n");
        let json = parse("{\n  \"title\": \"A\",\n  \"draft\": true\n}\nBody\n").unwrap();
        assert_eq!(json.fields["draft"].as_bool(), Some(true));
        assert_eq!((json.body.as_str(), json.body_line), ("Body\n", 5));
        let none = parse("# Just text\n").unwrap();
        assert!(!none.has_front && none.fields.is_empty());
    }

    #[test]
    fn yaml_as_real_sites_write_it() {
        // A TAB after the colon (Ruby's Psych accepts it), a null, a duplicate key, a date.
        let text = "---\nlayout:\tpost\ntitle:\t\"Seeing Music\"\nexcerpt:\ntags: art math\n\
                    title: Again\ndate:\t2018-07-26 00:10:31 -0500\n---\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.fields["layout"].as_str(), Some("post"));
        assert_eq!(parsed.fields["title"].as_str(), Some("Again"));
        assert!(!parsed.fields.contains_key("excerpt"));
        assert_eq!(
            parsed.fields["date"].as_str(),
            Some("2018-07-26 00:10:31 -0500")
        );
        // A file ending right after the closing line, with no newline.
        assert!(parse("---\ntitle: x\n---").unwrap().body.is_empty());
        assert!(parse("---\n---\n").unwrap().fields.is_empty());
    }

    #[test]
    fn errors_at_file_lines() {
        let err = parse("---\ntitle: x\ntags: [a\n---\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{err:?}");
        assert!((2..=4).contains(&err.line), "{err:?}");
        let err = parse("+++\ntitle = \"x\"\ndate = \n+++\n").unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        assert_eq!(parse("---\ntitle: x\n").unwrap_err().line, 1);
        assert!(parse("---\n- a\n- b\n---\n").is_err());
        assert!(parse("{\"title\": }\n").is_err());
    }
}
