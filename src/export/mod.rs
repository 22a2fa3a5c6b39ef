//! Exporters: the document model written as TEI P5, as its JSON twin and as
//! the HTML reading edition.

use std::collections::{BTreeSet, HashMap};

use crate::document::{Document, Kind};

pub mod html;
pub mod json;
pub mod tei;

/// The ids of the notes, for the TEI and the HTML alike: `note-<label>`,
/// made unique in document order; a marker points to the first note with
/// its label.
pub(crate) struct NoteIds<'a> {
    pub(crate) by_annotation: HashMap<usize, String>,
    pub(crate) by_label: HashMap<&'a str, String>,
}

impl<'a> NoteIds<'a> {
    pub(crate) fn new(doc: &'a Document) -> NoteIds<'a> {
        let mut ids = NoteIds { by_annotation: HashMap::new(), by_label: HashMap::new() };
        let mut taken = BTreeSet::new();
        for (i, a) in doc.annotations.iter().enumerate() {
            let Kind::Note { n } = &a.kind else { continue };
            let clean: String =
                n.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { 'x' }).collect();
            let base = format!("note-{clean}");
            let mut id = base.clone();
            let mut k = 1;
            while !taken.insert(id.clone()) {
                k += 1;
                id = format!("{base}.{k}");
            }
            ids.by_label.entry(&**n).or_insert_with(|| id.clone());
            ids.by_annotation.insert(i, id);
        }
        ids
    }
}
