//! The words citizens use, against the words of procedure names (all folded).
//!
//! Where each entry comes from is written in docs/search.md: the procedures' own names and
//! their abbreviations, the names in use before the 2023 residence and 2024 identity reforms,
//! and the phrasing of citizens' questions in public Q&A material. An entry never replaces what
//! the citizen typed: it adds a second reading, and a procedure is scored by the better one.

/// Words that carry no meaning for finding a procedure ("thủ tục làm giấy ..." asks for the
/// "giấy ..."); they are dropped from queries unless nothing else is left.
pub(super) const STOP_WORDS: &[&str] = &[
    "lam", "xin", "cua", "va", "nao", "o", "gi", "nhung", "cac", "mot", "toi", "muon", "bi",
    "phai", "nhu", "duoc", "khong", "a", "nhe", "voi", "ve", "hay", "la", "gium", "giup", "em",
    "anh", "ai", "co", "khi", "thi", "da", "roi", "nay", "neu",
];

/// Question phrases around the real request ("… ở đâu", "… cần giấy tờ gì"): dropped before
/// anything else, as whole phrases, because their words alone can mean something ("hồ sơ").
pub(super) const QUESTION_PHRASES: &[&str] = &[
    "can nhung giay to gi",
    "can giay to gi",
    "can nhung gi",
    "gom nhung gi",
    "giay to gi",
    "nhu the nao",
    "lam the nao",
    "lam sao",
    "o dau",
    "bao lau",
    "mat bao lau",
    "bao nhieu tien",
    "bao nhieu",
    "thu tuc",
    "the nao",
    // Where, not what: "phường" folds to the "phương" of "phương tiện".
    "cong an xa",
    "cong an phuong",
    "ubnd xa",
    "ubnd phuong",
    "o ubnd",
    "o ubnd xa",
    "o ubnd phuong",
];

/// Where the citizen means to go, at the end of a query only ("công chứng ở phường"; "nhà ở
/// xã hội" keeps its words).
pub(super) const TRAILING_PLACES: &[&str] = &["o xa", "o phuong", "tai xa", "tai phuong"];

/// Phrases that come with a request without naming it, but are part of some names ("người đã
/// có hồ sơ"): fillers, not dropped.
pub(super) const FILLER_PHRASES: &[&str] = &["ho so"];

/// Words that often come with a request without naming it ("giấy", "cho con", "người"): they
/// may help a procedure that holds them, but never count as the request, so adding one cannot
/// turn a right answer into a wrong one.
pub(super) const FILLER_WORDS: &[&str] = &["giay", "cho", "con", "be", "nguoi", "moi"];

/// Abbreviations, in queries and in procedure names alike ("Cấp thẻ BHYT", "rút bhxh"): a
/// name holding one is also found by the words it stands for, and the other way round.
pub(super) const ABBREVIATIONS: &[(&str, &str)] = &[
    ("bhxh", "bao hiem xa hoi"),
    ("bhyt", "bao hiem y te"),
    ("bhtn", "bao hiem that nghiep"),
    ("bhtnld", "bao hiem tai nan lao dong"),
    ("tnld", "tai nan lao dong"),
    ("bnn", "benh nghe nghiep"),
    ("dsphsk", "duong suc phuc hoi suc khoe"),
    ("ubnd", "uy ban nhan dan"),
    ("htx", "hop tac xa"),
    ("gcn", "giay chung nhan"),
    ("qsdd", "quyen su dung dat"),
    ("gpxd", "giay phep xay dung"),
    ("gplx", "giay phep lai xe"),
    ("hkd", "ho kinh doanh"),
    ("tncn", "thu nhap ca nhan"),
    ("gtgt", "gia tri gia tang"),
    ("kbnn", "kho bac nha nuoc"),
    ("kcb", "kham chua benh"),
    ("cccd", "can cuoc"),
    ("cmnd", "chung minh nhan dan"),
    ("cmt", "chung minh nhan dan"),
    ("btxh", "bao tro xa hoi"),
    ("gks", "khai sinh"),
    ("ks", "khai sinh"),
    ("hn", "hon nhan"),
    ("dk", "dang ky"),
    ("dky", "dang ky"),
    ("dkkd", "dang ky kinh doanh"),
    ("mst", "ma so thue"),
];

