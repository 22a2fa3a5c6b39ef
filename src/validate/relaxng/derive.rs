//! Derivatives of patterns (James Clark, "An algorithm for RELAX NG validation"), memoised.
//!
//! The [`Engine`] extends the schema's frozen arena with patterns created while validating and
//! memoises every derivative that does not depend on text: start-tag open (by element name),
//! attribute name, end of attributes, mixed text, end tag, and the recovery variants used after
//! an error. Only data derivatives (attribute values, text of data-typed elements) are
//! computed per string.
//!
//! Memory: the local arena and the memo tables grow with the number of distinct states, not
//! with document size; when they pass [`Engine::LIMIT`] the validator calls [`Engine::flush`],
//! which keeps only the live state. Recursion here follows the structure of content patterns
//! (bounded by the schema), never the document's nesting: that lives in `After` chains.

use std::sync::Arc;

use super::datatype::{Failure, NsContext, is_blank};
use super::pattern::{
    EMPTY, FastMap, Info, NOT_ALLOWED, NameClass, NameId, Node, NsId, P, Patterns, TEXT, info_of,
};
use super::schema::Compiled;

/// Why a data derivative failed, for messages.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DataFailure {
    /// The string is not a value of the datatype, or a facet rejects it.
    Datatype { name: String, failure: Failure },
    /// A token of a list failed (the failures after this one are about it).
    Token(String),
    /// A list has a token more than it allows.
    ExtraToken(String),
    /// The string is not the expected value.
    Value { text: String, type_name: String },
    /// The string matches the `except` of a `data` pattern.
    Excluded { name: String },
    /// A list ended before its required tokens.
    MissingToken,
}

/// How a derivative wraps the continuation of a matched element or attribute.
#[derive(Clone, Copy)]
enum Wrap {
    /// `group(x, right)`
    GroupRight(P),
    /// `group(left, x)`
    GroupLeft(P),
    /// `interleave(x, right)`
    InterleaveRight(P),
    /// `interleave(left, x)`
    InterleaveLeft(P),
    /// `after(x, cont)`
    After(P),
    /// `group(x, optional(p))` for `oneOrMore(p)`
    Repeat(P),
}

/// Structural transforms that replace attributes (and sometimes elements).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Transform {
    /// Attributes still expected are missing: the pattern fails.
    EndAttributes,
    /// After an error, missing attributes are forgiven.
    IgnoreMissingAttributes,
    /// Text of a data-typed element: elements are no longer possible.
    TextOnly,
}

/// A memo for a function of one pattern, indexed by pattern id.
#[derive(Default)]
struct Unary(Vec<P>);

const UNKNOWN: P = P::MAX;

impl Unary {
    fn get(&self, p: P) -> Option<P> {
        self.0.get(p as usize).copied().filter(|&q| q != UNKNOWN)
    }

    fn set(&mut self, p: P, q: P) {
        let i = p as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, UNKNOWN);
        }
        self.0[i] = q;
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

fn key(p: P, n: NameId) -> u64 {
    (u64::from(p) << 32) | u64::from(n)
}

/// An engine and the name table it keys its memos by, cached per thread between documents.
pub(crate) struct Session {
    pub(crate) engine: Engine,
    pub(crate) names: super::names::NameTable,
}

impl Session {
    pub(crate) fn new(schema: Arc<Compiled>) -> Session {
        let names = schema.names.clone();
        Session { engine: Engine::new(schema), names }
    }
}

/// Validation-time pattern store and derivative memo, reusable across documents.
pub(crate) struct Engine {
    pub(crate) schema: Arc<Compiled>,
    base: P,
    local: Vec<Info>,
    local_map: FastMap<Node, P>,
    start_tag: FastMap<u64, P>,
    start_tag_recover: FastMap<u64, P>,
    start_attribute: FastMap<u64, P>,
    end_attributes: Unary,
    ignore_missing: Unary,
    text_only: Unary,
    mixed_text: Unary,
    end_tag: Unary,
    recover_after: Unary,
    empty_after: Unary,
    find_element: FastMap<NameId, P>,
}

