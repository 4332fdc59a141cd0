//! Vietnamese search: folding (case and diacritics) and ranking of procedures for a query.
//!
//! Citizens type on phones without Vietnamese keyboards, so "dang ky khai sinh",
//! "ĐĂNG KÝ KHAI SINH" and "khai sinh" must all find "Đăng ký khai sinh". Everything here is
//! pure: the database stores folded text made by [`fold`], a [`SearchQuery`] reads what was
//! asked, and a [`SearchIndex`] built from the catalogue ranks the procedures.

mod index;
mod query;
mod vocabulary;

pub use index::{SearchDocument, SearchFilter, SearchIndex};
pub use query::{Request, SearchQuery};

use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips Vietnamese diacritics (`đ` → `d`), keeping letters and digits and
/// turning every other character into a single space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut last_was_space = true;
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        if ch.is_alphanumeric() {
            folded.extend(ch.to_lowercase());
            last_was_space = false;
        } else if !last_was_space {
            folded.push(' ');
            last_was_space = true;
        }
    }
    if folded.ends_with(' ') {
        folded.pop();
    }
    folded
}

/// The text without its Vietnamese diacritics (`Đ` → `D`), case and punctuation kept: what a
/// non-Unicode SMS can carry.
pub fn strip_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|ch| !is_combining_mark(*ch))
        .map(|ch| match ch {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

/// Vietnamese tone and vowel marks decompose (NFD) into combining marks in U+0300–U+036F.
fn is_combining_mark(ch: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("ĐĂNG KÝ KHAI SINH"), "dang ky khai sinh");
        assert_eq!(fold("Chứng thực bản sao"), "chung thuc ban sao");
        assert_eq!(fold("Trợ cấp hưu trí xã hội"), "tro cap huu tri xa hoi");
        assert_eq!(fold("ưởng ỡ ặ ự ỵ"), "uong o a u y");
    }

    #[test]
    fn folding_turns_punctuation_into_single_spaces() {
        assert_eq!(
            fold("  Luật 47/2014/QH13;  (sửa đổi) "),
            "luat 47 2014 qh13 sua doi"
        );
        assert_eq!(fold("---"), "");
    }

    #[test]
    fn folding_handles_precomposed_and_decomposed_input_alike() {
        let precomposed = "Kết hôn";
        let decomposed: String = precomposed.nfd().collect();
        assert_ne!(precomposed, decomposed);
        assert_eq!(fold(precomposed), fold(&decomposed));
    }
}
