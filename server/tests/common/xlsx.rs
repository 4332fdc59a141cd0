//! Reads an .xlsx back without a spreadsheet library: it is a zip of XML parts, and the cells
//! this project writes are plain numbers or shared strings.

use std::io::Read;

/// The text of a part of the workbook (a file inside the zip).
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text between `open`'s end and the next `close`, for every occurrence.
fn elements<'a>(xml: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(open) {
        let after = &rest[start..];
        let Some(end) = after.find(close) else { break };
        found.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    found
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// The rows of sheet `number` (1 = the first) as text: shared strings resolved, numbers as
/// written, empty cells left out.
pub fn sheet_rows(bytes: &[u8], number: usize) -> Vec<Vec<String>> {
    let strings: Vec<String> = elements(&part(bytes, "xl/sharedStrings.xml"), "<si>", "</si>")
        .into_iter()
        .map(|si| {
            elements(si, "<t", "</t>")
                .into_iter()
                .map(|t| unescape(&t[t.find('>').unwrap() + 1..]))
                .collect()
        })
        .collect();
    let sheet = part(bytes, &format!("xl/worksheets/sheet{number}.xml"));
    elements(&sheet, "<row ", "</row>")
        .into_iter()
        .map(|row| {
            elements(row, "<c ", "</c>")
                .into_iter()
                .filter_map(|cell| {
                    let tag = &cell[..cell.find('>')?];
                    let value = elements(cell, "<v>", "</v>")
                        .first()?
                        .trim_start_matches("<v>");
                    Some(match attribute(tag, "t") {
                        Some("s") => strings[value.parse::<usize>().ok()?].clone(),
                        _ => value.to_owned(),
                    })
                })
                .collect()
        })
        .collect()
}

/// The names of the sheets, in order.
pub fn sheet_names(bytes: &[u8]) -> Vec<String> {
    elements(&part(bytes, "xl/workbook.xml"), "<sheet ", "/>")
        .into_iter()
        .filter_map(|sheet| attribute(sheet, "name").map(unescape))
        .collect()
}
