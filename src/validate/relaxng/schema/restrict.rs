//! RELAX NG section 7 restrictions, checked on the built patterns as jing does.
//!
//! 7.1 prohibited paths (attribute in attribute, element in list, …), 7.2 string sequences
//! (data may not be grouped with elements or text), 7.3 no attribute may be matched by two
//! attribute patterns of one group or interleave, 7.4 the two sides of an interleave may not
//! both match an element name or both contain text. Each element's content is checked once;
//! the walk never goes through an `element`, so it is bounded by the schema's own nesting.

use super::build::Built;
use super::{SchemaError, codes};
use crate::validate::relaxng::pattern::{ContentType, NameClass, NameId, Node, NsId, P, Patterns};

/// A name no schema can mention, used to probe wildcard overlap.
const ALIEN_NAME: NameId = u32::MAX;
/// A namespace no schema can mention.
const ALIEN_NS: NsId = u32::MAX;

pub(super) fn check(built: &Built) -> Result<(), SchemaError> {
    let checker = Checker { built };
    checker.start(built.start).map_err(|m| built.start_pos.error(codes::RESTRICTION, m))?;
    for (i, elem) in built.elements.iter().enumerate().filter(|(_, e)| e.reachable) {
        let pos = &built.element_pos[i];
        checker.walk(elem.content, Ctx::default()).map_err(|m| pos.error(codes::RESTRICTION, m))?;
        checker.content_type(elem.content).map_err(|m| pos.error(codes::RESTRICTION, m))?;
        checker.overlaps(elem.content).map_err(|m| pos.error(codes::RESTRICTION, m))?;
    }
    Ok(())
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    attribute: bool,
    list: bool,
    except: bool,
    one_or_more: bool,
    repeated_group: bool,
}

struct Checker<'a> {
    built: &'a Built,
}

