//! Tables: tab-led one-cell-per-line Word exports, tab- or pipe-separated rows, Markdown tables.
