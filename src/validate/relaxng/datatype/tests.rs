//! Unit tests of datatypes and XSD regex translation.
