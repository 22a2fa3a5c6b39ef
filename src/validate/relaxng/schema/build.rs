//! Turns the loaded [`Syn`] trees into hash-consed patterns (RELAX NG sections 4.17–4.20).
//!
//! Only what is reachable from the start pattern is built. A reference is expanded in place
//! (so a define used twice yields the same pattern id); recursion must pass through an
//! `element`, whose content is built later from a work list, which is what breaks cycles.
//! `notAllowed` propagates through the smart constructors.

use std::collections::HashMap;
use std::sync::Arc;

use super::load::{Loaded, START, Syn};
use super::{DataDef, ElemDef, Pos, SchemaError, ValueDef, codes};
use crate::validate::relaxng::datatype::{DataType, NsContext, RegexCache, XML_NS};
use crate::validate::relaxng::names::NameTable;
use crate::validate::relaxng::pattern::{Arena, NOT_ALLOWED, NameClass, Node, P, Patterns};

/// The output of building: patterns and the tables they index.
pub(super) struct Built {
    pub(super) arena: Arena,
    pub(super) elements: Vec<ElemDef>,
    /// Where each element pattern is in the schema (for restriction errors).
    pub(super) element_pos: Vec<Pos>,
    pub(super) name_classes: Vec<NameClass>,
    pub(super) datas: Vec<DataDef>,
    pub(super) values: Vec<ValueDef>,
    pub(super) names: NameTable,
    pub(super) start: P,
    pub(super) start_pos: Pos,
}

#[derive(Clone, Copy)]
enum State {
    Building,
    Done(P),
}

struct Regexes(HashMap<String, Arc<regex::Regex>>);

impl RegexCache for Regexes {
    fn regex(&mut self, pattern: &str) -> Result<Arc<regex::Regex>, String> {
        if let Some(re) = self.0.get(pattern) {
            return Ok(re.clone());
        }
        let re = Arc::new(crate::validate::relaxng::datatype::regex::compile(pattern)?);
        self.0.insert(pattern.to_string(), re.clone());
        Ok(re)
    }
}

struct ValueContext<'a>(&'a [(String, String)]);

impl NsContext for ValueContext<'_> {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.0.iter().rev().find(|(p, _)| p == prefix).map(|(_, u)| u.as_str())
    }
}

