//! Simplified RELAX NG patterns, hash-consed in an arena and named by `P` ids.
//!
//! Both the schema compiler and the validator build patterns through the [`Patterns`]
//! trait: the compiled schema owns a frozen arena, and each validation run extends it with a
//! local arena whose ids continue after the schema's. Structurally equal patterns get one id,
//! so derivative results can be memoised by id and compared in O(1).
//!
//! `After(a, b)` is the continuation pattern of Clark's algorithm: "match `a` (the content of
//! the open element), then the end tag, then continue with `b`". The validator's whole state
//! is one pattern, so document depth never becomes recursion depth.

use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A pattern id.
pub(crate) type P = u32;

/// Index of a name (namespace + local name) in the name table.
pub(crate) type NameId = u32;
/// Index of a namespace URI in the name table.
pub(crate) type NsId = u32;

pub(crate) const EMPTY: P = 0;
pub(crate) const NOT_ALLOWED: P = 1;
pub(crate) const TEXT: P = 2;

/// One pattern node; operands are ids.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Node {
    Empty,
    NotAllowed,
    Text,
    /// Two or more alternatives, sorted and distinct, none of them a choice.
    Choice(Box<[P]>),
    Group(P, P),
    Interleave(P, P),
    OneOrMore(P),
    List(P),
    /// Index into the schema's data table (datatype, facets, except).
    Data(u32),
    /// Index into the schema's value table.
    Value(u32),
    /// Name-class index and content.
    Attribute(u32, P),
    /// Index into the schema's element table (name class and content).
    Element(u32),
    After(P, P),
}

/// What RELAX NG section 7.2 calls the content type, plus `Mixed` for text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ContentType {
    Empty,
    Element,
    Mixed,
    Data,
}

/// A node with the facts computed once when it is interned.
#[derive(Clone, Debug)]
pub(crate) struct Info {
    pub(crate) node: Node,
    pub(crate) nullable: bool,
    /// `NotAllowed`, or an `After` whose first operand is.
    pub(crate) not_allowed: bool,
    pub(crate) content: ContentType,
}