impl Patterns for Engine {
    fn info(&self, p: P) -> &Info {
        if p < self.base {
            &self.schema.arena.infos[p as usize]
        } else {
            &self.local[(p - self.base) as usize]
        }
    }

    fn intern(&mut self, node: Node) -> P {
        if let Some(&p) = self.schema.arena.map.get(&node) {
            return p;
        }
        if let Some(&p) = self.local_map.get(&node) {
            return p;
        }
        let info = info_of(node.clone(), |q| {
            let i = self.info(q);
            (i.nullable, i.not_allowed, i.content)
        });
        let p = self.base + self.local.len() as P;
        self.local.push(info);
        self.local_map.insert(node, p);
        p
    }
}

impl Engine {
    /// Patterns created while validating before the caches are dropped (about 100 MB).
    pub(crate) const LIMIT: usize = 1 << 20;

    pub(crate) fn new(schema: Arc<Compiled>) -> Engine {
        let base = schema.arena.infos.len() as P;
        Engine {
            schema,
            base,
            local: Vec::new(),
            local_map: FastMap::default(),
            start_tag: FastMap::default(),
            start_tag_recover: FastMap::default(),
            start_attribute: FastMap::default(),
            end_attributes: Unary::default(),
            ignore_missing: Unary::default(),
            text_only: Unary::default(),
            mixed_text: Unary::default(),
            end_tag: Unary::default(),
            recover_after: Unary::default(),
            empty_after: Unary::default(),
            find_element: FastMap::default(),
        }
    }

    pub(crate) fn start(&self) -> P {
        self.schema.start
    }

    /// Whether the caches have grown past [`Engine::LIMIT`].
    pub(crate) fn is_large(&self) -> bool {
        self.local.len() > Self::LIMIT
    }

    /// Drops every cached derivative and every pattern not reachable from `live`, which is
    /// rewritten to the new ids.
    pub(crate) fn flush(&mut self, live: &mut P) {
        let mut reachable: Vec<P> = Vec::new();
        let mut seen: FastMap<P, ()> = FastMap::default();
        let mut stack = vec![*live];
        while let Some(p) = stack.pop() {
            if p < self.base || seen.insert(p, ()).is_some() {
                continue;
            }
            reachable.push(p);
            match self.node(p) {
                Node::Choice(ps) => stack.extend_from_slice(ps),
                Node::Group(a, b) | Node::Interleave(a, b) | Node::After(a, b) => {
                    stack.push(*a);
                    stack.push(*b);
                }
                Node::OneOrMore(a) | Node::List(a) | Node::Attribute(_, a) => stack.push(*a),
                _ => {}
            }
        }
        // Operands are always interned before the nodes that use them, so ascending ids
        // visit every operand first.
        reachable.sort_unstable();
        let old_local = std::mem::take(&mut self.local);
        let old_base = self.base;
        self.local_map.clear();
        self.clear_memos();
        let mut remap: FastMap<P, P> = FastMap::default();
        let map = |remap: &FastMap<P, P>, q: P| if q < old_base { q } else { remap[&q] };
        for p in reachable {
            let node = match &old_local[(p - old_base) as usize].node {
                Node::Choice(ps) => Node::Choice(ps.iter().map(|&q| map(&remap, q)).collect()),
                Node::Group(a, b) => Node::Group(map(&remap, *a), map(&remap, *b)),
                Node::Interleave(a, b) => Node::Interleave(map(&remap, *a), map(&remap, *b)),
                Node::After(a, b) => Node::After(map(&remap, *a), map(&remap, *b)),
                Node::OneOrMore(a) => Node::OneOrMore(map(&remap, *a)),
                Node::List(a) => Node::List(map(&remap, *a)),
                Node::Attribute(nc, a) => Node::Attribute(*nc, map(&remap, *a)),
                other => other.clone(),
            };
            let q = self.intern(node);
            remap.insert(p, q);
        }
        *live = map(&remap, *live);
    }

