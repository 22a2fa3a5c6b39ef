//! Reads schema files into [`Syn`] trees, applying the syntactic simplifications on the way.
//!
//! What this step settles (RELAX NG section 4): annotations and foreign elements are dropped,
//! `ns` and `datatypeLibrary` are inherited, `name` attributes become name classes with
//! QNames resolved, `div` is flattened, `include` is merged into the including grammar with
//! its overriding `start`/`define`s, `externalRef` is replaced by the referenced pattern,
//! `optional`, `zeroOrMore` and `mixed` are rewritten, and defines of a grammar are combined.
//! References stay symbolic (grammar index + name) until [`super::build`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::xmltree::{self, Bindings, XElem, XNode};
use super::{Pos, SchemaError, codes};
use crate::validate::relaxng::datatype::lexical::is_ncname;
use crate::validate::relaxng::datatype::{NsContext, XML_NS};
use crate::validate::relaxng::names::NameTable;
use crate::validate::relaxng::pattern::NameClass;

pub(super) const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";

/// The define name under which a grammar's `start` is kept (no NCName is empty).
pub(super) const START: &str = "";

/// A pattern after the syntactic simplifications.
#[derive(Debug)]
pub(super) enum Syn {
    Element(NameClass, Box<Syn>, Pos),
    Attribute(NameClass, Box<Syn>, Pos),
    Group(Vec<Syn>),
    Interleave(Vec<Syn>),
    Choice(Vec<Syn>),
    OneOrMore(Box<Syn>),
    List(Box<Syn>),
    Empty,
    Text,
    NotAllowed,
    Value {
        library: String,
        ty: String,
        text: String,
        context: Vec<(String, String)>,
        pos: Pos,
    },
    Data {
        library: String,
        ty: String,
        params: Vec<(String, String)>,
        except: Option<Box<Syn>>,
        pos: Pos,
    },
    Ref {
        grammar: usize,
        name: String,
        pos: Pos,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Combine {
    Choice,
    Interleave,
}

/// The bodies given for one define (or start) in one grammar, before combining.
#[derive(Debug, Default)]
struct Acc {
    bodies: Vec<(Syn, Option<Combine>, Pos)>,
}

/// A grammar with its defines combined; `START` holds the start pattern.
#[derive(Debug)]
pub(super) struct Grammar {
    /// Combined body and the place of its first definition, by name.
    pub(super) defines: HashMap<String, (Syn, Pos)>,
}

/// Everything read from the schema files.
pub(super) struct Loaded {
    pub(super) grammars: Vec<Grammar>,
    pub(super) names: NameTable,
    /// The top-level pattern (a reference to a grammar's start, or any pattern).
    pub(super) root: Syn,
}

/// Inherited context while reading.
#[derive(Clone)]
struct Ctx {
    ns: Rc<str>,
    library: Rc<str>,
    file: Arc<Path>,
    /// Base for relative hrefs: the file, or what `xml:base` made of it.
    base: Rc<str>,
    grammar: Option<usize>,
}

/// Defines (and start) that an `include` overrides, and whether the included grammar had them.
struct Overrides {
    start: Option<bool>,
    defines: Vec<(String, bool)>,
    pos: Pos,
}

struct Loader {
    names: NameTable,
    grammars: Vec<(Option<usize>, HashMap<String, Acc>, Pos)>,
    open: Vec<PathBuf>,
    refs: Vec<(usize, String, Pos)>,
}

/// Loads the schema whose main file is `path`.
pub(super) fn load(path: &Path) -> Result<Loaded, SchemaError> {
    let mut loader = Loader {
        names: NameTable::new(),
        grammars: Vec::new(),
        open: Vec::new(),
        refs: Vec::new(),
    };
    let file: Arc<Path> = Arc::from(path);
    let root_elem = loader.read_file(&file, None)?;
    let ctx = Ctx {
        ns: "".into(),
        library: "".into(),
        base: file.to_string_lossy().as_ref().into(),
        file: file.clone(),
        grammar: None,
    };
    loader.open.push(path.to_path_buf());
    let root = loader.pattern(&root_elem, &ctx)?;
    loader.open.pop();
    for (grammar, name, pos) in &loader.refs {
        let defines = &loader.grammars[*grammar].1;
        if !defines.contains_key(name) {
            return Err(
                pos.error(codes::REFERENCE, format!("reference to undefined pattern \"{name}\""))
            );
        }
    }
    let mut grammars = Vec::with_capacity(loader.grammars.len());
    for (_, defines, pos) in std::mem::take(&mut loader.grammars) {
        if !defines.contains_key(START) {
            return Err(pos.error(codes::SYNTAX, "grammar has no start pattern"));
        }
        let mut combined = HashMap::with_capacity(defines.len());
        for (name, acc) in defines {
            let Some(first) = acc.bodies.first().map(|(_, _, pos)| pos.clone()) else { continue };
            combined.insert(name.clone(), (combine(&name, acc)?, first));
        }
        grammars.push(Grammar { defines: combined });
    }
    Ok(Loaded { grammars, names: loader.names, root })
}

/// Merges the bodies of one define as its `combine` attributes say.
fn combine(name: &str, acc: Acc) -> Result<Syn, SchemaError> {
    let what = if name == START { "start".to_string() } else { format!("define \"{name}\"") };
    let mut method: Option<Combine> = None;
    let mut without = 0;
    for (_, c, pos) in &acc.bodies {
        match c {
            None => {
                without += 1;
                if without > 1 {
                    return Err(pos.error(
                        codes::SYNTAX,
                        format!("{what} is given more than once without a combine attribute"),
                    ));
                }
            }
            Some(c) => {
                if method.is_some_and(|m| m != *c) {
                    return Err(pos.error(
                        codes::SYNTAX,
                        format!("{what} is combined both by choice and by interleave"),
                    ));
                }
                method = Some(*c);
            }
        }
    }
    let mut bodies: Vec<Syn> = acc.bodies.into_iter().map(|(s, _, _)| s).collect();
    if bodies.len() == 1 {
        return Ok(bodies.pop().unwrap_or(Syn::NotAllowed));
    }
    Ok(match method {
        Some(Combine::Interleave) => Syn::Interleave(bodies),
        _ => Syn::Choice(bodies),
    })
}

impl Loader {
    fn pos(ctx: &Ctx, e: &XElem) -> Pos {
        Pos { file: ctx.file.clone(), line: e.line, column: e.column }
    }

    /// Reads and parses a schema file; `from` is where it was referenced.
    fn read_file(&mut self, file: &Arc<Path>, from: Option<&Pos>) -> Result<XElem, SchemaError> {
        let text = std::fs::read(file).map_err(|e| {
            let reason = crate::diag::io_reason(&e).to_lowercase();
            let message = format!("cannot read schema file {}: {reason}", file.display());
            match from {
                Some(pos) => pos.error(codes::UNREADABLE, message),
                None => SchemaError {
                    code: codes::UNREADABLE,
                    message,
                    path: file.to_path_buf(),
                    line: 0,
                    column: 0,
                    help: Some("check the schema path".into()),
                },
            }
        })?;
        let text = String::from_utf8(text).map_err(|_| SchemaError {
            code: codes::NOT_WELL_FORMED,
            message: "schema file is not UTF-8".into(),
            path: file.to_path_buf(),
            line: 0,
            column: 0,
            help: None,
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        xmltree::parse(text).map_err(|e| SchemaError {
            code: codes::NOT_WELL_FORMED,
            message: e.message,
            path: file.to_path_buf(),
            line: e.line,
            column: e.column,
            help: None,
        })
    }

    /// Resolves an `href` against the referencing file; only local files are read.
    fn resolve_href(&self, href: &str, ctx: &Ctx, pos: &Pos) -> Result<Arc<Path>, SchemaError> {
        let href = href.trim();
        let scheme_end = href.find(':').filter(|&i| {
            i > 1 && href[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        let local = match scheme_end {
            Some(i) if href[..i].eq_ignore_ascii_case("file") => {
                let rest = &href[i + 1..];
                rest.strip_prefix("//").map_or(rest, |r| r.find('/').map_or(r, |s| &r[s..]))
            }
            Some(i) => {
                let mut err = pos.error(
                    codes::REMOTE,
                    format!(
                        "href \"{href}\" uses the {} scheme; only local files are read",
                        &href[..i]
                    ),
                );
                err.help = Some("download the schema and refer to it by a relative path".into());
                return Err(err);
            }
            None => href,
        };
        if local.contains('#') {
            return Err(
                pos.error(codes::SYNTAX, format!("href \"{href}\" has a fragment identifier"))
            );
        }
        let decoded = percent_decode(local);
        Ok(Arc::from(Path::new(&resolve_relative(&ctx.base, &decoded))))
    }

    /// Reads the file an `include` or `externalRef` points at, refusing loops.
    fn referenced(&mut self, e: &XElem, ctx: &Ctx) -> Result<(Arc<Path>, XElem), SchemaError> {
        let pos = Self::pos(ctx, e);
        let href = e.attr("href").ok_or_else(|| {
            pos.error(codes::SYNTAX, format!("{} has no href attribute", e.local))
        })?;
        let file = self.resolve_href(href, ctx, &pos)?;
        let canonical = std::fs::canonicalize(&file).unwrap_or_else(|_| file.to_path_buf());
        if self.open.contains(&canonical) {
            return Err(pos.error(
                codes::SYNTAX,
                format!("{} of {} loops back to itself", e.local, file.display()),
            ));
        }
        let root = self.read_file(&file, Some(&pos))?;
        Ok((file, root))
    }

    /// Applies an element's own `ns` and `datatypeLibrary` to the inherited context.
    fn enter(ctx: &Ctx, e: &XElem) -> Ctx {
        let mut ctx = ctx.clone();
        if let Some(ns) = e.attr("ns") {
            ctx.ns = ns.into();
        }
        if let Some(lib) = e.attr("datatypeLibrary") {
            ctx.library = lib.trim().into();
        }
        if let Some(base) = e.attrs.iter().find(|(ns, l, _)| ns == XML_NS && l == "base") {
            ctx.base = resolve_relative(&ctx.base, &percent_decode(base.2.trim())).into();
        }
        ctx
    }

    /// Section 3 syntax of one RELAX NG element: its attributes, and the children and text it
    /// may have. Foreign attributes are allowed everywhere, foreign elements wherever the
    /// element cannot hold text.
    fn syntax(e: &XElem, ctx: &Ctx) -> Result<(), SchemaError> {
        let pos = Self::pos(ctx, e);
        let local = e.local.as_str();
        let allowed: &[&str] = match local {
            "element" | "attribute" | "ref" | "parentRef" | "param" => &["name"],
            "define" => &["name", "combine"],
            "start" => &["combine"],
            "value" | "data" => &["type"],
            "externalRef" | "include" => &["href"],
            _ => &[],
        };
        for (ns, name, value) in &e.attrs {
            if ns == RNG_NS
                || (ns.is_empty()
                    && !allowed.contains(&name.as_str())
                    && name != "ns"
                    && name != "datatypeLibrary")
            {
                return Err(pos.error(
                    codes::SYNTAX,
                    format!("attribute \"{name}\" is not allowed on {local}"),
                ));
            }
            if ns.is_empty() && name == "datatypeLibrary" && !is_library_uri(value.trim()) {
                return Err(pos.error(
                    codes::SYNTAX,
                    format!(
                        "datatypeLibrary \"{value}\" is not an absolute URI without a fragment"
                    ),
                ));
            }
        }
        let name_attr = e.attr("name").map(str::trim);
        match (local, name_attr) {
            ("element" | "attribute", Some(n)) if !is_qname(n) => {
                return Err(pos.error(codes::SYNTAX, format!("\"{n}\" is not a qualified name")));
            }
            ("define" | "ref" | "parentRef", Some(n)) if !is_ncname(n) => {
                return Err(
                    pos.error(codes::SYNTAX, format!("\"{n}\" is not a valid pattern name"))
                );
            }
            _ => {}
        }
        let rng_children = e.elems_in(RNG_NS).count();
        let any_children = e.children.iter().filter(|c| matches!(c, XNode::Elem(_))).count();
        let text_allowed = matches!(local, "name" | "value" | "param");
        if text_allowed && any_children > 0 {
            return Err(pos.error(
                codes::SYNTAX,
                format!("{local} holds text only, found an element inside"),
            ));
        }
        if !text_allowed {
            Self::check_text(e, ctx)?;
        }
        let leaf =
            matches!(local, "empty" | "text" | "notAllowed" | "ref" | "parentRef" | "externalRef");
        if leaf && rng_children > 0 {
            return Err(pos.error(codes::SYNTAX, format!("{local} must be empty")));
        }
        if matches!(local, "anyName" | "nsName") {
            let excepts: Vec<&XElem> = e.elems_in(RNG_NS).collect();
            if excepts.len() > 1 || excepts.iter().any(|x| x.local != "except") {
                return Err(pos.error(codes::SYNTAX, format!("{local} may only hold one except")));
            }
        }
        if local == "except" && rng_children == 0 {
            return Err(pos.error(codes::SYNTAX, "except needs at least one pattern or name class"));
        }
        if local == "start" && rng_children != 1 {
            return Err(pos.error(codes::SYNTAX, "start holds exactly one pattern"));
        }
        Ok(())
    }

    /// Child elements in the RELAX NG namespace; foreign elements are annotations.
    fn children<'a>(e: &'a XElem) -> impl Iterator<Item = &'a XElem> + 'a {
        e.elems_in(RNG_NS)
    }

    fn check_text(e: &XElem, ctx: &Ctx) -> Result<(), SchemaError> {
        for child in &e.children {
            if let XNode::Text(t) = child
                && !t.trim().is_empty()
            {
                return Err(Self::pos(ctx, e).error(
                    codes::SYNTAX,
                    format!("text \"{}\" is not allowed inside {}", t.trim(), e.local),
                ));
            }
        }
        Ok(())
    }

    /// The patterns among the children, as one pattern (a group if several).
    fn group_of(
        &mut self,
        elems: &[&XElem],
        ctx: &Ctx,
        parent: &XElem,
    ) -> Result<Syn, SchemaError> {
        let mut items = Vec::with_capacity(elems.len());
        for child in elems {
            items.push(self.pattern(child, ctx)?);
        }
        match items.len() {
            0 => Err(Self::pos(ctx, parent).error(
                codes::SYNTAX,
                format!("{} needs at least one pattern inside", parent.local),
            )),
            1 => Ok(items.pop().unwrap_or(Syn::Empty)),
            _ => Ok(Syn::Group(items)),
        }
    }

    fn pattern(&mut self, e: &XElem, ctx: &Ctx) -> Result<Syn, SchemaError> {
        let pos = Self::pos(ctx, e);
        if e.ns != RNG_NS {
            return Err(pos.error(
                codes::SYNTAX,
                format!(
                    "expected a RELAX NG pattern, found element \"{}\" in namespace \"{}\"",
                    e.local, e.ns
                ),
            ));
        }
        Self::syntax(e, ctx)?;
        let ctx = Self::enter(ctx, e);
        let kids: Vec<&XElem> = Self::children(e).collect();
        Ok(match e.local.as_str() {
            "element" | "attribute" => {
                let is_element = e.local == "element";
                let (nc, rest) = match e.attr("name") {
                    Some(name) => {
                        // Unprefixed attribute names are in no namespace unless `ns` is given.
                        let default_ns: &str =
                            if is_element { &ctx.ns } else { e.attr("ns").unwrap_or("") };
                        (self.qname(name, default_ns, &e.bindings, &pos)?, &kids[..])
                    }
                    None => {
                        let first = kids.first().ok_or_else(|| {
                            pos.error(
                                codes::SYNTAX,
                                format!("{} needs a name or a name class", e.local),
                            )
                        })?;
                        (self.name_class(first, &ctx)?, &kids[1..])
                    }
                };
                if is_element {
                    Self::check_text(e, &ctx)?;
                    let content = self.group_of(rest, &ctx, e)?;
                    Syn::Element(nc, Box::new(content), pos)
                } else {
                    let content =
                        if rest.is_empty() { Syn::Text } else { self.group_of(rest, &ctx, e)? };
                    if rest.len() > 1 {
                        return Err(pos.error(codes::SYNTAX, "attribute holds at most one pattern"));
                    }
                    Syn::Attribute(nc, Box::new(content), pos)
                }
            }
            "group" | "interleave" | "choice" => {
                Self::check_text(e, &ctx)?;
                let mut items = Vec::with_capacity(kids.len());
                for child in &kids {
                    items.push(self.pattern(child, &ctx)?);
                }
                if items.is_empty() {
                    return Err(pos.error(
                        codes::SYNTAX,
                        format!("{} needs at least one pattern inside", e.local),
                    ));
                }
                match e.local.as_str() {
                    "group" => Syn::Group(items),
                    "interleave" => Syn::Interleave(items),
                    _ => Syn::Choice(items),
                }
            }
            "optional" => Syn::Choice(vec![self.group_of(&kids, &ctx, e)?, Syn::Empty]),
            "zeroOrMore" => Syn::Choice(vec![
                Syn::OneOrMore(Box::new(self.group_of(&kids, &ctx, e)?)),
                Syn::Empty,
            ]),
            "oneOrMore" => Syn::OneOrMore(Box::new(self.group_of(&kids, &ctx, e)?)),
            "mixed" => Syn::Interleave(vec![self.group_of(&kids, &ctx, e)?, Syn::Text]),
            "list" => Syn::List(Box::new(self.group_of(&kids, &ctx, e)?)),
            "empty" => Syn::Empty,
            "text" => Syn::Text,
            "notAllowed" => Syn::NotAllowed,
            "ref" | "parentRef" => {
                let name = e.attr("name").map(str::trim).ok_or_else(|| {
                    pos.error(codes::SYNTAX, format!("{} has no name attribute", e.local))
                })?;
                let here = ctx.grammar.ok_or_else(|| {
                    pos.error(
                        codes::REFERENCE,
                        format!("{} to \"{name}\" outside of any grammar", e.local),
                    )
                })?;
                let grammar = if e.local == "ref" {
                    here
                } else {
                    self.grammars[here].0.ok_or_else(|| {
                        pos.error(
                            codes::REFERENCE,
                            format!("parentRef to \"{name}\" has no parent grammar"),
                        )
                    })?
                };
                self.refs.push((grammar, name.to_string(), pos.clone()));
                Syn::Ref { grammar, name: name.to_string(), pos }
            }
            "value" => {
                let (library, ty) = match e.attr("type") {
                    Some(ty) => (ctx.library.to_string(), ty.trim().to_string()),
                    None => (String::new(), "token".to_string()),
                };
                let mut context = e.bindings.pairs.clone();
                context.push((String::new(), ctx.ns.to_string()));
                Syn::Value { library, ty, text: e.text(), context, pos }
            }
            "data" => {
                let ty = e
                    .attr("type")
                    .ok_or_else(|| pos.error(codes::SYNTAX, "data has no type attribute"))?
                    .trim()
                    .to_string();
                let mut params = Vec::new();
                let mut except = None;
                for child in &kids {
                    match child.local.as_str() {
                        "param" if except.is_none() => {
                            Self::syntax(child, &ctx)?;
                            let name = child.attr("name").ok_or_else(|| {
                                Self::pos(&ctx, child)
                                    .error(codes::SYNTAX, "param has no name attribute")
                            })?;
                            params.push((name.trim().to_string(), child.text()));
                        }
                        "except" if except.is_none() => {
                            Self::syntax(child, &ctx)?;
                            let ectx = Self::enter(&ctx, child);
                            let parts: Vec<&XElem> = Self::children(child).collect();
                            let mut items = Vec::new();
                            for part in parts {
                                items.push(self.pattern(part, &ectx)?);
                            }
                            if items.is_empty() {
                                return Err(Self::pos(&ctx, child).error(
                                    codes::SYNTAX,
                                    "except needs at least one pattern inside",
                                ));
                            }
                            except = Some(Box::new(Syn::Choice(items)));
                        }
                        other => {
                            return Err(Self::pos(&ctx, child).error(
                                codes::SYNTAX,
                                format!("\"{other}\" is not allowed inside data; expected param or except"),
                            ));
                        }
                    }
                }
                Syn::Data { library: ctx.library.to_string(), ty, params, except, pos }
            }
            "externalRef" => {
                let (file, root) = self.referenced(e, &ctx)?;
                let mut inner = Ctx {
                    ns: ctx.ns.clone(),
                    library: "".into(),
                    base: file.to_string_lossy().as_ref().into(),
                    file,
                    grammar: ctx.grammar,
                };
                if let Some(ns) = e.attr("ns") {
                    inner.ns = ns.into();
                }
                let canonical =
                    std::fs::canonicalize(&inner.file).unwrap_or_else(|_| inner.file.to_path_buf());
                self.open.push(canonical);
                let result = self.pattern(&root, &inner);
                self.open.pop();
                result?
            }
            "grammar" => {
                let id = self.grammars.len();
                self.grammars.push((ctx.grammar, HashMap::new(), pos.clone()));
                let gctx = Ctx { grammar: Some(id), ..ctx.clone() };
                let mut filters = Vec::new();
                self.grammar_content(e, &gctx, &mut filters)?;
                Syn::Ref { grammar: id, name: START.to_string(), pos }
            }
            other => {
                return Err(
                    pos.error(codes::SYNTAX, format!("\"{other}\" is not a RELAX NG pattern"))
                );
            }
        })
    }

    /// Resolves a QName written in the schema into a name class with one name.
    fn qname(
        &mut self,
        text: &str,
        default_ns: &str,
        bindings: &Bindings,
        pos: &Pos,
    ) -> Result<NameClass, SchemaError> {
        let text = text.trim();
        let (ns, local) = match text.split_once(':') {
            Some((prefix, local)) => {
                let uri = bindings.resolve(prefix).ok_or_else(|| {
                    pos.error(
                        codes::SYNTAX,
                        format!("namespace prefix \"{prefix}\" of \"{text}\" is not declared"),
                    )
                })?;
                (uri.to_string(), local)
            }
            None => (default_ns.to_string(), text),
        };
        let ns = self.names.ns(&ns);
        Ok(NameClass::Name(self.names.name(ns, local)))
    }

    fn name_class(&mut self, e: &XElem, ctx: &Ctx) -> Result<NameClass, SchemaError> {
        let pos = Self::pos(ctx, e);
        if e.ns == RNG_NS {
            Self::syntax(e, ctx)?;
        }
        let ctx = Self::enter(ctx, e);
        let except = |this: &mut Self, e: &XElem| -> Result<Option<Box<NameClass>>, SchemaError> {
            let Some(ex) = Self::children(e).find(|c| c.local == "except") else {
                return Ok(None);
            };
            Self::syntax(ex, &ctx)?;
            let ectx = Self::enter(&ctx, ex);
            let mut classes = Vec::new();
            for c in Self::children(ex) {
                classes.push(this.name_class(c, &ectx)?);
            }
            Ok(fold_choice(classes).map(Box::new))
        };
        match e.local.as_str() {
            "name" => {
                let text = e.text();
                if !is_qname(text.trim()) {
                    return Err(pos.error(
                        codes::SYNTAX,
                        format!("\"{}\" is not a qualified name", text.trim()),
                    ));
                }
                self.qname(&text, &ctx.ns, &e.bindings, &pos)
            }
            "anyName" => Ok(NameClass::AnyName(except(self, e)?)),
            "nsName" => {
                let ns = self.names.ns(&ctx.ns);
                Ok(NameClass::NsName(ns, except(self, e)?))
            }
            "choice" => {
                let mut classes = Vec::new();
                for c in Self::children(e) {
                    classes.push(self.name_class(c, &ctx)?);
                }
                fold_choice(classes).ok_or_else(|| {
                    pos.error(codes::SYNTAX, "choice of names needs at least one name class")
                })
            }
            other => Err(pos.error(
                codes::SYNTAX,
                format!(
                    "\"{other}\" is not a name class; expected name, anyName, nsName or choice"
                ),
            )),
        }
    }

    /// Reads the components of a grammar (or of a `div`/`include` inside one).
    fn grammar_content(
        &mut self,
        e: &XElem,
        ctx: &Ctx,
        filters: &mut Vec<Overrides>,
    ) -> Result<(), SchemaError> {
        let grammar = ctx.grammar.unwrap_or(0);
        for child in Self::children(e) {
            let pos = Self::pos(ctx, child);
            Self::syntax(child, ctx)?;
            let cctx = Self::enter(ctx, child);
            match child.local.as_str() {
                "start" | "define" => {
                    let name = if child.local == "start" {
                        START.to_string()
                    } else {
                        child
                            .attr("name")
                            .ok_or_else(|| {
                                pos.error(codes::SYNTAX, "define has no name attribute")
                            })?
                            .trim()
                            .to_string()
                    };
                    if is_overridden(filters, &name) {
                        continue;
                    }
                    let combine = match child.attr("combine").map(str::trim) {
                        None => None,
                        Some("choice") => Some(Combine::Choice),
                        Some("interleave") => Some(Combine::Interleave),
                        Some(other) => {
                            return Err(pos.error(
                                codes::SYNTAX,
                                format!("combine=\"{other}\" is not allowed; expected choice or interleave"),
                            ));
                        }
                    };
                    let kids: Vec<&XElem> = Self::children(child).collect();
                    let body = self.group_of(&kids, &cctx, child)?;
                    self.grammars[grammar]
                        .1
                        .entry(name)
                        .or_default()
                        .bodies
                        .push((body, combine, pos));
                }
                "div" => self.grammar_content(child, &cctx, filters)?,
                "include" => {
                    let (file, root) = self.referenced(child, &cctx)?;
                    if root.ns != RNG_NS || root.local != "grammar" {
                        return Err(pos.error(
                            codes::SYNTAX,
                            format!("included file {} is not a grammar", file.display()),
                        ));
                    }
                    let mut overrides =
                        Overrides { start: None, defines: Vec::new(), pos: pos.clone() };
                    collect_overrides(child, &mut overrides);
                    let mut inner = Ctx {
                        ns: cctx.ns.clone(),
                        library: "".into(),
                        base: file.to_string_lossy().as_ref().into(),
                        file,
                        grammar: Some(grammar),
                    };
                    inner = Self::enter(&inner, &root);
                    let canonical = std::fs::canonicalize(&inner.file)
                        .unwrap_or_else(|_| inner.file.to_path_buf());
                    self.open.push(canonical);
                    filters.push(overrides);
                    let result = self.grammar_content(&root, &inner, filters);
                    let overrides = filters.pop();
                    self.open.pop();
                    result?;
                    if let Some(o) = overrides {
                        if o.start == Some(false) {
                            return Err(o.pos.error(
                                codes::SYNTAX,
                                "include overrides start but the included grammar has no start",
                            ));
                        }
                        if let Some((name, _)) = o.defines.iter().find(|(_, found)| !found) {
                            return Err(o.pos.error(
                                codes::SYNTAX,
                                format!("include overrides define \"{name}\" but the included grammar has no such define"),
                            ));
                        }
                    }
                    // The include's own components come after, as a div would.
                    self.grammar_content(child, &cctx, filters)?;
                }
                other => {
                    return Err(pos.error(
                        codes::SYNTAX,
                        format!("\"{other}\" is not allowed in a grammar; expected start, define, div or include"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Records which components the children of an `include` (and divs in it) provide.
fn collect_overrides(e: &XElem, into: &mut Overrides) {
    for child in e.elems_in(RNG_NS) {
        match child.local.as_str() {
            "start" => into.start = Some(false),
            "define" => {
                if let Some(name) = child.attr("name") {
                    into.defines.push((name.trim().to_string(), false));
                }
            }
            "div" => collect_overrides(child, into),
            _ => {}
        }
    }
}

/// Whether an enclosing include overrides the component; marks it as found there.
fn is_overridden(filters: &mut [Overrides], name: &str) -> bool {
    let mut hit = false;
    for f in filters.iter_mut() {
        if name == START {
            if let Some(found) = f.start.as_mut() {
                *found = true;
                hit = true;
            }
        } else if let Some((_, found)) = f.defines.iter_mut().find(|(n, _)| n == name) {
            *found = true;
            hit = true;
        }
    }
    hit
}

fn fold_choice(classes: Vec<NameClass>) -> Option<NameClass> {
    classes.into_iter().reduce(|a, b| NameClass::Choice(Box::new(a), Box::new(b)))
}

fn is_qname(s: &str) -> bool {
    match s.split_once(':') {
        Some((p, l)) => is_ncname(p) && is_ncname(l),
        None => is_ncname(s),
    }
}

/// A datatype library must be empty or an absolute URI without a fragment.
fn is_library_uri(uri: &str) -> bool {
    if uri.is_empty() {
        return true;
    }
    let Some((scheme, rest)) = uri.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let bytes = uri.as_bytes();
    let escapes_ok = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    scheme_ok && !rest.is_empty() && !uri.contains('#') && escapes_ok
}

/// Resolves a relative reference against a base path the way URIs resolve: against the
/// base's directory, unless the reference is absolute.
fn resolve_relative(base: &str, reference: &str) -> String {
    if reference.starts_with('/') {
        return reference.to_string();
    }
    let dir = match base.rfind('/') {
        Some(i) => &base[..=i],
        None => "",
    };
    let joined = format!("{dir}{reference}");
    // Drop "." segments and fold ".." ones.
    let absolute = joined.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if absolute {
        out.insert(0, '/');
    }
    if reference.ends_with('/') || reference.is_empty() {
        out.push('/');
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}