/// What citizens type → the words procedure names use. Longer phrases are tried first, so
/// "cắt hộ khẩu" is not read as "hộ khẩu"; a phrase may have several official readings.
pub(super) const SYNONYMS: &[(&str, &str)] = &[
    // Spelling: "ki" and "ky" are both written.
    ("ki", "ky"),
    // Civil status: the paper wanted, not the procedure.
    ("lam giay khai sinh", "dang ky khai sinh"),
    ("lam khai sinh", "dang ky khai sinh"),
    ("lam giay chung tu", "dang ky khai tu"),
    ("giay chung tu", "khai tu"),
    // "chứng từ" (a voucher, in customs and tax names) folds the same: the typed reading stays.
    ("chung tu", "khai tu"),
    ("giay bao tu", "khai tu"),
    ("bao tu", "khai tu"),
    ("nguoi nuoc ngoai", "yeu to nuoc ngoai"),
    // Read as a whole, so that "người" (a filler) and "có" (a stop word) stay in it.
    ("nguoi co cong", "nguoi co cong"),
    ("lay vo", "ket hon"),
    ("lay chong", "ket hon"),
    ("doc than", "tinh trang hon nhan"),
    ("sua ten", "thay doi cai chinh ho tich"),
    ("doi ten", "thay doi cai chinh ho tich"),
    ("trich luc", "ban sao trich luc ho tich"),
    ("mat giay", "ban sao trich luc"),
    ("mat giay", "cap lai"),
    ("sua", "cai chinh"),
    ("sai", "cai chinh"),
    ("nhan con nuoi", "nuoi con nuoi"),
    ("xin con nuoi", "nuoi con nuoi"),
    ("nhan con", "nhan cha me con"),
    ("nhan cha con", "nhan cha me con"),
    ("nhan me con", "nhan cha me con"),
    ("nhan bo", "nhan cha me con"),
    ("ngoai gia thu", "nhan cha me con"),
    ("lan tay", "diem chi"),
    // Certification: citizens say "công chứng" for what the commune certifies.
    ("cong chung", "chung thuc"),
    ("sao y", "chung thuc ban sao"),
    ("photo", "ban sao"),
    ("hop dong", "giao dich"),
    ("mua ban", "giao dich"),
    ("chia thua ke", "phan chia di san"),
    ("thua ke", "di san"),
    // Residence: names from before the 2023 reform (the household book).
    ("nhap ho khau", "dang ky thuong tru"),
    ("nhap khau", "dang ky thuong tru"),
    ("chuyen khau", "dang ky thuong tru"),
    ("chuyen ho khau", "dang ky thuong tru"),
    ("tach khau", "dang ky thuong tru"),
    ("tach ho", "dang ky thuong tru"),
    ("cat ho khau", "xoa dang ky thuong tru"),
    ("cat khau", "xoa dang ky thuong tru"),
    ("xoa ho khau", "xoa dang ky thuong tru"),
    ("so ho khau", "thuong tru"),
    ("ho khau", "thuong tru"),
    ("kt3", "tam tru"),
    ("doi chu ho", "dieu chinh thong tin cu tru"),
    // Identity: the cards before the 2024 reform.
    ("chung minh thu", "can cuoc"),
    ("chung minh nhan dan", "can cuoc"),
    ("cmnd", "can cuoc"),
    ("cmt", "can cuoc"),
    ("cccd", "can cuoc cong dan"),
    ("passport", "ho chieu"),
    ("doi cccd", "cap doi the can cuoc"),
    ("doi can cuoc", "cap doi the can cuoc"),
    ("bang lai", "giay phep lai xe"),
    // Social insurance and benefits.
    ("rut bao hiem", "huong bao hiem"),
    ("rut bhxh", "huong bao hiem xa hoi"),
    ("mua bao hiem", "dong bao hiem"),
    ("mua bhyt", "dong bhyt"),
    ("mua bao hiem y te", "dong bao hiem y te"),
    ("tro cap mai tang", "che do tu tuat"),
    ("mai tang", "tu tuat"),
    ("tien tuat", "tu tuat"),
    // Land and building.
    ("so do", "giay chung nhan quyen su dung dat"),
    ("so hong", "giay chung nhan quyen su dung dat"),
    ("tho cu", "dat o"),
    ("dat vuon", "dat nong nghiep"),
    ("len tho cu", "chuyen muc dich su dung dat"),
    ("chuyen dat", "chuyen muc dich su dung dat"),
    ("sang ten so do", "chuyen nhuong quyen su dung dat"),
    ("sua nha", "sua chua cai tao"),
    ("xin phep", "giay phep"),
    // Businesses and vehicles.
    (
        "giay phep kinh doanh",
        "giay chung nhan dang ky ho kinh doanh",
    ),
    ("ho ca the", "ho kinh doanh"),
    ("ca the", "ho kinh doanh"),
    ("dong cua", "cham dut hoat dong"),
    ("giai the", "cham dut hoat dong"),
    ("doi dia chi", "thay doi noi dung dang ky"),
    ("nguoi dai dien", "thay doi noi dung dang ky"),
    ("dang ky ho kinh doanh", "dang ky thanh lap ho kinh doanh"),
    ("mo ho kinh doanh", "dang ky thanh lap ho kinh doanh"),
    ("ma so thue", "dang ky thue"),
    ("thue khoan", "khai thue ho kinh doanh"),
    ("sang ten", "thay doi chu"),
    // Circular 79/2024/TT-BCA calls selling, giving and inheriting a vehicle "chuyển quyền sở
    // hữu xe", which the procedure's name calls "đăng ký sang tên xe".
    ("cho tang xe", "sang ten xe"),
    ("tang cho xe", "sang ten xe"),
    ("chuyen nhuong xe", "sang ten xe"),
    // "Cà vẹt" (from the French "carte verte"): the vehicle's registration certificate.
    ("ca vet", "chung nhan dang ky xe"),
    ("cavet", "chung nhan dang ky xe"),
    ("thuyen", "phuong tien thuy noi dia"),
    ("gieng khoan", "khai thac nuoc duoi dat"),
    ("gieng", "nuoc duoi dat"),
    ("online", "truc tuyen"),
    // The English site's visitors (issue 17): what the procedures are called in English.
    ("birth certificate", "khai sinh"),
    ("birth registration", "dang ky khai sinh"),
    ("register a birth", "dang ky khai sinh"),
    ("birth", "khai sinh"),
    ("marriage certificate", "dang ky ket hon"),
    ("marriage registration", "dang ky ket hon"),
    ("marriage", "ket hon"),
    ("marital status", "tinh trang hon nhan"),
    ("death certificate", "khai tu"),
    ("death registration", "dang ky khai tu"),
    ("death", "khai tu"),
    ("certified copy", "chung thuc ban sao"),
    ("permanent residence", "thuong tru"),
    ("temporary residence", "tam tru"),
];

