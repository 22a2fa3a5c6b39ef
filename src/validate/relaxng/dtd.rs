//! The parts of a DTD a validator must honour: general entities and attribute defaults.
//!
//! Element and notation declarations are skipped (RELAX NG replaces them). Internal parameter
//! entities are expanded between declarations; an external one (or the external subset) is
//! read only when the caller allows it, through the same file policy as the external subset.
//! As XML 1.0 requires, declarations after an unread external parameter entity are ignored.

use std::collections::HashMap;

/// A general entity: its replacement text, or where an external one lives.
#[derive(Clone, Debug)]
pub(crate) enum Entity {
    Internal(String),
    External(String),
    /// An unparsed (NDATA) entity; referencing it in content is an error.
    Unparsed,
}

/// A defaulted or fixed attribute from an ATTLIST declaration.
#[derive(Clone, Debug)]
pub(crate) struct AttDefault {
    pub(crate) qname: String,
    pub(crate) value: String,
}

/// Declarations read from the internal and (optionally) external subsets.
#[derive(Debug, Default)]
pub(crate) struct Dtd {
    pub(crate) entities: HashMap<String, Entity>,
    param_entities: HashMap<String, Entity>,
    /// Attribute defaults by element qname.
    pub(crate) defaults: HashMap<String, Vec<AttDefault>>,
    /// Attributes whose declared type is not CDATA (their values are collapsed), by element.
    pub(crate) tokenized: HashMap<String, Vec<String>>,
    /// Whether declarations were skipped because an external parameter entity was not read.
    pub(crate) incomplete: bool,
}

/// Reads an external file named by a system id, if the caller allows it.
pub(crate) trait Fetch {
    fn fetch(&mut self, system_id: &str) -> Result<String, String>;
}

/// Most declarations and parameter entities a DTD may contribute before we refuse it.
const MAX_DECLARATIONS: usize = 100_000;
const MAX_PE_EXPANSIONS: usize = 10_000;

impl Dtd {
    /// Parses a subset (internal or external). Earlier declarations win, as XML requires.
    pub(crate) fn parse_subset(&mut self, text: &str, fetch: &mut dyn Fetch) -> Result<(), String> {
        let mut input: Vec<char> = text.chars().collect();
        let mut pos = 0;
        let mut declarations = 0;
        let mut pe_expansions = 0;
        while pos < input.len() {
            let c = input[pos];
            if c.is_whitespace() {
                pos += 1;
                continue;
            }
            if self.incomplete {
                return Ok(());
            }
            declarations += 1;
            if declarations > MAX_DECLARATIONS {
                return Err("the DTD has too many declarations".into());
            }
            if c == '%' {
                let end =
                    find(&input, pos, ';').ok_or("a parameter entity reference lacks \";\"")?;
                let name: String = input[pos + 1..end].iter().collect();
                pe_expansions += 1;
                if pe_expansions > MAX_PE_EXPANSIONS {
                    return Err("too many parameter entity expansions in the DTD".into());
                }
                let replacement = match self.param_entities.get(&name) {
                    Some(Entity::Internal(v)) => v.clone(),
                    Some(Entity::External(sys)) => match fetch.fetch(sys) {
                        Ok(text) => strip_text_decl(&text).to_string(),
                        Err(_) => {
                            self.incomplete = true;
                            return Ok(());
                        }
                    },
                    _ => return Err(format!("parameter entity \"%{name};\" is not declared")),
                };
                input.splice(pos..=end, replacement.chars());
                continue;
            }
            let rest: String = input[pos..input.len().min(pos + 12)].iter().collect();
            if rest.starts_with("<!--") {
                let end =
                    find_str(&input, pos + 4, "-->").ok_or("a comment in the DTD is not closed")?;
                pos = end + 3;
            } else if rest.starts_with("<?") {
                let end = find_str(&input, pos + 2, "?>")
                    .ok_or("a processing instruction in the DTD is not closed")?;
                pos = end + 2;
            } else if rest.starts_with("<!ENTITY") {
                let end = decl_end(&input, pos)?;
                let body: String = input[pos + 8..end].iter().collect();
                self.entity(&body)?;
                pos = end + 1;
            } else if rest.starts_with("<!ATTLIST") {
                let end = decl_end(&input, pos)?;
                let body: String = input[pos + 9..end].iter().collect();
                self.attlist(&body)?;
                pos = end + 1;
            } else if rest.starts_with("<![") {
                // Conditional section: INCLUDE keeps its content, IGNORE drops it.
                let open = find(&input, pos + 3, '[').ok_or("a conditional section lacks \"[\"")?;
                let keyword: String =
                    input[pos + 3..open].iter().collect::<String>().trim().to_string();
                let close =
                    find_str(&input, open, "]]>").ok_or("a conditional section is not closed")?;
                if keyword == "INCLUDE" {
                    input.drain(close..close + 3);
                    input.drain(pos..=open);
                } else {
                    pos = close + 3;
                }
            } else if rest.starts_with("<!") {
                pos = decl_end(&input, pos)? + 1;
            } else {
                return Err(format!("unexpected \"{c}\" in the DTD"));
            }
        }
        Ok(())
    }

