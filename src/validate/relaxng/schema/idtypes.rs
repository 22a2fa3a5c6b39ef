//! ID, IDREF and IDREFS as RELAX NG DTD Compatibility (section 4) defines them, like jing.
//!
//! An attribute whose value pattern is an ID-type datatype gets an entry keyed by (element
//! name, attribute name); the validator then checks uniqueness and references per document.
//! A schema that breaks the compatibility rules (ID datatype outside an attribute, a wildcard
//! name around it, or the same attribute both ID-typed and not) is rejected, as jing does.

use super::build::Built;
use super::{Pos, SchemaError, codes};
use crate::validate::relaxng::datatype::IdType;
use crate::validate::relaxng::pattern::{FastMap, NameClass, NameId, Node, P, Patterns};

pub(super) fn build(built: &Built) -> Result<FastMap<(NameId, NameId), IdType>, SchemaError> {
    let mut b = IdBuilder { built, map: FastMap::default(), possible_conflicts: Vec::new() };
    for (i, elem) in built.elements.iter().enumerate().filter(|(_, e)| e.reachable) {
        let pos = &built.element_pos[i];
        b.walk(elem.content, &elem.nc, false, pos)?;
    }
    for (elem_nc, attr_nc, pos) in std::mem::take(&mut b.possible_conflicts) {
        if let (Some(e), Some(a)) = (elem_nc.single_name(), attr_nc.single_name()) {
            if b.map.get(&(e, a)).is_some_and(|t| *t != IdType::Null) {
                return Err(b.conflict(e, a, pos));
            }
            continue;
        }
        for (&(e, a), _) in b.map.iter() {
            let names = &built.names;
            if elem_nc.contains(names.name_ns(e), e) && attr_nc.contains(names.name_ns(a), a) {
                return Err(b.conflict(e, a, pos));
            }
        }
    }
    Ok(b.map)
}

struct IdBuilder<'a> {
    built: &'a Built,
    map: FastMap<(NameId, NameId), IdType>,
    possible_conflicts: Vec<(&'a NameClass, &'a NameClass, &'a Pos)>,
}

impl<'a> IdBuilder<'a> {
    fn conflict(&self, element: NameId, attribute: NameId, pos: &Pos) -> SchemaError {
        let names = &self.built.names;
        pos.error(
            codes::ID_TYPE,
            format!(
                "conflicting ID-types for attribute \"{}\" of element \"{}\"",
                names.clark(attribute),
                names.clark(element)
            ),
        )
    }

    fn id_type_of(&self, p: P) -> IdType {
        match self.built.arena.node(p) {
            Node::Data(d) => self.built.datas[*d as usize].dt.id_type(),
            Node::Value(v) => self.built.values[*v as usize].dt.id_type(),
            _ => IdType::Null,
        }
    }

    fn walk(
        &mut self,
        p: P,
        elem_nc: &'a NameClass,
        attribute_is_parent: bool,
        pos: &'a Pos,
    ) -> Result<(), SchemaError> {
        let built = self.built;
        match built.arena.node(p) {
            Node::Choice(ps) => {
                for &q in ps.iter() {
                    self.walk(q, elem_nc, false, pos)?;
                }
            }
            Node::Group(a, b) | Node::Interleave(a, b) => {
                self.walk(*a, elem_nc, false, pos)?;
                self.walk(*b, elem_nc, false, pos)?;
            }
            Node::OneOrMore(a) | Node::List(a) => self.walk(*a, elem_nc, false, pos)?,
            Node::Attribute(nc, content) => {
                let attr_nc = &built.name_classes[*nc as usize];
                let id_type = self.id_type_of(*content);
                if id_type != IdType::Null {
                    let Some(attr) = attr_nc.single_name() else {
                        return Err(pos.error(
                            codes::ID_TYPE,
                            "an attribute whose datatype is ID, IDREF or IDREFS must have a single name",
                        ));
                    };
                    if !elem_nc.only_names() {
                        return Err(pos.error(
                            codes::ID_TYPE,
                            "an element with an ID, IDREF or IDREFS attribute must be named, not a wildcard",
                        ));
                    }
                    let mut result = Ok(());
                    elem_nc.for_each_name(&mut |e| {
                        let old = self.map.insert((e, attr), id_type);
                        if old.is_some_and(|t| t != id_type) && result.is_ok() {
                            result = Err(self.conflict(e, attr, pos));
                        }
                    });
                    result?;
                } else {
                    self.possible_conflicts.push((elem_nc, attr_nc, pos));
                }
                self.walk(*content, elem_nc, true, pos)?;
            }
            Node::Data(d) => {
                let def = &built.datas[*d as usize];
                if def.dt.id_type() != IdType::Null && !attribute_is_parent {
                    return Err(misplaced(pos));
                }
                if let Some(e) = def.except {
                    self.walk(e, elem_nc, false, pos)?;
                }
            }
            Node::Value(v) => {
                if built.values[*v as usize].dt.id_type() != IdType::Null && !attribute_is_parent {
                    return Err(misplaced(pos));
                }
            }
            Node::Empty | Node::NotAllowed | Node::Text | Node::Element(_) | Node::After(..) => {}
        }
        Ok(())
    }
}

fn misplaced(pos: &Pos) -> SchemaError {
    pos.error(
        codes::ID_TYPE,
        "a data or value pattern of type ID, IDREF or IDREFS must be the whole content of an attribute",
    )
}
