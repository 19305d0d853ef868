//! The header block: issuer, Quốc hiệu, number, place and date.
