//! Reading an uploaded file (the multipart field `file`) into memory, bounded. Every in-memory
//! upload of the app (partner import, living wages, participant files, agreement files) goes
//! through [`read_file`]; the QCEW data page streams its uploads to disk instead.

use crate::error::AppError;
use axum::extract::Multipart;

/// The bytes of the multipart field `file`, and its name (`name_of` the browser's file name,
/// `None` when it sent none); at most `max` bytes, else `BadRequest(too_big(name))` before the
/// rest is read. `None` when the form has no `file` field. A connection cut mid-upload is a
/// `BadRequest` that says so. If several `file` fields come, the last one wins.
pub async fn read_file(
    multipart: &mut Multipart,
    name_of: impl Fn(Option<&str>) -> String,
    max: usize,
    too_big: impl Fn(&str) -> String,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let cut = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("the upload was cut off: {e}"))
    };
    let mut got = None;
    while let Some(mut field) = multipart.next_field().await.map_err(cut)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = name_of(field.file_name());
        let mut buf = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(cut)? {
            if buf.len() + chunk.len() > max {
                return Err(AppError::BadRequest(too_big(&name)));
            }
            buf.extend_from_slice(&chunk);
        }
        got = Some((name, buf));
    }
    Ok(got)
}
