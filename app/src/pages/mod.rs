//! Citizen pages, rendered on the server.

pub mod catalogue;
pub mod checklist;
pub mod home;
pub mod layout;
pub mod procedure;

/// Whether the page at `path` has an island and so loads the WebAssembly bundle. Every other
/// page is plain HTML and ships no JavaScript at all.
pub fn page_has_islands(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/thu-tuc/") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [code] => !code.is_empty(),
        [code, "nop-truc-tuyen"] => !code.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::page_has_islands;

    #[test]
    fn only_procedure_pages_load_the_bundle() {
        assert!(page_has_islands("/thu-tuc/1.001193"));
        assert!(page_has_islands("/thu-tuc/1.001193/nop-truc-tuyen"));
        for path in ["/", "/thu-tuc", "/thu-tuc/", "/thu-tuc/a/b", "/ngon-ngu/en"] {
            assert!(!page_has_islands(path), "{path}");
        }
    }
}