    fn clear_memos(&mut self) {
        self.start_tag.clear();
        self.start_tag_recover.clear();
        self.start_attribute.clear();
        self.end_attributes.clear();
        self.ignore_missing.clear();
        self.text_only.clear();
        self.mixed_text.clear();
        self.end_tag.clear();
        self.recover_after.clear();
        self.empty_after.clear();
        self.find_element.clear();
    }

    fn wrap(&mut self, w: Wrap, x: P) -> P {
        match w {
            Wrap::GroupRight(r) => self.group(x, r),
            Wrap::GroupLeft(l) => self.group(l, x),
            Wrap::InterleaveRight(r) => self.interleave(x, r),
            Wrap::InterleaveLeft(l) => self.interleave(l, x),
            Wrap::After(k) => self.after(x, k),
            Wrap::Repeat(p) => {
                let opt = self.choice2(p, EMPTY);
                self.group(x, opt)
            }
        }
    }

    /// Rewrites the continuation of every `After` in `p` (a choice of `After`s).
    fn apply_after(&mut self, p: P, w: Wrap) -> P {
        match self.node(p).clone() {
            Node::After(a, b) => {
                let b = self.wrap(w, b);
                self.after(a, b)
            }
            Node::Choice(ps) => {
                let out: Vec<P> = ps.iter().map(|&q| self.apply_after(q, w)).collect();
                self.choice(&out)
            }
            _ => NOT_ALLOWED,
        }
    }

    /// Start-tag-open derivative: a choice of `After(content, continuation)`.
    pub(crate) fn start_tag_open(&mut self, p: P, ns: NsId, name: NameId) -> P {
        self.start_tag_deriv(p, ns, name, false)
    }

    /// Like [`Engine::start_tag_open`] but may skip required content before the element.
    pub(crate) fn start_tag_open_recover(&mut self, p: P, ns: NsId, name: NameId) -> P {
        self.start_tag_deriv(p, ns, name, true)
    }

