//! Unit tests (written next).