/// Words that name who a request is for ("cho mẹ", "bố mất"): context, like filler words,
/// unless a phrase above gives them a meaning.
pub(super) const FAMILY_WORDS: &[&str] = &["bo", "me", "cha", "ong", "chau", "vo", "chong", "chi"];

/// What an abbreviation stands for, when `word` is one.
pub(super) fn spelt_out(word: &str) -> Option<&'static str> {
    ABBREVIATIONS
        .iter()
        .find(|(short, _)| *short == word)
        .map(|(_, long)| *long)
}

/// Number words, as a query may write what a procedure writes in digits ("sáu tuổi", "6 tuổi",
/// "06 tuổi"). "lăm" and "tư" are the forms used after "mươi"/"mười" ("mười lăm", "hai mươi tư").
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("mot", 1),
    ("hai", 2),
    ("ba", 3),
    ("bon", 4),
    ("tu", 4),
    ("nam", 5),
    ("lam", 5),
    ("sau", 6),
    ("bay", 7),
    ("tam", 8),
    ("chin", 9),
];

/// Words a count is about: a number word is only read as a number beside one of them, so
/// "ba" (father) and "nam" (year, south) keep their meaning elsewhere.
const COUNTED_WORDS: &[&str] = &[
    "tuoi", "lan", "thang", "ngay", "nam", "so", "con", "ban", "trang", "nguoi", "thua",
];
const COUNT_PREFIXES: &[&str] = &["duoi", "tren", "du", "tu", "qua", "hon"];

