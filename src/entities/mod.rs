//! Entities stage: persons, places, organisations, dates, citations and
//! quotations, recognised against the edition's authority register.

pub mod register;
