//! Unit tests of the RELAX NG engine: schema compilation, derivatives, recovery, input.