    fn entity(&mut self, body: &str) -> Result<(), String> {
        let mut rest = body.trim_start();
        let parameter = if let Some(r) = rest.strip_prefix('%') {
            rest = r.trim_start();
            true
        } else {
            false
        };
        let name_end =
            rest.find(char::is_whitespace).ok_or("an ENTITY declaration lacks a value")?;
        let name = rest[..name_end].to_string();
        rest = rest[name_end..].trim_start();
        let entity = if rest.starts_with('"') || rest.starts_with('\'') {
            let (literal, _) = quoted(rest)?;
            Entity::Internal(self.entity_value(literal)?)
        } else {
            let (system, after) = external_id(rest)?;
            if after.trim_start().starts_with("NDATA") {
                Entity::Unparsed
            } else {
                Entity::External(system)
            }
        };
        let table = if parameter { &mut self.param_entities } else { &mut self.entities };
        table.entry(name).or_insert(entity);
        Ok(())
    }

    /// Expands character references and parameter entities in an entity value; general
    /// entity references stay for when the entity is used.
    fn entity_value(&self, literal: &str) -> Result<String, String> {
        let mut out = String::with_capacity(literal.len());
        let mut rest = literal;
        while let Some(i) = rest.find(['&', '%']) {
            out.push_str(&rest[..i]);
            let end = rest[i..].find(';').ok_or("a reference in an entity value lacks \";\"")? + i;
            let name = &rest[i + 1..end];
            if rest.as_bytes()[i] == b'%' {
                match self.param_entities.get(name) {
                    Some(Entity::Internal(v)) => out.push_str(v),
                    _ => return Err(format!("parameter entity \"%{name};\" is not declared")),
                }
            } else if let Some(c) = char_ref(name) {
                out.push(c?);
            } else {
                out.push_str(&rest[i..=end]);
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Ok(out.replace("\r\n", "\n").replace('\r', "\n"))
    }

    fn attlist(&mut self, body: &str) -> Result<(), String> {
        let mut tokens = Tokens { rest: body };
        let element = tokens.name().ok_or("an ATTLIST declaration lacks an element name")?;
        while let Some(attr) = tokens.name() {
            let ty =
                tokens.att_type().ok_or_else(|| format!("attribute \"{attr}\" lacks a type"))?;
            let default = tokens
                .default_decl()
                .ok_or_else(|| format!("attribute \"{attr}\" lacks a default"))?;
            if ty != "CDATA" {
                let list = self.tokenized.entry(element.clone()).or_default();
                if !list.contains(&attr) {
                    list.push(attr.clone());
                }
            }
            if let Some(value) = default {
                let value = self.entity_value(&value)?;
                let list = self.defaults.entry(element.clone()).or_default();
                if !list.iter().any(|d| d.qname == attr) {
                    list.push(AttDefault { qname: attr, value });
                }
            }
        }
        Ok(())
    }
}

/// `Some(Ok(c))` for a character reference name like `#38` or `#x26`.
pub(crate) fn char_ref(name: &str) -> Option<Result<char, String>> {
    let num = name.strip_prefix('#')?;
    let code = match num.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => num.parse().ok(),
    };
    Some(
        code.and_then(char::from_u32)
            .filter(|&c| is_xml_char(c))
            .ok_or_else(|| format!("\"&{name};\" is not a character allowed in XML")),
    )
}

/// XML 1.0 `Char`.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Drops a leading `<?xml ...?>` text declaration from an external entity.
pub(crate) fn strip_text_decl(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with("<?xml")
        && let Some(end) = text.find("?>")
    {
        return &text[end + 2..];
    }
    text
}

fn find(input: &[char], from: usize, c: char) -> Option<usize> {
    input[from..].iter().position(|&x| x == c).map(|i| i + from)
}

fn find_str(input: &[char], from: usize, s: &str) -> Option<usize> {
    let pat: Vec<char> = s.chars().collect();
    (from..input.len().saturating_sub(pat.len() - 1)).find(|&i| input[i..i + pat.len()] == pat[..])
}

/// The `>` closing a declaration, skipping quoted literals.
fn decl_end(input: &[char], from: usize) -> Result<usize, String> {
    let mut quote: Option<char> = None;
    for (i, &c) in input.iter().enumerate().skip(from + 2) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return Ok(i),
            None => {}
        }
    }
    Err("a declaration in the DTD is not closed".into())
}

