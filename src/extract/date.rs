//! Vietnamese dates.