struct Builder<'a> {
    loaded: &'a Loaded,
    arena: Arena,
    elements: Vec<ElemDef>,
    element_pos: Vec<Pos>,
    name_classes: Vec<NameClass>,
    datas: Vec<DataDef>,
    values: Vec<ValueDef>,
    states: HashMap<(usize, &'a str), State>,
    pending: Vec<(u32, &'a Syn)>,
    regexes: Regexes,
    /// Building defines only to find errors in them.
    unreachable: bool,
}

pub(super) fn build(loaded: Loaded) -> Result<Built, SchemaError> {
    let mut b = Builder {
        loaded: &loaded,
        arena: Arena::new(),
        elements: Vec::new(),
        element_pos: Vec::new(),
        name_classes: Vec::new(),
        datas: Vec::new(),
        values: Vec::new(),
        states: HashMap::new(),
        pending: Vec::new(),
        regexes: Regexes(HashMap::new()),
        unreachable: false,
    };
    let start = b.pattern(&loaded.root)?;
    b.drain()?;
    // Unreachable defines are not part of the simplified schema, but errors in them
    // (bad datatypes, name classes, recursion) still make the schema incorrect.
    let mut all: Vec<(usize, &str, &Pos)> = Vec::new();
    for (g, grammar) in loaded.grammars.iter().enumerate() {
        for (name, (_, pos)) in &grammar.defines {
            all.push((g, name.as_str(), pos));
        }
    }
    all.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    // Recursion without an element is only an error where it is reachable (4.19 removes
    // unreachable defines first), and every reachable define is built by now.
    b.unreachable = true;
    for (g, name, pos) in all {
        b.define(g, name, pos)?;
        b.drain()?;
    }
    mark_reachable(&mut b.elements, &b.arena, start);
    let start_pos = start_pos(&loaded.root);
    let Builder { arena, elements, element_pos, name_classes, datas, values, .. } = b;
    Ok(Built {
        arena,
        elements,
        element_pos,
        name_classes,
        datas,
        values,
        names: loaded.names,
        start,
        start_pos,
    })
}

fn start_pos(root: &Syn) -> Pos {
    match root {
        Syn::Ref { pos, .. } | Syn::Element(_, _, pos) | Syn::Attribute(_, _, pos) => pos.clone(),
        Syn::Data { pos, .. } | Syn::Value { pos, .. } => pos.clone(),
        _ => Pos { file: Arc::from(std::path::Path::new("")), line: 0, column: 0 },
    }
}

/// Marks the elements reachable from `start`; only they take part in validation.
fn mark_reachable(elements: &mut [ElemDef], arena: &Arena, start: P) {
    let mut stack = vec![start];
    let mut seen = vec![false; arena.infos.len()];
    while let Some(p) = stack.pop() {
        if std::mem::replace(&mut seen[p as usize], true) {
            continue;
        }
        match arena.node(p) {
            Node::Element(e) => {
                let def = &mut elements[*e as usize];
                def.reachable = true;
                stack.push(def.content);
            }
            Node::Choice(ps) => stack.extend_from_slice(ps),
            Node::Group(a, b) | Node::Interleave(a, b) | Node::After(a, b) => {
                stack.push(*a);
                stack.push(*b);
            }
            Node::OneOrMore(a) | Node::List(a) | Node::Attribute(_, a) => stack.push(*a),
            _ => {}
        }
    }
}

impl<'a> Builder<'a> {
    fn drain(&mut self) -> Result<(), SchemaError> {
        while let Some((id, content)) = self.pending.pop() {
            let p = self.pattern(content)?;
            self.elements[id as usize].content = p;
        }
        Ok(())
    }

    fn pattern(&mut self, syn: &'a Syn) -> Result<P, SchemaError> {
        Ok(match syn {
            Syn::Empty => super::super::pattern::EMPTY,
            Syn::NotAllowed => NOT_ALLOWED,
            Syn::Text => super::super::pattern::TEXT,
            Syn::Element(nc, content, pos) => {
                self.check_name_class(nc, pos, false)?;
                let id = self.elements.len() as u32;
                self.elements.push(ElemDef {
                    nc: nc.clone(),
                    content: NOT_ALLOWED,
                    reachable: false,
                });
                self.element_pos.push(pos.clone());
                self.pending.push((id, content));
                self.arena.intern(Node::Element(id))
            }
            Syn::Attribute(nc, content, pos) => {
                self.check_name_class(nc, pos, true)?;
                let content = self.pattern(content)?;
                if content == NOT_ALLOWED {
                    return Ok(NOT_ALLOWED);
                }
                let id = self.name_classes.len() as u32;
                self.name_classes.push(nc.clone());
                self.arena.intern(Node::Attribute(id, content))
            }
            Syn::Group(items) => {
                let mut acc = super::super::pattern::EMPTY;
                for item in items {
                    let p = self.pattern(item)?;
                    acc = self.arena.group(acc, p);
                }
                acc
            }
            Syn::Interleave(items) => {
                let mut acc = super::super::pattern::EMPTY;
                for item in items {
                    let p = self.pattern(item)?;
                    acc = self.arena.interleave(acc, p);
                }
                acc
            }
            Syn::Choice(items) => {
                let mut ps = Vec::with_capacity(items.len());
                for item in items {
                    ps.push(self.pattern(item)?);
                }
                self.arena.choice(&ps)
            }
            Syn::OneOrMore(inner) => {
                let p = self.pattern(inner)?;
                self.arena.one_or_more(p)
            }
            Syn::List(inner) => {
                let p = self.pattern(inner)?;
                if p == NOT_ALLOWED {
                    return Ok(NOT_ALLOWED);
                }
                self.arena.intern(Node::List(p))
            }
            Syn::Data { library, ty, params, except, pos } => {
                let dt = DataType::new(library, ty, params, &mut self.regexes)
                    .map_err(|m| pos.error(codes::DATATYPE, m))?;
                let except = match except {
                    Some(e) => {
                        let p = self.pattern(e)?;
                        (p != NOT_ALLOWED).then_some(p)
                    }
                    None => None,
                };
                let id = self.datas.len() as u32;
                self.datas.push(DataDef { dt, except });
                self.arena.intern(Node::Data(id))
            }
            Syn::Value { library, ty, text, context, pos } => {
                let dt = DataType::new(library, ty, &[], &mut self.regexes)
                    .map_err(|m| pos.error(codes::DATATYPE, m))?;
                let value = dt.parse_value(text, &ValueContext(context)).map_err(|_| {
                    pos.error(codes::DATATYPE, format!("value \"{text}\" is not a valid {ty}"))
                })?;
                let id = self.values.len() as u32;
                self.values.push(ValueDef { dt, value, text: text.clone() });
                self.arena.intern(Node::Value(id))
            }
            Syn::Ref { grammar, name, pos } => self.define(*grammar, name, pos)?,
        })
    }

    fn define(&mut self, grammar: usize, name: &'a str, pos: &Pos) -> Result<P, SchemaError> {
        match self.states.get(&(grammar, name)) {
            Some(State::Done(p)) => return Ok(*p),
            Some(State::Building) if self.unreachable => return Ok(NOT_ALLOWED),
            Some(State::Building) => {
                let what = if name == START {
                    "the start pattern".to_string()
                } else {
                    format!("\"{name}\"")
                };
                return Err(pos.error(
                    codes::REFERENCE,
                    format!("reference to {what} is recursive without an element in between"),
                ));
            }
            None => {}
        }
        let (body, _) = self.loaded.grammars[grammar].defines.get(name).ok_or_else(|| {
            pos.error(codes::REFERENCE, format!("reference to undefined pattern \"{name}\""))
        })?;
        self.states.insert((grammar, name), State::Building);
        let p = self.pattern(body)?;
        self.states.insert((grammar, name), State::Done(p));
        Ok(p)
    }

    /// Section 4.16: constraints on name classes.
    fn check_name_class(
        &self,
        nc: &NameClass,
        pos: &Pos,
        attribute: bool,
    ) -> Result<(), SchemaError> {
        let names = &self.loaded.names;
        fn walk(
            nc: &NameClass,
            names: &NameTable,
            in_any_except: bool,
            in_ns_except: bool,
            attribute: bool,
        ) -> Result<(), String> {
            match nc {
                NameClass::Name(n) => {
                    if attribute {
                        let ns = names.uri(names.name_ns(*n));
                        if ns.is_empty() && names.local(*n) == "xmlns" {
                            return Err("an attribute cannot be named xmlns".into());
                        }
                        if ns == "http://www.w3.org/2000/xmlns" {
                            return Err("an attribute cannot be in the xmlns namespace".into());
                        }
                    }
                    Ok(())
                }
                NameClass::AnyName(except) => {
                    if in_any_except || in_ns_except {
                        return Err(
                            "anyName is not allowed inside an except of anyName or nsName".into()
                        );
                    }
                    match except {
                        Some(e) => walk(e, names, true, in_ns_except, attribute),
                        None => Ok(()),
                    }
                }
                NameClass::NsName(ns, except) => {
                    if in_ns_except {
                        return Err("nsName is not allowed inside an except of nsName".into());
                    }
                    if attribute && names.uri(*ns) == "http://www.w3.org/2000/xmlns" {
                        return Err("an attribute cannot be in the xmlns namespace".into());
                    }
                    match except {
                        Some(e) => walk(e, names, in_any_except, true, attribute),
                        None => Ok(()),
                    }
                }
                NameClass::Choice(a, b) => {
                    walk(a, names, in_any_except, in_ns_except, attribute)?;
                    walk(b, names, in_any_except, in_ns_except, attribute)
                }
            }
        }
        walk(nc, names, false, false, attribute).map_err(|m| pos.error(codes::SYNTAX, m))
    }
}
