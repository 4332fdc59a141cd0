//! A signature added to a finished PDF as an incremental update (ISO 32000-1 §7.5.6, §12.8):
//! the original bytes stay as they are; after them come a signature dictionary, an invisible
//! signature field on the last page, the catalog and that page again (now naming the field), a
//! cross-reference section and a trailer pointing back to the original's. The signature covers
//! every byte of the file but its own hex string (`/ByteRange`).
//!
//! It reads only what our own PDFs (krilla's) are: a classic cross-reference table, a catalog
//! without a form, pages without annotations; anything else is refused, not guessed at.

use super::{Signer, SigningError, cms};
use app::domain::calendar::{Date, vietnam_second_of_day};
use ring::digest::{Context, SHA256};
use std::collections::HashMap;
use std::fmt::Write as _;

/// What the signature dictionary says of itself, beside the signature.
pub struct SignatureDetails<'a> {
    pub signer_name: &'a str,
    pub reason: &'a str,
    pub location: &'a str,
    /// Unix seconds; written as `/M` in Vietnam's time.
    pub signed_at: i64,
}

const BYTE_RANGE_WIDTH: usize = 10;

fn refuse(why: &'static str) -> SigningError {
    SigningError::Document(why)
}

/// The bytes of `pdf` with a PAdES signature by `signer` added.
pub fn sign_pdf(
    pdf: &[u8],
    signer: &dyn Signer,
    details: &SignatureDetails<'_>,
) -> Result<Vec<u8>, SigningError> {
    let original = Original::read(pdf)?;
    let catalog = original.object(original.root)?;
    if find_key(catalog, b"/AcroForm").is_some() {
        return Err(refuse("the document already has a form"));
    }
    let pages = reference(catalog, b"/Pages").ok_or(refuse("the catalog names no pages"))?;
    let page = original.last_page(pages)?;
    let page_body = original.object(page)?;
    if find_key(page_body, b"/Annots").is_some() {
        return Err(refuse("the last page already has annotations"));
    }

    let signature_object = original.size;
    let field_object = original.size + 1;
    // Room for the chain, the signature and the attributes, with margin; unused room is zeros.
    let capacity = signer.chain().iter().map(Vec::len).sum::<usize>() + 4096;

    let mut update = Vec::new();
    let mut offsets: Vec<(u32, usize)> = Vec::new();
    let base = pdf.len() + usize::from(!pdf.ends_with(b"\n"));
    let begin = |update: &mut Vec<u8>, number: u32, offsets: &mut Vec<(u32, usize)>| {
        offsets.push((number, base + update.len()));
        update.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
    };

    begin(&mut update, signature_object, &mut offsets);
    update.extend_from_slice(
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n/ByteRange [",
    );
    let byte_range_at = base + update.len();
    update.extend_from_slice(&[b' '; 4 * (BYTE_RANGE_WIDTH + 1)]);
    update.extend_from_slice(b"]\n/Contents ");
    let contents_at = base + update.len();
    update.push(b'<');
    update.extend(std::iter::repeat_n(b'0', capacity * 2));
    update.push(b'>');
    let contents_end = base + update.len();
    let mut rest = String::new();
    let _ = write!(
        rest,
        "\n/M ({})\n/Name {}\n/Reason {}\n/Location {}\n>>\nendobj\n",
        pdf_date(details.signed_at),
        text_string(details.signer_name),
        text_string(details.reason),
        text_string(details.location),
    );
    update.extend_from_slice(rest.as_bytes());

    begin(&mut update, field_object, &mut offsets);
    update.extend_from_slice(
        format!(
            "<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect [0 0 0 0]\n\
             /T {} /V {signature_object} 0 R /P {page} 0 R >>\nendobj\n",
            text_string("Chứng thực")
        )
        .as_bytes(),
    );

    begin(&mut update, original.root, &mut offsets);
    update.extend_from_slice(&with_entry(
        catalog,
        &format!("/AcroForm << /Fields [{field_object} 0 R] /SigFlags 3 >>"),
    )?);
    update.extend_from_slice(b"\nendobj\n");

    begin(&mut update, page, &mut offsets);
    update.extend_from_slice(&with_entry(
        page_body,
        &format!("/Annots [{field_object} 0 R]"),
    )?);
    update.extend_from_slice(b"\nendobj\n");

    let xref_at = base + update.len();
    offsets.sort_unstable();
    update.extend_from_slice(b"xref\n");
    for (number, offset) in &offsets {
        update.extend_from_slice(format!("{number} 1\n{offset:010} 00000 n\r\n").as_bytes());
    }
    let mut trailer = format!(
        "trailer\n<< /Size {} /Root {} 0 R /Prev {}",
        original.size + 2,
        original.root,
        original.xref_at
    );
    for extra in [&original.info, &original.id].into_iter().flatten() {
        trailer.push(' ');
        trailer.push_str(extra);
    }
    let _ = write!(trailer, " >>\nstartxref\n{xref_at}\n%%EOF\n");
    update.extend_from_slice(trailer.as_bytes());

    let mut signed = Vec::with_capacity(base + update.len());
    signed.extend_from_slice(pdf);
    if !pdf.ends_with(b"\n") {
        signed.push(b'\n');
    }
    signed.extend_from_slice(&update);

    let ranges = [0, contents_at, contents_end, signed.len() - contents_end];
    let written = ranges
        .iter()
        .map(|value| format!("{value:<BYTE_RANGE_WIDTH$}"))
        .collect::<Vec<_>>()
        .join(" ");
    signed[byte_range_at..byte_range_at + written.len()].copy_from_slice(written.as_bytes());

    let mut context = Context::new(&SHA256);
    context.update(&signed[..contents_at]);
    context.update(&signed[contents_end..]);
    let cms = cms::signed_data(signer, context.finish().as_ref())?;
    if cms.len() > capacity {
        return Err(SigningError::Encoding(format!(
            "the signature ({} bytes) is larger than its room ({capacity})",
            cms.len()
        )));
    }
    let hex = hex::encode_upper(&cms);
    signed[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(signed)
}

/// `D:YYYYMMDDHHmmSS+07'00'`, the PDF date of a moment in Vietnam.
fn pdf_date(unix_seconds: i64) -> String {
    let Date { year, month, day } = Date::in_vietnam(unix_seconds);
    let second = vietnam_second_of_day(unix_seconds);
    format!(
        "D:{year:04}{month:02}{day:02}{:02}{:02}{:02}+07'00'",
        second / 3600,
        second % 3600 / 60,
        second % 60
    )
}

/// A PDF text string in UTF-16BE with its byte-order mark, as hex: Vietnamese letters survive.
fn text_string(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// A dictionary's bytes with one more entry before its closing `>>`.
fn with_entry(dictionary: &[u8], entry: &str) -> Result<Vec<u8>, SigningError> {
    let close = dictionary
        .windows(2)
        .rposition(|pair| pair == b">>")
        .ok_or(refuse("an object is not a dictionary"))?;
    let mut changed = dictionary[..close].to_vec();
    changed.push(b' ');
    changed.extend_from_slice(entry.as_bytes());
    changed.push(b' ');
    changed.extend_from_slice(&dictionary[close..]);
    Ok(changed)
}

/// Where `key` starts in `dictionary`, as a whole name (`/Pages` is not `/PagesX`).
pub(super) fn find_key(dictionary: &[u8], key: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = find(&dictionary[from..], key) {
        let at = from + found;
        let after = dictionary.get(at + key.len()).copied();
        if after.is_none_or(|byte| !is_regular(byte)) {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

fn is_regular(byte: u8) -> bool {
    !byte.is_ascii_whitespace() && !b"()<>[]{}/%".contains(&byte)
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The words after `key` in `dictionary`, up to the next delimiter that ends its value.
fn value_after<'a>(dictionary: &'a [u8], key: &[u8]) -> Option<&'a str> {
    let at = find_key(dictionary, key)? + key.len();
    let rest = std::str::from_utf8(&dictionary[at..]).ok()?;
    Some(rest.trim_start())
}

/// The whole number that starts `text`, and what follows it.
fn leading_number(text: &str) -> Option<(u32, &str)> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    Some((text[..end].parse().ok()?, &text[end..]))
}

/// The number after `key` (`/Size 24/Root…` and `/Size 24 /Root…` alike).
fn number(dictionary: &[u8], key: &[u8]) -> Option<u32> {
    leading_number(value_after(dictionary, key)?).map(|(number, _)| number)
}

/// The object number of an indirect reference `N G R` after `key`.
fn reference(dictionary: &[u8], key: &[u8]) -> Option<u32> {
    let (number, rest) = leading_number(value_after(dictionary, key)?)?;
    let (_, rest) = leading_number(rest.trim_start())?;
    rest.trim_start().starts_with('R').then_some(number)
}

/// The parts of a finished PDF that an update needs.
struct Original<'a> {
    pdf: &'a [u8],
    offsets: HashMap<u32, usize>,
    xref_at: usize,
    size: u32,
    root: u32,
    info: Option<String>,
    id: Option<String>,
}

impl<'a> Original<'a> {
    fn read(pdf: &'a [u8]) -> Result<Original<'a>, SigningError> {
        let startxref = pdf
            .windows(9)
            .rposition(|window| window == b"startxref")
            .ok_or(refuse("no startxref"))?;
        let xref_at: usize = std::str::from_utf8(&pdf[startxref + 9..])
            .ok()
            .and_then(|rest| rest.split_ascii_whitespace().next())
            .and_then(|word| word.parse().ok())
            .ok_or(refuse("startxref is not a number"))?;
        let section = pdf
            .get(xref_at..startxref)
            .ok_or(refuse("startxref is out of the file"))?;
        let section =
            std::str::from_utf8(section).map_err(|_| refuse("the trailer is not text"))?;
        let (table, trailer) = section
            .strip_prefix("xref")
            .and_then(|rest| rest.split_once("trailer"))
            .ok_or(refuse("no classic cross-reference table"))?;
        let offsets = read_table(table)?;
        let trailer = trailer.as_bytes();
        let size = number(trailer, b"/Size").ok_or(refuse("the trailer has no /Size"))?;
        let root = reference(trailer, b"/Root").ok_or(refuse("the trailer has no /Root"))?;
        let info = reference(trailer, b"/Info").map(|number| format!("/Info {number} 0 R"));
        let id = value_after(trailer, b"/ID")
            .and_then(|value| value.find(']').map(|end| format!("/ID {}", &value[..=end])));
        Ok(Original {
            pdf,
            offsets,
            xref_at,
            size,
            root,
            info,
            id,
        })
    }

    /// The body of object `number` (between `obj` and `endobj`), which must not be a stream.
    fn object(&self, number: u32) -> Result<&'a [u8], SigningError> {
        let at = *self
            .offsets
            .get(&number)
            .ok_or(refuse("an object is missing from the table"))?;
        let rest = &self.pdf[at..];
        let start = find(rest, b"obj").ok_or(refuse("an object has no obj"))? + 3;
        let end = find(rest, b"endobj").ok_or(refuse("an object has no endobj"))?;
        let body = rest[start..end].trim_ascii();
        if find(body, b"stream").is_some() || !body.starts_with(b"<<") {
            return Err(refuse("an object is not a plain dictionary"));
        }
        Ok(body)
    }

    /// The last page of the page tree under `pages`.
    fn last_page(&self, mut node: u32) -> Result<u32, SigningError> {
        for _ in 0..32 {
            let body = self.object(node)?;
            let kind = value_after(body, b"/Type").unwrap_or_default();
            if kind.starts_with("/Page") && !kind.starts_with("/Pages") {
                return Ok(node);
            }
            let kids = value_after(body, b"/Kids").ok_or(refuse("a page node has no kids"))?;
            let kids = kids
                .strip_prefix('[')
                .and_then(|list| list.split_once(']'))
                .ok_or(refuse("the kids are not a list"))?
                .0;
            let references: Vec<&str> = kids.split('R').map(str::trim).collect();
            node = references
                .iter()
                .rev()
                .find_map(|reference| leading_number(reference).map(|(number, _)| number))
                .ok_or(refuse("a page node has no kids"))?;
        }
        Err(refuse("the page tree is too deep"))
    }
}

/// The in-use entries of a cross-reference table: object number → offset.
fn read_table(table: &str) -> Result<HashMap<u32, usize>, SigningError> {
    let mut offsets = HashMap::new();
    let mut lines = table.lines().map(str::trim).filter(|line| !line.is_empty());
    while let Some(header) = lines.next() {
        let (first, count) = header
            .split_once(' ')
            .and_then(|(first, count)| {
                Some((first.parse::<u32>().ok()?, count.parse::<u32>().ok()?))
            })
            .ok_or(refuse("a cross-reference subsection has no header"))?;
        for number in first..first + count {
            let entry = lines
                .next()
                .ok_or(refuse("a cross-reference table is cut"))?;
            let mut fields = entry.split_ascii_whitespace();
            let offset = fields.next().and_then(|word| word.parse().ok());
            let in_use = fields.nth(1) == Some("n");
            if let (Some(offset), true) = (offset, in_use) {
                offsets.insert(number, offset);
            }
        }
    }
    Ok(offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_date_is_vietnam_time() {
        // 2026-12-07 03:04:05 UTC is 10:04:05 in Vietnam.
        assert_eq!(pdf_date(1_796_612_645), "D:20261207100405+07'00'");
    }

    #[test]
    fn text_strings_keep_vietnamese_letters() {
        assert_eq!(text_string("Xã"), "<FEFF005800E3>");
    }

    #[test]
    fn a_key_is_found_only_as_a_whole_name() {
        let dictionary = b"<< /PageLabels 3 0 R /Pages 2 0 R >>";
        assert_eq!(reference(dictionary, b"/Pages"), Some(2));
        assert_eq!(reference(b"<< /PagesX 2 0 R >>", b"/Pages"), None);
    }

    #[test]
    fn compact_dictionaries_are_read_too() {
        let trailer = b"<</Size 24/Root 23 0 R/ID[(a)(a)]>>";
        assert_eq!(number(trailer, b"/Size"), Some(24));
        assert_eq!(reference(trailer, b"/Root"), Some(23));
        assert_eq!(
            reference(b"<</Pages 1 0 R/Type/Catalog>>", b"/Pages"),
            Some(1)
        );
    }

    #[test]
    fn an_entry_goes_before_the_closing_brackets() {
        let changed = with_entry(b"<< /Type /Catalog /X << /Y 1 >> >>", "/Z 2").unwrap();
        assert_eq!(changed, b"<< /Type /Catalog /X << /Y 1 >>  /Z 2 >>");
    }
}
