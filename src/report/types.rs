//! What the report's pages are made from, apart from the module that gathers it, so that the
//! pages name it without importing `mod.rs`.

use crate::batch::IndexRow;
use crate::contract::Document;

/// One input (or e-mail attachment, archive member) of the batch, as the report shows it.
pub(crate) struct Entry {
    pub row: IndexRow,
    pub doc: Option<Document>,
    /// Why the row's document could not be read, when it is `ok` but its JSON is not there.
    pub unreadable: Option<String>,
    /// The document's page, relative to the report folder.
    pub page: Option<String>,
}