/// FxHash-style hasher: patterns are small integer tuples, SipHash would dominate.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // Multiplication only carries entropy upwards; fold the high half down so that
        // keys differing only in their high bits (like `(p << 32) | name`) spread too.
        self.0 ^ (self.0 >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Computes the facts of a node from its operands' facts.
pub(crate) fn info_of(node: Node, get: impl Fn(P) -> (bool, bool, ContentType)) -> Info {
    let (nullable, not_allowed, content) = match &node {
        Node::Empty => (true, false, ContentType::Empty),
        Node::NotAllowed => (false, true, ContentType::Empty),
        Node::Text => (true, false, ContentType::Mixed),
        Node::Choice(ps) => {
            let mut nullable = false;
            let mut content = ContentType::Empty;
            for &p in ps.iter() {
                let (n, _, c) = get(p);
                nullable |= n;
                content = content.max(c);
            }
            (nullable, false, content)
        }
        Node::Group(a, b) | Node::Interleave(a, b) => {
            let (na, _, ca) = get(*a);
            let (nb, _, cb) = get(*b);
            (na && nb, false, ca.max(cb))
        }
        Node::OneOrMore(a) => {
            let (n, _, c) = get(*a);
            (n, false, c)
        }
        Node::List(_) | Node::Data(_) | Node::Value(_) => (false, false, ContentType::Data),
        Node::Attribute(..) => (false, false, ContentType::Empty),
        Node::Element(_) => (false, false, ContentType::Element),
        Node::After(a, _) => {
            let (_, not_allowed, c) = get(*a);
            (false, not_allowed, c)
        }
    };
    Info { node, nullable, not_allowed, content }
}

/// Pattern storage with hash-consing and the smart constructors of the derivative algorithm.
pub(crate) trait Patterns {
    fn info(&self, p: P) -> &Info;
    /// Returns the id of an equal node, adding it if new. Callers use the constructors below.
    fn intern(&mut self, node: Node) -> P;

    fn node(&self, p: P) -> &Node {
        &self.info(p).node
    }

    fn nullable(&self, p: P) -> bool {
        self.info(p).nullable
    }

    fn is_not_allowed(&self, p: P) -> bool {
        self.info(p).not_allowed
    }

    fn group(&mut self, a: P, b: P) -> P {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        self.intern(Node::Group(a, b))
    }

    fn interleave(&mut self, a: P, b: P) -> P {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        self.intern(Node::Interleave(a, b))
    }

    fn one_or_more(&mut self, a: P) -> P {
        if a == NOT_ALLOWED || a == EMPTY || matches!(self.node(a), Node::OneOrMore(_)) {
            return a;
        }
        self.intern(Node::OneOrMore(a))
    }

    fn after(&mut self, a: P, b: P) -> P {
        self.intern(Node::After(a, b))
    }

    fn choice2(&mut self, a: P, b: P) -> P {
        if a == b || b == NOT_ALLOWED {
            return a;
        }
        if a == NOT_ALLOWED {
            return b;
        }
        self.choice(&[a, b])
    }

    /// The choice of `members`: flattened, `notAllowed` dropped, duplicates removed,
    /// `empty` dropped when another alternative is nullable, and continuation patterns with a
    /// common operand merged so states stay small.
    fn choice(&mut self, members: &[P]) -> P {
        let mut flat: Vec<P> = Vec::with_capacity(members.len() + 4);
        for &m in members {
            match self.node(m) {
                Node::NotAllowed => {}
                Node::Choice(ps) => flat.extend_from_slice(ps),
                _ => flat.push(m),
            }
        }
        flat.sort_unstable();
        flat.dedup();
        if flat.len() > 1 && flat.contains(&EMPTY) {
            let other_nullable = flat.iter().any(|&p| p != EMPTY && self.nullable(p));
            if other_nullable {
                flat.retain(|&p| p != EMPTY);
            }
        }
        let afters = flat.iter().filter(|&&p| matches!(self.node(p), Node::After(..))).count();
        if afters > 1 {
            flat = self.merge_afters(flat);
        }
        match flat.len() {
            0 => NOT_ALLOWED,
            1 => flat[0],
            _ => self.intern(Node::Choice(flat.into_boxed_slice())),
        }
    }

    /// Merges `After(a, x) | After(a, y)` into `After(a, x | y)` and then
    /// `After(a, x) | After(b, x)` into `After(a | b, x)`; drops `After(notAllowed, _)`.
    fn merge_afters(&mut self, flat: Vec<P>) -> Vec<P> {
        let mut others = Vec::new();
        let mut pairs: Vec<(P, P)> = Vec::new();
        for p in flat {
            match *self.node(p) {
                Node::After(a, b) => pairs.push((a, b)),
                _ => others.push(p),
            }
        }
        if pairs.iter().any(|&(a, _)| a != NOT_ALLOWED) {
            pairs.retain(|&(a, _)| a != NOT_ALLOWED);
        }
        // Same first operand: merge continuations.
        pairs.sort_unstable();
        let mut by_first: Vec<(P, Vec<P>)> = Vec::new();
        for (a, b) in pairs {
            match by_first.last_mut() {
                Some((last, bs)) if *last == a => bs.push(b),
                _ => by_first.push((a, vec![b])),
            }
        }
        let mut merged: Vec<(P, P)> = Vec::with_capacity(by_first.len());
        for (a, bs) in by_first {
            let b = if bs.len() == 1 { bs[0] } else { self.choice(&bs) };
            merged.push((a, b));
        }
        // Same continuation: merge contents.
        merged.sort_unstable_by_key(|&(a, b)| (b, a));
        let mut by_second: Vec<(P, Vec<P>)> = Vec::new();
        for (a, b) in merged {
            match by_second.last_mut() {
                Some((last, as_)) if *last == b => as_.push(a),
                _ => by_second.push((b, vec![a])),
            }
        }
        for (b, as_) in by_second {
            let a = if as_.len() == 1 { as_[0] } else { self.choice(&as_) };
            let after = self.after(a, b);
            others.push(after);
        }
        others.sort_unstable();
        others.dedup();
        others
    }
}

/// A frozen-at-compile-time arena; also used while compiling.
#[derive(Clone, Debug)]
pub(crate) struct Arena {
    pub(crate) infos: Vec<Info>,
    pub(crate) map: FastMap<Node, P>,
}

impl Arena {
    pub(crate) fn new() -> Arena {
        let mut arena = Arena { infos: Vec::new(), map: FastMap::default() };
        for node in [Node::Empty, Node::NotAllowed, Node::Text] {
            arena.intern(node);
        }
        arena
    }
}

impl Patterns for Arena {
    fn info(&self, p: P) -> &Info {
        &self.infos[p as usize]
    }

    fn intern(&mut self, node: Node) -> P {
        if let Some(&p) = self.map.get(&node) {
            return p;
        }
        let infos = &self.infos;
        let info = info_of(node.clone(), |q| {
            let i = &infos[q as usize];
            (i.nullable, i.not_allowed, i.content)
        });
        let p = self.infos.len() as P;
        self.infos.push(info);
        self.map.insert(node, p);
        p
    }
}

/// A name class after simplification.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum NameClass {
    Name(NameId),
    /// Any name, minus the except class.
    AnyName(Option<Box<NameClass>>),
    /// Any name in a namespace, minus the except class.
    NsName(NsId, Option<Box<NameClass>>),
    Choice(Box<NameClass>, Box<NameClass>),
}

/// How precisely a name class matches a name (used to pick an element for recovery).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Specificity {
    None,
    AnyName,
    NsName,
    Name,
}

impl NameClass {
    /// Whether the class contains the name `(ns, name)`.
    pub(crate) fn contains(&self, ns: NsId, name: NameId) -> bool {
        self.specificity(ns, name) != Specificity::None
    }

    pub(crate) fn specificity(&self, ns: NsId, name: NameId) -> Specificity {
        match self {
            NameClass::Name(n) => {
                if *n == name {
                    Specificity::Name
                } else {
                    Specificity::None
                }
            }
            NameClass::AnyName(except) => {
                if except.as_ref().is_some_and(|e| e.contains(ns, name)) {
                    Specificity::None
                } else {
                    Specificity::AnyName
                }
            }
            NameClass::NsName(n, except) => {
                if *n != ns || except.as_ref().is_some_and(|e| e.contains(ns, name)) {
                    Specificity::None
                } else {
                    Specificity::NsName
                }
            }
            NameClass::Choice(a, b) => a.specificity(ns, name).max(b.specificity(ns, name)),
        }
    }

    /// The single name of a class that is just one name.
    pub(crate) fn single_name(&self) -> Option<NameId> {
        match self {
            NameClass::Name(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether the class holds only names (no wildcards), as ID attributes require.
    pub(crate) fn only_names(&self) -> bool {
        match self {
            NameClass::Name(_) => true,
            NameClass::Choice(a, b) => a.only_names() && b.only_names(),
            _ => false,
        }
    }

    /// Calls `f` for every plain name in the class (not the excepted ones).
    pub(crate) fn for_each_name(&self, f: &mut impl FnMut(NameId)) {
        match self {
            NameClass::Name(n) => f(*n),
            NameClass::Choice(a, b) => {
                a.for_each_name(f);
                b.for_each_name(f);
            }
            _ => {}
        }
    }
}