impl Checker<'_> {
    fn node(&self, p: P) -> &Node {
        self.built.arena.node(p)
    }

    /// 7.1.5: the start pattern may only hold elements, choices and notAllowed.
    fn start(&self, p: P) -> Result<(), String> {
        match self.node(p) {
            Node::Element(_) | Node::NotAllowed => Ok(()),
            Node::Choice(ps) => ps.iter().try_for_each(|&q| self.start(q)),
            other => Err(format!(
                "the start pattern may only contain elements, found {}",
                describe(other)
            )),
        }
    }

    /// 7.1.1–7.1.4: prohibited paths inside one element's content.
    fn walk(&self, p: P, ctx: Ctx) -> Result<(), String> {
        let prohibit = |cond: bool, what: &str| if cond { Err(what.to_string()) } else { Ok(()) };
        match self.node(p) {
            Node::Element(_) => {
                prohibit(ctx.attribute, "an element is not allowed inside an attribute")?;
                prohibit(ctx.list, "an element is not allowed inside a list")?;
                prohibit(ctx.except, "an element is not allowed inside data/except")
            }
            Node::Attribute(nc, content) => {
                prohibit(ctx.attribute, "an attribute is not allowed inside an attribute")?;
                prohibit(ctx.list, "an attribute is not allowed inside a list")?;
                prohibit(ctx.except, "an attribute is not allowed inside data/except")?;
                prohibit(
                    ctx.repeated_group,
                    "an attribute is not allowed inside a group or interleave inside oneOrMore",
                )?;
                let nc = &self.built.name_classes[*nc as usize];
                if !ctx.one_or_more && !matches_finite(nc) {
                    return Err("an attribute with an anyName or nsName name class must be inside oneOrMore".into());
                }
                self.walk(*content, Ctx { attribute: true, ..ctx })
            }
            Node::Text => {
                prohibit(ctx.list, "text is not allowed inside a list")?;
                prohibit(ctx.except, "text is not allowed inside data/except")
            }
            Node::List(inner) => {
                prohibit(ctx.list, "a list is not allowed inside a list")?;
                prohibit(ctx.except, "a list is not allowed inside data/except")?;
                self.walk(*inner, Ctx { list: true, ..ctx })
            }
            Node::Data(id) => match self.built.datas[*id as usize].except {
                Some(e) => self.walk(e, Ctx { except: true, ..ctx }),
                None => Ok(()),
            },
            Node::Value(_) | Node::NotAllowed => Ok(()),
            Node::Empty => prohibit(ctx.except, "empty is not allowed inside data/except"),
            Node::Group(a, b) | Node::Interleave(a, b) => {
                prohibit(ctx.except, "group and interleave are not allowed inside data/except")?;
                if matches!(self.node(p), Node::Interleave(..)) {
                    prohibit(ctx.list, "interleave is not allowed inside a list")?;
                }
                let inner = Ctx { repeated_group: ctx.one_or_more || ctx.repeated_group, ..ctx };
                self.walk(*a, inner)?;
                self.walk(*b, inner)
            }
            Node::OneOrMore(a) => {
                prohibit(ctx.except, "oneOrMore is not allowed inside data/except")?;
                self.walk(*a, Ctx { one_or_more: true, ..ctx })
            }
            Node::Choice(ps) => ps.iter().try_for_each(|&q| self.walk(q, ctx)),
            Node::After(..) => Ok(()),
        }
    }

    /// 7.2: content types; `Err` when data is grouped with elements or text.
    fn content_type(&self, p: P) -> Result<ContentType, String> {
        let groupable = |a: ContentType, b: ContentType| {
            a == ContentType::Empty
                || b == ContentType::Empty
                || (a != ContentType::Data && b != ContentType::Data)
        };
        Ok(match self.node(p) {
            Node::Empty | Node::NotAllowed | Node::Attribute(..) => ContentType::Empty,
            Node::Text | Node::Element(_) => ContentType::Element,
            Node::Data(_) | Node::Value(_) | Node::List(_) => ContentType::Data,
            Node::Group(a, b) | Node::Interleave(a, b) => {
                let (ca, cb) = (self.content_type(*a)?, self.content_type(*b)?);
                if !groupable(ca, cb) {
                    return Err("data or a value is grouped with elements or text; use a list or mixed content".into());
                }
                ca.max(cb)
            }
            Node::OneOrMore(a) => {
                let ca = self.content_type(*a)?;
                if !groupable(ca, ca) {
                    return Err("data or a value is repeated with oneOrMore; use a list".into());
                }
                ca
            }
            Node::Choice(ps) => {
                let mut ct = ContentType::Empty;
                for &q in ps.iter() {
                    ct = ct.max(self.content_type(q)?);
                }
                ct
            }
            Node::After(a, _) => self.content_type(*a)?,
        })
    }

    /// 7.3 and 7.4: overlapping attributes in groups/interleaves, overlapping elements and
    /// text on both sides of an interleave.
    fn overlaps(&self, p: P) -> Result<(), String> {
        match self.node(p) {
            Node::Group(a, b) | Node::Interleave(a, b) => {
                self.overlaps(*a)?;
                self.overlaps(*b)?;
                let (mut left, mut right) = (Vec::new(), Vec::new());
                self.attribute_classes(*a, &mut left);
                self.attribute_classes(*b, &mut right);
                for x in &left {
                    for y in &right {
                        if self.overlap(x, y) {
                            return Err(format!(
                                "the same attribute can match two attribute patterns ({})",
                                self.describe_nc(x)
                            ));
                        }
                    }
                }
                if matches!(self.node(p), Node::Interleave(..)) {
                    let (mut left, mut right) = (Vec::new(), Vec::new());
                    let text_a = self.element_classes(*a, &mut left);
                    let text_b = self.element_classes(*b, &mut right);
                    if text_a && text_b {
                        return Err("both sides of an interleave contain text".into());
                    }
                    for x in &left {
                        for y in &right {
                            if self.overlap(x, y) {
                                return Err(format!(
                                    "both sides of an interleave can match element {}",
                                    self.describe_nc(x)
                                ));
                            }
                        }
                    }
                }
                Ok(())
            }
            Node::OneOrMore(a) | Node::List(a) | Node::Attribute(_, a) => self.overlaps(*a),
            Node::Choice(ps) => ps.iter().try_for_each(|&q| self.overlaps(q)),
            _ => Ok(()),
        }
    }

    fn attribute_classes<'b>(&'b self, p: P, out: &mut Vec<&'b NameClass>) {
        match self.node(p) {
            Node::Attribute(nc, _) => out.push(&self.built.name_classes[*nc as usize]),
            Node::Group(a, b) | Node::Interleave(a, b) => {
                self.attribute_classes(*a, out);
                self.attribute_classes(*b, out);
            }
            Node::OneOrMore(a) => self.attribute_classes(*a, out),
            Node::Choice(ps) => ps.iter().for_each(|&q| self.attribute_classes(q, out)),
            _ => {}
        }
    }

    /// Element name classes directly in `p`; returns whether `p` contains text.
    fn element_classes<'b>(&'b self, p: P, out: &mut Vec<&'b NameClass>) -> bool {
        match self.node(p) {
            Node::Element(e) => {
                out.push(&self.built.elements[*e as usize].nc);
                false
            }
            Node::Text => true,
            Node::Group(a, b) | Node::Interleave(a, b) => {
                let x = self.element_classes(*a, out);
                self.element_classes(*b, out) || x
            }
            Node::OneOrMore(a) => self.element_classes(*a, out),
            Node::Choice(ps) => {
                let mut text = false;
                for &q in ps.iter() {
                    text |= self.element_classes(q, out);
                }
                text
            }
            _ => false,
        }
    }

    /// Whether some name is in both classes: try every name either class mentions, plus
    /// names the classes cannot mention, in each namespace they mention.
    fn overlap(&self, a: &NameClass, b: &NameClass) -> bool {
        if let (NameClass::Name(x), NameClass::Name(y)) = (a, b) {
            return x == y;
        }
        let mut probes: Vec<(NsId, NameId)> = vec![(ALIEN_NS, ALIEN_NAME)];
        let names = &self.built.names;
        let mut collect = |nc: &NameClass| probe_names(nc, names, &mut probes);
        collect(a);
        collect(b);
        probes.iter().any(|&(ns, n)| a.contains(ns, n) && b.contains(ns, n))
    }

    fn describe_nc(&self, nc: &NameClass) -> String {
        let names = &self.built.names;
        match nc {
            NameClass::Name(n) => format!("\"{}\"", names.clark(*n)),
            NameClass::AnyName(_) => "any name".into(),
            NameClass::NsName(ns, _) => format!("any name in namespace \"{}\"", names.uri(*ns)),
            NameClass::Choice(a, _) => self.describe_nc(a),
        }
    }
}

