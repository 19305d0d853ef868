//! The pipeline over an archive's members (the members themselves come from
//! [`crate::acquire::archive`]): each readable member becomes a [`Part`] of its own.

use crate::acquire::detect::Kind;
use crate::{Error, Params, Part, Rules, acquire, contract, process_acquired};

/// Archives are opened as containers; every other kind is one document.
pub(crate) fn is_archive(kind: Kind) -> bool {
    matches!(kind, Kind::Zip | Kind::SevenZip)
}

/// Hand every readable member of the archive in `bytes` to `each` as a part named
/// `<prefix><member>`. The archive's own failure (damaged, encrypted, over a limit, nothing in it
/// readable) is returned, for the caller to report as the archive's.
///
/// A member of an archive that came by e-mail keeps the message (`source.message`, with
/// `source.format` `eml`, as every attachment has).
#[allow(clippy::too_many_arguments)]
pub(crate) fn parts(
    path: &str,
    bytes: &[u8],
    kind: Kind,
    prefix: &str,
    message: Option<&contract::MessageInfo>,
    rules: &Rules,
    params: &Params,
    each: &mut impl FnMut(Part),
) -> Result<(), Error> {
    let format = acquire::archive::format_name(kind);
    let report = acquire::archive::for_each_member(bytes, kind, &params.acquire.archive, |m| {
        let result = acquire::acquire_as(&m.bytes, m.kind, &params.acquire).map(|mut acquired| {
            let message = message.map(|msg| contract::MessageInfo {
                attachment_format: Some(acquired.format),
                ..msg.clone()
            });
            if message.is_some() {
                acquired.format = contract::Format::Eml;
            }
            let mut doc = process_acquired(path, &m.bytes, acquired, rules, params);
            doc.source.message = message;
            doc.source.archive = Some(contract::ArchiveInfo {
                format: format.into(),
                member: m.path,
            });
            doc
        });
        each(Part {
            name: Some(format!("{prefix}{}", m.part)),
            result: result.map_err(Error::from),
        });
    })?;
    if report.members == 0 {
        return Err(Error::NoMembers {
            skipped: report.skipped.join(", "),
        });
    }
    Ok(())
}