    fn start_tag_deriv(&mut self, p: P, ns: NsId, name: NameId, recover: bool) -> P {
        let memo = if recover { &self.start_tag_recover } else { &self.start_tag };
        if let Some(&q) = memo.get(&key(p, name)) {
            return q;
        }
        let q = match self.node(p).clone() {
            Node::Choice(ps) => {
                let out: Vec<P> =
                    ps.iter().map(|&m| self.start_tag_deriv(m, ns, name, recover)).collect();
                self.choice(&out)
            }
            Node::Group(a, b) => {
                let x = self.start_tag_deriv(a, ns, name, recover);
                let t = self.apply_after(x, Wrap::GroupRight(b));
                if self.nullable(a) || recover {
                    let y = self.start_tag_deriv(b, ns, name, recover);
                    self.choice2(t, y)
                } else {
                    t
                }
            }
            Node::Interleave(a, b) => {
                let x = self.start_tag_deriv(a, ns, name, recover);
                let x = self.apply_after(x, Wrap::InterleaveRight(b));
                let y = self.start_tag_deriv(b, ns, name, recover);
                let y = self.apply_after(y, Wrap::InterleaveLeft(a));
                self.choice2(x, y)
            }
            Node::After(a, b) => {
                let x = self.start_tag_deriv(a, ns, name, recover);
                self.apply_after(x, Wrap::After(b))
            }
            Node::OneOrMore(a) => {
                let x = self.start_tag_deriv(a, ns, name, recover);
                self.apply_after(x, Wrap::Repeat(p))
            }
            Node::Element(e) => {
                let def = &self.schema.elements[e as usize];
                if def.nc.contains(ns, name) {
                    let content = def.content;
                    self.after(content, EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        let memo = if recover { &mut self.start_tag_recover } else { &mut self.start_tag };
        memo.insert(key(p, name), q);
        q
    }

    /// Attribute-name derivative: `After(value pattern, rest)` for each matching attribute.
    pub(crate) fn start_attribute(&mut self, p: P, ns: NsId, name: NameId) -> P {
        if let Some(&q) = self.start_attribute.get(&key(p, name)) {
            return q;
        }
        let q = match self.node(p).clone() {
            Node::Choice(ps) => {
                let out: Vec<P> = ps.iter().map(|&m| self.start_attribute(m, ns, name)).collect();
                self.choice(&out)
            }
            Node::Group(a, b) => {
                let x = self.start_attribute(a, ns, name);
                let x = self.apply_after(x, Wrap::GroupRight(b));
                let y = self.start_attribute(b, ns, name);
                let y = self.apply_after(y, Wrap::GroupLeft(a));
                self.choice2(x, y)
            }
            Node::Interleave(a, b) => {
                let x = self.start_attribute(a, ns, name);
                let x = self.apply_after(x, Wrap::InterleaveRight(b));
                let y = self.start_attribute(b, ns, name);
                let y = self.apply_after(y, Wrap::InterleaveLeft(a));
                self.choice2(x, y)
            }
            Node::After(a, b) => {
                let x = self.start_attribute(a, ns, name);
                self.apply_after(x, Wrap::After(b))
            }
            Node::OneOrMore(a) => {
                let x = self.start_attribute(a, ns, name);
                self.apply_after(x, Wrap::Repeat(p))
            }
            Node::Attribute(nc, content) => {
                if self.schema.name_classes[nc as usize].contains(ns, name) {
                    self.after(content, EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        self.start_attribute.insert(key(p, name), q);
        q
    }

    fn transform(&mut self, p: P, t: Transform) -> P {
        let memo = match t {
            Transform::EndAttributes => &self.end_attributes,
            Transform::IgnoreMissingAttributes => &self.ignore_missing,
            Transform::TextOnly => &self.text_only,
        };
        if let Some(q) = memo.get(p) {
            return q;
        }
        let q = match self.node(p).clone() {
            Node::Attribute(..) => match t {
                Transform::EndAttributes => NOT_ALLOWED,
                Transform::IgnoreMissingAttributes => EMPTY,
                Transform::TextOnly => p,
            },
            Node::Element(_) if t == Transform::TextOnly => NOT_ALLOWED,
            Node::Choice(ps) => {
                let out: Vec<P> = ps.iter().map(|&m| self.transform(m, t)).collect();
                self.choice(&out)
            }
            Node::Group(a, b) => {
                let (x, y) = (self.transform(a, t), self.transform(b, t));
                self.group(x, y)
            }
            Node::Interleave(a, b) => {
                let (x, y) = (self.transform(a, t), self.transform(b, t));
                self.interleave(x, y)
            }
            Node::OneOrMore(a) => {
                let x = self.transform(a, t);
                self.one_or_more(x)
            }
            Node::After(a, b) => {
                let x = self.transform(a, t);
                self.after(x, b)
            }
            _ => p,
        };
        let memo = match t {
            Transform::EndAttributes => &mut self.end_attributes,
            Transform::IgnoreMissingAttributes => &mut self.ignore_missing,
            Transform::TextOnly => &mut self.text_only,
        };
        memo.set(p, q);
        q
    }

    /// Start-tag-close: attributes still required make the pattern fail.
    pub(crate) fn end_attributes(&mut self, p: P) -> P {
        self.transform(p, Transform::EndAttributes)
    }

    /// Start-tag-close after an attribute error: required attributes are forgiven.
    pub(crate) fn ignore_missing_attributes(&mut self, p: P) -> P {
        self.transform(p, Transform::IgnoreMissingAttributes)
    }

    /// The pattern for the text of an element whose content is data.
    pub(crate) fn text_only(&mut self, p: P) -> P {
        self.transform(p, Transform::TextOnly)
    }

    /// Derivative for non-blank text whose value does not matter (mixed content).
    pub(crate) fn mixed_text(&mut self, p: P) -> P {
        if let Some(q) = self.mixed_text.get(p) {
            return q;
        }
        let q = match self.node(p).clone() {
            Node::Text => TEXT,
            Node::Choice(ps) => {
                let out: Vec<P> = ps.iter().map(|&m| self.mixed_text(m)).collect();
                self.choice(&out)
            }
            Node::Group(a, b) => {
                let x = self.mixed_text(a);
                let t = if x == a { p } else { self.group(x, b) };
                if self.nullable(a) {
                    let y = self.mixed_text(b);
                    self.choice2(t, y)
                } else {
                    t
                }
            }
            Node::Interleave(a, b) => {
                let x = self.mixed_text(a);
                let x = if x == a { p } else { self.interleave(x, b) };
                let y = self.mixed_text(b);
                let y = if y == b { p } else { self.interleave(a, y) };
                self.choice2(x, y)
            }
            Node::OneOrMore(a) => {
                let x = self.mixed_text(a);
                let opt = self.choice2(p, EMPTY);
                self.group(x, opt)
            }
            Node::After(a, b) => {
                let x = self.mixed_text(a);
                self.after(x, b)
            }
            _ => NOT_ALLOWED,
        };
        self.mixed_text.set(p, q);
        q
    }

    /// End-tag derivative: the continuations whose content is complete.
    pub(crate) fn end_tag(&mut self, p: P) -> P {
        if let Some(q) = self.end_tag.get(p) {
            return q;
        }
        let q = match self.node(p).clone() {
            Node::Choice(ps) => {
                let out: Vec<P> = ps.iter().map(|&m| self.end_tag(m)).collect();
                self.choice(&out)
            }
            Node::After(a, b) => {
                if self.nullable(a) {
                    b
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        self.end_tag.set(p, q);
        q
    }

    /// Recovery at an end tag (or after a bad value): continue as if the content were complete.
    pub(crate) fn recover_after(&mut self, p: P) -> P {
        if let Some(q) = self.recover_after.get(p) {
            return q;
        }
        let q = match self.node(p).clone() {
            Node::Choice(ps) => {
                let out: Vec<P> = ps.iter().map(|&m| self.recover_after(m)).collect();
                self.choice(&out)
            }
            Node::After(_, b) => b,
            _ => NOT_ALLOWED,
        };
        self.recover_after.set(p, q);
        q
    }

    /// The same state with every continuation replaced by `empty`, to tell an error in the
    /// element itself from one inherited from an enclosing, already failed element.
    pub(crate) fn empty_after(&mut self, p: P) -> P {
        if let Some(q) = self.empty_after.get(p) {
            return q;
        }
        let q = match self.node(p).clone() {
            Node::Choice(ps) => {
                let out: Vec<P> = ps.iter().map(|&m| self.empty_after(m)).collect();
                self.choice(&out)
            }
            Node::After(a, _) => self.after(a, EMPTY),
            _ => p,
        };
        self.empty_after.set(p, q);
        q
    }

    /// The content of the element patterns that best match a name anywhere in the schema,
    /// used to validate an element that is not allowed where it is.
    pub(crate) fn find_element(&mut self, ns: NsId, name: NameId) -> P {
        if let Some(&p) = self.find_element.get(&name) {
            return p;
        }
        let mut best = super::pattern::Specificity::None;
        let mut contents = Vec::new();
        for def in self.schema.elements.iter().filter(|d| d.reachable) {
            let s = def.nc.specificity(ns, name);
            if s == super::pattern::Specificity::None || s < best {
                continue;
            }
            if s > best {
                best = s;
                contents.clear();
            }
            contents.push(def.content);
        }
        let p = self.choice(&contents);
        self.find_element.insert(name, p);
        p
    }

    /// Data derivative of a string; failures are collected when `fails` is given.
    pub(crate) fn data_deriv(
        &mut self,
        p: P,
        text: &str,
        ctx: &dyn NsContext,
        mut fails: Option<&mut Vec<DataFailure>>,
    ) -> P {
        match self.node(p).clone() {
            Node::Text => p,
            Node::List(a) => {
                let mut q = a;
                for token in text.split([' ', '\t', '\n', '\r']).filter(|t| !t.is_empty()) {
                    let mark = fails.as_ref().map_or(0, |f| f.len());
                    let before = q;
                    q = self.data_deriv(q, token, ctx, fails.as_deref_mut());
                    if q == NOT_ALLOWED {
                        if let Some(f) = fails {
                            if f.len() == mark && self.nullable(before) {
                                f.push(DataFailure::ExtraToken(token.to_string()));
                            } else {
                                f.insert(mark, DataFailure::Token(token.to_string()));
                            }
                        }
                        return NOT_ALLOWED;
                    }
                }
                if self.nullable(q) {
                    EMPTY
                } else {
                    if let Some(f) = fails {
                        f.push(DataFailure::MissingToken);
                    }
                    NOT_ALLOWED
                }
            }
            Node::Value(v) => {
                let def = &self.schema.values[v as usize];
                let ok = def.dt.parse_value(text, ctx).is_ok_and(|x| x == def.value);
                if ok {
                    EMPTY
                } else {
                    if let Some(f) = fails {
                        f.push(DataFailure::Value {
                            text: def.text.clone(),
                            type_name: def.dt.name().to_string(),
                        });
                    }
                    NOT_ALLOWED
                }
            }
            Node::Data(d) => {
                let def = &self.schema.datas[d as usize];
                if let Err(failure) = def.dt.check(text, ctx) {
                    if let Some(f) = fails {
                        f.push(DataFailure::Datatype { name: def.dt.name().to_string(), failure });
                    }
                    return NOT_ALLOWED;
                }
                if let Some(except) = def.except {
                    let name = def.dt.name().to_string();
                    let x = self.data_deriv(except, text, ctx, None);
                    if self.nullable(x) {
                        if let Some(f) = fails {
                            f.push(DataFailure::Excluded { name });
                        }
                        return NOT_ALLOWED;
                    }
                }
                EMPTY
            }
            Node::After(a, b) => {
                let mark = fails.as_ref().map_or(0, |f| f.len());
                let x = self.data_deriv(a, text, ctx, fails.as_deref_mut());
                if self.nullable(x) {
                    return b;
                }
                if self.nullable(a) && is_blank(text) {
                    if let Some(f) = fails {
                        f.truncate(mark);
                    }
                    return b;
                }
                NOT_ALLOWED
            }
            Node::Choice(ps) => {
                let mark = fails.as_ref().map_or(0, |f| f.len());
                let out: Vec<P> = ps
                    .iter()
                    .map(|&m| self.data_deriv(m, text, ctx, fails.as_deref_mut()))
                    .collect();
                let q = self.choice(&out);
                if q != NOT_ALLOWED
                    && let Some(f) = fails
                {
                    f.truncate(mark);
                }
                q
            }
            Node::Group(a, b) => {
                let mark = fails.as_ref().map_or(0, |f| f.len());
                let x = self.data_deriv(a, text, ctx, fails.as_deref_mut());
                let mut q = self.group(x, b);
                if self.nullable(a) {
                    let y = self.data_deriv(b, text, ctx, fails.as_deref_mut());
                    q = self.choice2(q, y);
                }
                if q != NOT_ALLOWED
                    && let Some(f) = fails
                {
                    f.truncate(mark);
                }
                q
            }
            Node::Interleave(a, b) => {
                let x = self.data_deriv(a, text, ctx, None);
                let x = self.interleave(x, b);
                let y = self.data_deriv(b, text, ctx, None);
                let y = self.interleave(a, y);
                self.choice2(x, y)
            }
            Node::OneOrMore(a) => {
                let x = self.data_deriv(a, text, ctx, fails);
                let opt = self.choice2(p, EMPTY);
                self.group(x, opt)
            }
            _ => NOT_ALLOWED,
        }
    }

    /// Element name classes that can start here (for "expected" lists).
    pub(crate) fn possible_elements(&self, p: P, out: &mut Vec<NameClass>) {
        let mut stack = vec![p];
        let mut seen: FastMap<P, ()> = FastMap::default();
        while let Some(p) = stack.pop() {
            if seen.insert(p, ()).is_some() {
                continue;
            }
            match self.node(p) {
                Node::Element(e) => {
                    let nc = &self.schema.elements[*e as usize].nc;
                    if !out.contains(nc) {
                        out.push(nc.clone());
                    }
                }
                Node::After(a, _) | Node::OneOrMore(a) => stack.push(*a),
                Node::Group(a, b) => {
                    stack.push(*a);
                    if self.nullable(*a) {
                        stack.push(*b);
                    }
                }
                Node::Interleave(a, b) => {
                    stack.push(*a);
                    stack.push(*b);
                }
                Node::Choice(ps) => stack.extend_from_slice(ps),
                _ => {}
            }
        }
    }

    /// Attribute name classes allowed here.
    pub(crate) fn possible_attributes(&self, p: P, out: &mut Vec<NameClass>) {
        let mut stack = vec![p];
        let mut seen: FastMap<P, ()> = FastMap::default();
        while let Some(p) = stack.pop() {
            if seen.insert(p, ()).is_some() {
                continue;
            }
            match self.node(p) {
                Node::Attribute(nc, _) => {
                    let nc = &self.schema.name_classes[*nc as usize];
                    if !out.contains(nc) {
                        out.push(nc.clone());
                    }
                }
                Node::After(a, _) | Node::OneOrMore(a) => stack.push(*a),
                Node::Group(a, b) | Node::Interleave(a, b) => {
                    stack.push(*a);
                    stack.push(*b);
                }
                Node::Choice(ps) => stack.extend_from_slice(ps),
                _ => {}
            }
        }
    }

    /// Whether text can occur here.
    pub(crate) fn allows_text(&mut self, p: P) -> bool {
        let m = self.mixed_text(p);
        !self.is_not_allowed(m)
    }

    /// Element names required next (in every alternative), for "missing" messages.
    pub(crate) fn required_elements(&self, p: P) -> Vec<NameId> {
        self.required(p, false)
    }

    /// Attribute names still required.
    pub(crate) fn required_attributes(&self, p: P) -> Vec<NameId> {
        self.required(p, true)
    }

    fn required(&self, p: P, attributes: bool) -> Vec<NameId> {
        let single = |nc: &NameClass| nc.single_name().into_iter().collect::<Vec<_>>();
        match self.node(p) {
            Node::Element(e) if !attributes => single(&self.schema.elements[*e as usize].nc),
            Node::Attribute(nc, _) if attributes => single(&self.schema.name_classes[*nc as usize]),
            Node::Group(a, b) => {
                if attributes {
                    let mut x = self.required(*a, true);
                    x.extend(self.required(*b, true));
                    x
                } else if !self.nullable(*a) {
                    self.required(*a, false)
                } else {
                    self.required(*b, false)
                }
            }
            Node::Interleave(a, b) => {
                let mut x = self.required(*a, attributes);
                x.extend(self.required(*b, attributes));
                x
            }
            Node::OneOrMore(a) | Node::After(a, _) => self.required(*a, attributes),
            Node::Choice(ps) => {
                let mut iter = ps.iter();
                let mut acc =
                    iter.next().map(|&q| self.required(q, attributes)).unwrap_or_default();
                for &q in iter {
                    let other = self.required(q, attributes);
                    acc.retain(|n| other.contains(n));
                }
                acc
            }
            _ => Vec::new(),
        }
    }
}
