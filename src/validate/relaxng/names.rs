//! Interned namespace URIs and expanded names, so patterns and memo keys hold small integers.
//!
//! The schema's table is frozen when it is compiled; a validation run extends a copy with the
//! names the document uses that the schema does not mention.

use super::pattern::{FastMap, NameId, NsId};

/// Namespace URIs and (namespace, local name) pairs, each with a dense id.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameTable {
    uris: Vec<Box<str>>,
    uri_ids: FastMap<Box<str>, NsId>,
    names: Vec<(NsId, Box<str>)>,
    name_ids: FastMap<NsId, FastMap<Box<str>, NameId>>,
}

impl NameTable {
    /// A table that already knows the empty namespace (id 0).
    pub(crate) fn new() -> NameTable {
        let mut table = NameTable::default();
        table.ns("");
        table
    }

    /// The id of a namespace URI, adding it if new.
    pub(crate) fn ns(&mut self, uri: &str) -> NsId {
        if let Some(&id) = self.uri_ids.get(uri) {
            return id;
        }
        let id = self.uris.len() as NsId;
        self.uris.push(uri.into());
        self.uri_ids.insert(uri.into(), id);
        id
    }

    /// The id of an expanded name, adding it if new.
    pub(crate) fn name(&mut self, ns: NsId, local: &str) -> NameId {
        if let Some(&id) = self.name_ids.get(&ns).and_then(|m| m.get(local)) {
            return id;
        }
        let id = self.names.len() as NameId;
        self.names.push((ns, local.into()));
        self.name_ids.entry(ns).or_default().insert(local.into(), id);
        id
    }

    pub(crate) fn uri(&self, ns: NsId) -> &str {
        &self.uris[ns as usize]
    }

    pub(crate) fn name_ns(&self, name: NameId) -> NsId {
        self.names[name as usize].0
    }

    pub(crate) fn local(&self, name: NameId) -> &str {
        &self.names[name as usize].1
    }

    pub(crate) fn name_count(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn ns_count(&self) -> usize {
        self.uris.len()
    }

    /// `{uri}local`, or `local` in no namespace.
    pub(crate) fn clark(&self, name: NameId) -> String {
        let (ns, local) = &self.names[name as usize];
        let uri = self.uri(*ns);
        if uri.is_empty() { local.to_string() } else { format!("{{{uri}}}{local}") }
    }

    /// Forgets everything added after the first `names` names and `uris` namespaces.
    pub(crate) fn truncate(&mut self, uris: usize, names: usize) {
        for (ns, local) in self.names.drain(names..) {
            if let Some(m) = self.name_ids.get_mut(&ns) {
                m.remove(&local);
            }
        }
        for uri in self.uris.drain(uris..) {
            self.uri_ids.remove(&uri);
        }
    }
}