fn probe_names(
    nc: &NameClass,
    names: &crate::validate::relaxng::names::NameTable,
    out: &mut Vec<(NsId, NameId)>,
) {
    match nc {
        NameClass::Name(n) => out.push((names.name_ns(*n), *n)),
        NameClass::AnyName(except) => {
            if let Some(e) = except {
                probe_names(e, names, out);
            }
        }
        NameClass::NsName(ns, except) => {
            out.push((*ns, ALIEN_NAME));
            if let Some(e) = except {
                probe_names(e, names, out);
            }
        }
        NameClass::Choice(a, b) => {
            probe_names(a, names, out);
            probe_names(b, names, out);
        }
    }
}

/// Whether a name class is a finite set of names.
fn matches_finite(nc: &NameClass) -> bool {
    match nc {
        NameClass::Name(_) => true,
        NameClass::Choice(a, b) => matches_finite(a) && matches_finite(b),
        _ => false,
    }
}

fn describe(node: &Node) -> &'static str {
    match node {
        Node::Empty => "empty",
        Node::NotAllowed => "notAllowed",
        Node::Text => "text",
        Node::Choice(_) => "choice",
        Node::Group(..) => "a group",
        Node::Interleave(..) => "interleave",
        Node::OneOrMore(_) => "oneOrMore",
        Node::List(_) => "list",
        Node::Data(_) => "data",
        Node::Value(_) => "a value",
        Node::Attribute(..) => "an attribute",
        Node::Element(_) => "an element",
        Node::After(..) => "a continuation",
    }
}