fn quoted(text: &str) -> Result<(&str, &str), String> {
    let q = text.chars().next().ok_or("a quoted literal is missing")?;
    if q != '"' && q != '\'' {
        return Err("expected a quoted literal".into());
    }
    let body = &text[1..];
    let end = body.find(q).ok_or("a quoted literal is not closed")?;
    Ok((&body[..end], &body[end + 1..]))
}

/// `SYSTEM "uri"` or `PUBLIC "id" "uri"`: the system id and what follows.
pub(crate) fn external_id(text: &str) -> Result<(String, &str), String> {
    let text = text.trim_start();
    if let Some(rest) = text.strip_prefix("SYSTEM") {
        let (sys, after) = quoted(rest.trim_start())?;
        return Ok((sys.to_string(), after));
    }
    if let Some(rest) = text.strip_prefix("PUBLIC") {
        let (_, after) = quoted(rest.trim_start())?;
        let (sys, after) = quoted(after.trim_start())?;
        return Ok((sys.to_string(), after));
    }
    Err("expected SYSTEM or PUBLIC".into())
}

struct Tokens<'a> {
    rest: &'a str,
}

impl Tokens<'_> {
    fn name(&mut self) -> Option<String> {
        let s = self.rest.trim_start();
        let end = s
            .find(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '\'')
            .unwrap_or(s.len());
        if end == 0 {
            return None;
        }
        self.rest = &s[end..];
        Some(s[..end].to_string())
    }

    fn att_type(&mut self) -> Option<String> {
        let s = self.rest.trim_start();
        if s.starts_with('(') {
            let end = s.find(')')?;
            self.rest = &s[end + 1..];
            return Some("ENUMERATION".into());
        }
        let ty = self.name()?;
        if ty == "NOTATION" {
            let s = self.rest.trim_start();
            let end = s.find(')')?;
            self.rest = &s[end + 1..];
        }
        Some(ty)
    }

    /// `Some(None)` for #REQUIRED/#IMPLIED, `Some(Some(value))` for a default.
    fn default_decl(&mut self) -> Option<Option<String>> {
        let mut s = self.rest.trim_start();
        if let Some(r) = s.strip_prefix("#REQUIRED").or_else(|| s.strip_prefix("#IMPLIED")) {
            self.rest = r;
            return Some(None);
        }
        if let Some(r) = s.strip_prefix("#FIXED") {
            s = r.trim_start();
        }
        let (value, after) = quoted(s).ok()?;
        self.rest = after;
        Some(Some(value.to_string()))
    }
}