fn digit_of(word: &str) -> Option<u32> {
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, n)| *n)
}

/// Reads a number written in words at the start of `words` ("tám mươi", "mười lăm", "sáu"):
/// the value and how many words it took.
fn number_at(words: &[&str]) -> Option<(u32, usize)> {
    let first = *words.first()?;
    let (tens, mut used) = if first == "muoi" {
        (10, 1)
    } else {
        let digit = digit_of(first)?;
        if words.get(1).is_some_and(|w| *w == "muoi" || *w == "chuc") {
            (digit * 10, 2)
        } else {
            return Some((digit, 1));
        }
    };
    let mut value = tens;
    if let Some(unit) = words.get(used).and_then(|w| digit_of(w))
        && words.get(used).is_some_and(|w| *w != "nam" || tens > 0)
    {
        value += unit;
        used += 1;
    }
    Some((value, used))
}

/// A number at the start of `words` that counts something (followed by a counted word or
/// preceded by "dưới", "trên", … in `previous`), in its other writing: digits for words
/// ("sáu" → "6"), a word for small digits ("1" → "mot"); and how many words it took.
pub(super) fn counted_number(words: &[&str], previous: Option<&str>) -> Option<(String, usize)> {
    let (other, used) = match number_at(words) {
        Some((value, used)) => (value.to_string(), used),
        None => {
            let value: u32 = words.first()?.parse().ok()?;
            let word = NUMBER_WORDS
                .iter()
                .find(|(w, n)| *n == value && !["lam", "tu"].contains(w))
                .map(|(w, _)| *w)
                .or((value == 10).then_some("muoi"))?;
            (word.to_owned(), 1)
        }
    };
    let after = words.get(used).copied();
    // "làm sổ đỏ" is not "5 sổ": a number word that is also a stop word needs "dưới", "trên", …
    let counted_after =
        after.is_some_and(|w| COUNTED_WORDS.contains(&w)) && !STOP_WORDS.contains(&words[0]);
    let counts = counted_after || previous.is_some_and(|w| COUNT_PREFIXES.contains(&w));
    counts.then_some((other, used))
}

/// The words of folded text, as queries and procedures alike are read: digits name a number
/// however they are padded ("06" and "6" are one word).
pub(super) fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(' ')
        .filter(|word| !word.is_empty())
        .map(normalise_token)
}

fn normalise_token(token: &str) -> &str {
    if token.len() > 1 && token.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = token.trim_start_matches('0');
        if trimmed.is_empty() { "0" } else { trimmed }
    } else {
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_become_digits_only_where_they_count() {
        assert_eq!(
            counted_number(&["sau", "tuoi"], None),
            Some(("6".into(), 1))
        );
        assert_eq!(
            counted_number(&["tam", "muoi", "tuoi"], Some("tren")),
            Some(("80".into(), 2))
        );
        assert_eq!(
            counted_number(&["muoi", "lam", "ngay"], None),
            Some(("15".into(), 2))
        );
        assert_eq!(
            counted_number(&["hai", "muoi", "tu"], Some("du")),
            Some(("24".into(), 3))
        );
        assert_eq!(counted_number(&["1", "lan"], None), Some(("mot".into(), 1)));
        // "ba" is also "father", "năm" also "year".
        assert_eq!(counted_number(&["ba", "me"], None), None);
        assert_eq!(counted_number(&["nam", "2025"], None), None);
        assert_eq!(counted_number(&["lam", "so", "do"], None), None);
    }

    #[test]
    fn padded_digits_are_one_word() {
        assert_eq!(normalise_token("06"), "6");
        assert_eq!(normalise_token("00"), "0");
        assert_eq!(normalise_token("2025"), "2025");
        assert_eq!(normalise_token("qh13"), "qh13");
    }
}
