//! Citizen pages, rendered on the server.

pub mod back_office;
pub mod catalogue;
pub mod centers;
pub mod certification;
pub mod filing;
pub mod forms;
pub mod home;
pub mod layout;
pub mod papers;
pub mod statistics;
pub mod tracking;
pub mod upload;

use crate::paths;

/// Whether the page at `path` has an island and so loads the WebAssembly bundle: the documents
/// step and the supplement page (upload progress) and the counter intake (procedure search).
/// Every other page is plain HTML; the procedure page adds only its checklist's small script.
pub fn page_has_islands(path: &str) -> bool {
    [
        paths::DRAFT_DOCUMENTS_ROUTE,
        paths::SUPPLEMENT,
        paths::INTAKE,
    ]
    .into_iter()
    .any(|pattern| paths::matches(pattern, path))
}

#[cfg(test)]
mod tests {
    use super::page_has_islands;

    #[test]
    fn only_pages_with_an_island_load_the_bundle() {
        assert!(page_has_islands("/ho-so-nhap/ABCDEFGHJKMNPQRS/giay-to"));
        assert!(page_has_islands("/can-bo/tiep-nhan"));
        assert!(page_has_islands("/tra-cuu/bo-sung"));
        for path in [
            "/",
            "/thu-tuc",
            "/thu-tuc/",
            "/thu-tuc/a/b",
            "/thu-tuc/1.001193",
            "/thu-tuc/1.001193/nop-truc-tuyen",
            "/ho-so-nhap/ABCDEFGHJKMNPQRS/nguoi-nop",
            "/giay-hen",
            "/tra-cuu",
            "/ngon-ngu/en",
        ] {
            assert!(!page_has_islands(path), "{path}");
        }
    }
}
