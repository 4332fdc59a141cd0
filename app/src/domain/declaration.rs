//! E-forms: the declaration (tờ khai) of the most filed procedures, asked as questions instead
//! of a paper the citizen must find, print, fill in and photograph.
//!
//! Each form's questions follow the official form, in its order and with its words (the
//! Vietnamese labels are the form's own; the English ones translate them). What the applicant
//! step already asked (name, identity number, address, phone) is not asked again: the filled
//! declaration prints it from the dossier. Sources per form: `docs/declarations.md`.
//! Pure code: the caller passes today's date.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::Date;
use super::dossier::{CitizenId, Invalid};
use super::feedback::{FormFeedback, Problem, text};
use super::procedure::{Procedure, ProcedureCase, RequiredDocument};
use super::search::fold;

/// A label in both languages: Vietnamese as the official form words it, and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub vi: &'static str,
    pub en: &'static str,
}

const fn w(vi: &'static str, en: &'static str) -> Words {
    Words { vi, en }
}

/// The declarations the system fills in from questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::VariantArray)]
pub enum DeclarationForm {
    Birth,
    Death,
    Marriage,
    MaritalStatus,
    CivilStatusCopy,
    Residence,
    SocialPension,
}

/// What kind of answer a question takes, which decides the input and the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// One line of text up to this many characters.
    Text(usize),
    /// Several lines (a list of household members, a purpose).
    LongText,
    /// A day in the past or today.
    PastDate,
    /// A date of birth of someone at least this many years old today.
    BirthDateAged(u32),
    /// A year of birth (four digits, not in the future).
    Year,
    /// A 12-digit personal identification number.
    CitizenId,
    /// One of the choices, by key.
    Choice(&'static [Choice]),
    /// A whole number from 0 to this maximum (copies asked for, a marriage's rank).
    Count(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub key: &'static str,
    pub words: Words,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The form field's name, unique within its form.
    pub key: &'static str,
    pub label: Words,
    /// An example or an explanation under the label.
    pub hint: Option<Words>,
    pub answer: Answer,
    pub required: bool,
}

/// A part of a form: "Người được khai sinh", "Cha", "Mẹ"…
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub heading: Words,
    pub questions: &'static [Question],
}

impl Section {
    /// Whether this part is about the person asking, printed with what the applicant step gave.
    pub fn about_requester(&self) -> bool {
        self.heading == REQUESTER || self.heading == PROPOSER
    }
}

const fn ask(key: &'static str, label: Words, answer: Answer) -> Question {
    Question {
        key,
        label,
        hint: None,
        answer,
        required: true,
    }
}

const fn may(key: &'static str, label: Words, answer: Answer) -> Question {
    Question {
        key,
        label,
        hint: None,
        answer,
        required: false,
    }
}

const fn hinted(question: Question, hint: Words) -> Question {
    Question {
        hint: Some(hint),
        ..question
    }
}

const SEX: &[Choice] = &[
    Choice {
        key: "nam",
        words: w("Nam", "Male"),
    },
    Choice {
        key: "nu",
        words: w("Nữ", "Female"),
    },
];

const MARITAL_STATUS: &[Choice] = &[
    Choice {
        key: "chua-ket-hon",
        words: w("Chưa đăng ký kết hôn với ai", "Never married"),
    },
    Choice {
        key: "dang-co-vo-chong",
        words: w("Đang có vợ/chồng", "Married"),
    },
    Choice {
        key: "da-ly-hon",
        words: w("Đã ly hôn, chưa kết hôn lại", "Divorced, not remarried"),
    },
    Choice {
        key: "vo-chong-da-chet",
        words: w(
            "Vợ/chồng đã chết, chưa kết hôn lại",
            "Widowed, not remarried",
        ),
    },
];

const CIVIL_STATUS_EVENT: &[Choice] = &[
    Choice {
        key: "khai-sinh",
        words: w("Khai sinh", "Birth"),
    },
    Choice {
        key: "ket-hon",
        words: w("Kết hôn", "Marriage"),
    },
    Choice {
        key: "khai-tu",
        words: w("Khai tử", "Death"),
    },
    Choice {
        key: "khac",
        words: w("Việc hộ tịch khác", "Another civil-status event"),
    },
];

const PAYMENT: &[Choice] = &[
    Choice {
        key: "tien-mat",
        words: w("Nhận tiền mặt tại xã", "In cash at the commune"),
    },
    Choice {
        key: "tai-khoan",
        words: w("Chuyển vào tài khoản", "Into a bank account"),
    },
];

const YES_NO: &[Choice] = &[
    Choice {
        key: "khong",
        words: w("Không", "No"),
    },
    Choice {
        key: "co",
        words: w("Có", "Yes"),
    },
];

/// The heading of the part about the person asking, whose name, number and residence the
/// applicant step gave.
const REQUESTER: Words = w("Người yêu cầu", "The person asking");
const PROPOSER: Words = w("Người đề nghị", "The person asking");
/// The birth form asks the child's date of birth in words too.
const CHILD_BIRTH_DATE: &str = "tre-ngay-sinh";

const NAME: Answer = Answer::Text(100);
const PLACE: Answer = Answer::Text(300);
const SHORT: Answer = Answer::Text(50);

const FULL_NAME: Words = w("Họ, chữ đệm, tên", "Full name");
const DATE_OF_BIRTH: Words = w("Ngày, tháng, năm sinh", "Date of birth");
const SEX_LABEL: Words = w("Giới tính", "Sex");
const ETHNICITY: Words = w("Dân tộc", "Ethnic group");
const NATIONALITY: Words = w("Quốc tịch", "Nationality");
const RESIDENCE: Words = w("Nơi cư trú", "Place of residence");
const PERSONAL_ID: Words = w("Số định danh cá nhân", "Personal identification number");
const ETHNICITY_HINT: Words = w("Ví dụ: Kinh", "For example: Kinh");
const NATIONALITY_HINT: Words = w("Ví dụ: Việt Nam", "For example: Viet Nam");
const ID_HINT: Words = w(
    "12 chữ số trên thẻ căn cước; bỏ trống nếu chưa có",
    "The 12 digits on the identity card; leave empty if there is none",
);
const COPIES: Words = w(
    "Đề nghị cấp bản sao: số lượng",
    "Copies requested: how many",
);
const COPIES_HINT: Words = w("Ghi 0 nếu không cần bản sao", "Write 0 if you need no copy");

const BIRTH: &[Section] = &[
    Section {
        heading: REQUESTER,
        questions: &[hinted(
            ask(
                "quan-he",
                w(
                    "Quan hệ với người được khai sinh",
                    "Relationship to the child",
                ),
                SHORT,
            ),
            w(
                "Ví dụ: cha, mẹ, ông nội, bà ngoại",
                "For example: father, mother, grandfather",
            ),
        )],
    },
    Section {
        heading: w("Người được khai sinh", "The child"),
        questions: &[
            ask("tre-ho-ten", FULL_NAME, NAME),
            ask("tre-ngay-sinh", DATE_OF_BIRTH, Answer::PastDate),
            ask("tre-gioi-tinh", SEX_LABEL, Answer::Choice(SEX)),
            hinted(ask("tre-dan-toc", ETHNICITY, SHORT), ETHNICITY_HINT),
            hinted(ask("tre-quoc-tich", NATIONALITY, SHORT), NATIONALITY_HINT),
            hinted(
                ask("tre-noi-sinh", w("Nơi sinh", "Place of birth"), PLACE),
                w(
                    "Tên cơ sở y tế, hoặc thôn, xã, tỉnh nếu sinh ở nhà",
                    "The hospital or clinic, or the village, commune and province if born at home",
                ),
            ),
            hinted(
                ask("tre-que-quan", w("Quê quán", "Home town"), PLACE),
                w(
                    "Thường là quê của cha (hoặc của mẹ, theo thỏa thuận)",
                    "Usually the father's home town (or the mother's, as agreed)",
                ),
            ),
        ],
    },
    Section {
        heading: w("Mẹ", "Mother"),
        questions: &[
            ask("me-ho-ten", FULL_NAME, NAME),
            ask("me-nam-sinh", w("Năm sinh", "Year of birth"), Answer::Year),
            hinted(ask("me-dan-toc", ETHNICITY, SHORT), ETHNICITY_HINT),
            hinted(ask("me-quoc-tich", NATIONALITY, SHORT), NATIONALITY_HINT),
            ask("me-noi-cu-tru", RESIDENCE, PLACE),
            hinted(may("me-cccd", PERSONAL_ID, Answer::CitizenId), ID_HINT),
        ],
    },
    Section {
        heading: w(
            "Cha (bỏ trống nếu chưa xác định)",
            "Father (leave empty if not known)",
        ),
        questions: &[
            may("cha-ho-ten", FULL_NAME, NAME),
            may("cha-nam-sinh", w("Năm sinh", "Year of birth"), Answer::Year),
            may("cha-dan-toc", ETHNICITY, SHORT),
            may("cha-quoc-tich", NATIONALITY, SHORT),
            may("cha-noi-cu-tru", RESIDENCE, PLACE),
            hinted(may("cha-cccd", PERSONAL_ID, Answer::CitizenId), ID_HINT),
        ],
    },
    Section {
        heading: w("Bản sao", "Copies"),
        questions: &[hinted(
            may("so-ban-sao", COPIES, Answer::Count(10)),
            COPIES_HINT,
        )],
    },
];

const DEATH: &[Section] = &[
    Section {
        heading: REQUESTER,
        questions: &[hinted(
            ask(
                "quan-he",
                w("Quan hệ với người đã chết", "Relationship to the deceased"),
                SHORT,
            ),
            w("Ví dụ: con, vợ, chồng", "For example: child, wife, husband"),
        )],
    },
    Section {
        heading: w("Người đã chết", "The deceased"),
        questions: &[
            ask("ho-ten", FULL_NAME, NAME),
            ask("ngay-sinh", DATE_OF_BIRTH, Answer::PastDate),
            ask("gioi-tinh", SEX_LABEL, Answer::Choice(SEX)),
            hinted(ask("dan-toc", ETHNICITY, SHORT), ETHNICITY_HINT),
            hinted(ask("quoc-tich", NATIONALITY, SHORT), NATIONALITY_HINT),
            hinted(may("cccd", PERSONAL_ID, Answer::CitizenId), ID_HINT),
            ask(
                "noi-cu-tru",
                w("Nơi cư trú cuối cùng", "Last place of residence"),
                PLACE,
            ),
            ask(
                "ngay-chet",
                w("Ngày chết", "Date of death"),
                Answer::PastDate,
            ),
            hinted(
                may("gio-chet", w("Giờ, phút chết", "Time of death"), SHORT),
                w("Ví dụ: 14 giờ 30 phút", "For example: 14:30"),
            ),
            ask("noi-chet", w("Nơi chết", "Place of death"), PLACE),
            ask(
                "nguyen-nhan",
                w("Nguyên nhân chết", "Cause of death"),
                Answer::Text(200),
            ),
            hinted(
                may(
                    "giay-bao-tu",
                    w(
                        "Giấy báo tử hoặc giấy tờ thay thế: số, ngày cấp, nơi cấp",
                        "Death notice or the paper that replaces it: number, date, issuer",
                    ),
                    Answer::Text(200),
                ),
                w(
                    "Ví dụ: số 12, ngày 03/11/2026, Trạm y tế xã Tân Lập",
                    "For example: no. 12, 03/11/2026, Tân Lập commune clinic",
                ),
            ),
        ],
    },
    Section {
        heading: w("Bản sao", "Copies"),
        questions: &[hinted(
            may("so-ban-sao", COPIES, Answer::Count(10)),
            COPIES_HINT,
        )],
    },
];

const MARRIAGE_TIMES: Words = w("Kết hôn lần thứ mấy", "Which marriage is this for them");
const MARRIAGE_TIMES_HINT: Words = w("Ghi 1 nếu là lần đầu", "Write 1 for a first marriage");

const MARRIAGE: &[Section] = &[
    Section {
        heading: w("Bên nữ", "The bride"),
        questions: &[
            ask("nu-ho-ten", FULL_NAME, NAME),
            hinted(
                ask("nu-ngay-sinh", DATE_OF_BIRTH, Answer::BirthDateAged(18)),
                w("Nữ phải đủ 18 tuổi", "A woman must be 18 or older"),
            ),
            hinted(ask("nu-dan-toc", ETHNICITY, SHORT), ETHNICITY_HINT),
            hinted(ask("nu-quoc-tich", NATIONALITY, SHORT), NATIONALITY_HINT),
            ask("nu-noi-cu-tru", RESIDENCE, PLACE),
            ask("nu-cccd", PERSONAL_ID, Answer::CitizenId),
            hinted(
                ask("nu-lan-ket-hon", MARRIAGE_TIMES, Answer::Count(9)),
                MARRIAGE_TIMES_HINT,
            ),
        ],
    },
    Section {
        heading: w("Bên nam", "The groom"),
        questions: &[
            ask("nam-ho-ten", FULL_NAME, NAME),
            hinted(
                ask("nam-ngay-sinh", DATE_OF_BIRTH, Answer::BirthDateAged(20)),
                w("Nam phải đủ 20 tuổi", "A man must be 20 or older"),
            ),
            hinted(ask("nam-dan-toc", ETHNICITY, SHORT), ETHNICITY_HINT),
            hinted(ask("nam-quoc-tich", NATIONALITY, SHORT), NATIONALITY_HINT),
            ask("nam-noi-cu-tru", RESIDENCE, PLACE),
            ask("nam-cccd", PERSONAL_ID, Answer::CitizenId),
            hinted(
                ask("nam-lan-ket-hon", MARRIAGE_TIMES, Answer::Count(9)),
                MARRIAGE_TIMES_HINT,
            ),
        ],
    },
];

const MARITAL: &[Section] = &[
    Section {
        heading: REQUESTER,
        questions: &[hinted(
            ask(
                "quan-he",
                w(
                    "Quan hệ với người được cấp Giấy xác nhận",
                    "Relationship to the person the paper is for",
                ),
                SHORT,
            ),
            w(
                "Ghi \"bản thân\" nếu xin cho chính mình",
                "Write \"self\" if it is for you",
            ),
        )],
    },
    Section {
        heading: w(
            "Người được cấp Giấy xác nhận tình trạng hôn nhân",
            "The person the paper is for",
        ),
        questions: &[
            ask("ho-ten", FULL_NAME, NAME),
            ask("ngay-sinh", DATE_OF_BIRTH, Answer::PastDate),
            ask("gioi-tinh", SEX_LABEL, Answer::Choice(SEX)),
            hinted(ask("dan-toc", ETHNICITY, SHORT), ETHNICITY_HINT),
            hinted(ask("quoc-tich", NATIONALITY, SHORT), NATIONALITY_HINT),
            ask("cccd", PERSONAL_ID, Answer::CitizenId),
            ask("noi-cu-tru", RESIDENCE, PLACE),
            hinted(
                may(
                    "thoi-gian-cu-tru",
                    w(
                        "Trong thời gian cư trú tại (nếu cần xác nhận nơi ở trước đây)",
                        "While living at (if an earlier address must be confirmed)",
                    ),
                    Answer::Text(200),
                ),
                w(
                    "Nơi ở và thời gian, ví dụ: thôn Đông, từ 2010 đến 2015",
                    "Place and period, for example: Đông village, 2010 to 2015",
                ),
            ),
            ask(
                "tinh-trang",
                w("Tình trạng hôn nhân", "Marital status"),
                Answer::Choice(MARITAL_STATUS),
            ),
            hinted(
                ask(
                    "muc-dich",
                    w("Mục đích sử dụng", "What the paper is for"),
                    Answer::Text(300),
                ),
                w(
                    "Nếu để kết hôn: ghi họ tên, năm sinh, nơi cư trú của người sẽ kết hôn",
                    "If for a marriage: the future spouse's name, year of birth and residence",
                ),
            ),
            hinted(
                ask(
                    "so-ban",
                    w("Số lượng Giấy xác nhận đề nghị cấp", "How many papers"),
                    Answer::Count(10),
                ),
                w("Thường là 1", "Usually 1"),
            ),
        ],
    },
];

const COPY: &[Section] = &[
    Section {
        heading: REQUESTER,
        questions: &[hinted(
            ask(
                "quan-he",
                w(
                    "Quan hệ với người được cấp bản sao",
                    "Relationship to the person named in the record",
                ),
                SHORT,
            ),
            w(
                "Ghi \"bản thân\" nếu xin cho chính mình",
                "Write \"self\" if it is for you",
            ),
        )],
    },
    Section {
        heading: w("Việc hộ tịch đã đăng ký", "The registered event"),
        questions: &[
            ask(
                "loai-viec",
                w("Loại việc hộ tịch", "Kind of event"),
                Answer::Choice(CIVIL_STATUS_EVENT),
            ),
            ask(
                "ho-ten",
                w(
                    "Họ, chữ đệm, tên người có tên trong giấy tờ",
                    "Full name in the record",
                ),
                NAME,
            ),
            ask("ngay-sinh", DATE_OF_BIRTH, Answer::PastDate),
            hinted(
                ask(
                    "noi-dang-ky",
                    w("Nơi đã đăng ký", "Where it was registered"),
                    PLACE,
                ),
                w(
                    "Ủy ban nhân dân xã (phường) đã đăng ký, kể cả tên cũ trước khi sáp nhập",
                    "The commune that registered it, including its name before a merger",
                ),
            ),
            hinted(
                may(
                    "so-dang-ky",
                    w("Số đăng ký, quyển số", "Registration number and book"),
                    SHORT,
                ),
                w(
                    "Có trên giấy cũ, nếu còn",
                    "On the old paper, if you still have it",
                ),
            ),
            may(
                "ngay-dang-ky",
                w("Ngày đăng ký", "Date registered"),
                Answer::PastDate,
            ),
            hinted(
                ask(
                    "so-ban-sao",
                    w("Số lượng bản sao đề nghị cấp", "How many copies"),
                    Answer::Count(10),
                ),
                w("Từ 1 đến 10", "From 1 to 10"),
            ),
        ],
    },
];

const RESIDENCE_FORM: &[Section] = &[
    Section {
        heading: PROPOSER,
        questions: &[
            ask("ngay-sinh", DATE_OF_BIRTH, Answer::PastDate),
            ask("gioi-tinh", SEX_LABEL, Answer::Choice(SEX)),
        ],
    },
    Section {
        heading: w("Chủ hộ", "Head of the household"),
        questions: &[
            hinted(
                ask(
                    "chu-ho",
                    w("Họ, chữ đệm và tên chủ hộ", "Name of the head"),
                    NAME,
                ),
                w(
                    "Ghi tên của bạn nếu bạn là chủ hộ",
                    "Your own name if you are the head",
                ),
            ),
            hinted(
                ask(
                    "quan-he-chu-ho",
                    w("Mối quan hệ với chủ hộ", "Relationship to the head"),
                    SHORT,
                ),
                w("Ví dụ: chủ hộ, con, vợ", "For example: head, child, wife"),
            ),
            ask(
                "cccd-chu-ho",
                w(
                    "Số định danh cá nhân của chủ hộ",
                    "Personal number of the head",
                ),
                Answer::CitizenId,
            ),
        ],
    },
    Section {
        heading: w("Nội dung đề nghị", "What you ask for"),
        questions: &[
            hinted(
                ask(
                    "noi-dung",
                    w("Nội dung đề nghị", "Your request"),
                    Answer::LongText,
                ),
                w(
                    "Ví dụ: đăng ký thường trú tại số nhà 12, thôn Đông, xã Tân Lập",
                    "For example: permanent residence at no. 12, Đông village, Tân Lập commune",
                ),
            ),
            hinted(
                may(
                    "thanh-vien",
                    w(
                        "Những thành viên trong hộ gia đình cùng thay đổi",
                        "Household members who move with you",
                    ),
                    Answer::LongText,
                ),
                w(
                    "Mỗi người một dòng: họ tên, ngày sinh, số định danh, quan hệ với chủ hộ",
                    "One person per line: name, date of birth, personal number, relationship",
                ),
            ),
        ],
    },
];

const PENSION: &[Section] = &[
    Section {
        heading: PROPOSER,
        questions: &[
            hinted(
                ask("ngay-sinh", DATE_OF_BIRTH, Answer::BirthDateAged(70)),
                w(
                    "Từ đủ 75 tuổi; từ đủ 70 tuổi nếu thuộc hộ nghèo, hộ cận nghèo",
                    "75 or older; 70 or older in a poor or near-poor household",
                ),
            ),
            ask("gioi-tinh", SEX_LABEL, Answer::Choice(SEX)),
            ask(
                "luong-huu",
                w(
                    "Đang hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng",
                    "Already receives a pension or monthly social-insurance allowance",
                ),
                Answer::Choice(YES_NO),
            ),
        ],
    },
    Section {
        heading: w("Hình thức nhận trợ cấp", "How to receive the allowance"),
        questions: &[
            ask(
                "cach-nhan",
                w("Hình thức nhận", "Paid"),
                Answer::Choice(PAYMENT),
            ),
            hinted(
                may(
                    "tai-khoan",
                    w("Số tài khoản, ngân hàng", "Account number and bank"),
                    Answer::Text(100),
                ),
                w(
                    "Chỉ khi nhận qua tài khoản",
                    "Only when paid into an account",
                ),
            ),
        ],
    },
];

impl DeclarationForm {
    /// The stable key stored with a declaration.
    pub fn key(self) -> &'static str {
        match self {
            DeclarationForm::Birth => "khai-sinh",
            DeclarationForm::Death => "khai-tu",
            DeclarationForm::Marriage => "ket-hon",
            DeclarationForm::MaritalStatus => "xac-nhan-hon-nhan",
            DeclarationForm::CivilStatusCopy => "ban-sao-trich-luc",
            DeclarationForm::Residence => "ct01",
            DeclarationForm::SocialPension => "huu-tri-xa-hoi",
        }
    }

    /// The form's title as the official form prints it.
    pub fn title(self) -> Words {
        match self {
            DeclarationForm::Birth => w("Tờ khai đăng ký khai sinh", "Birth registration form"),
            DeclarationForm::Death => w("Tờ khai đăng ký khai tử", "Death registration form"),
            DeclarationForm::Marriage => w("Tờ khai đăng ký kết hôn", "Marriage registration form"),
            DeclarationForm::MaritalStatus => w(
                "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                "Application for a marital status certificate",
            ),
            DeclarationForm::CivilStatusCopy => w(
                "Tờ khai cấp bản sao trích lục hộ tịch",
                "Application for copies of a civil-status extract",
            ),
            DeclarationForm::Residence => w(
                "Tờ khai thay đổi thông tin cư trú",
                "Residence information change form",
            ),
            DeclarationForm::SocialPension => w(
                "Tờ khai đề nghị hưởng trợ cấp hưu trí xã hội",
                "Application for the social pension allowance",
            ),
        }
    }

    /// The act that sets the form, as printed in its top corner.
    pub fn basis(self) -> &'static str {
        match self {
            DeclarationForm::Birth
            | DeclarationForm::Death
            | DeclarationForm::Marriage
            | DeclarationForm::MaritalStatus
            | DeclarationForm::CivilStatusCopy => {
                "Mẫu ban hành kèm theo Thông tư số 04/2024/TT-BTP"
            }
            DeclarationForm::Residence => "Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA",
            DeclarationForm::SocialPension => {
                "Mẫu số 01 ban hành kèm theo Nghị định số 176/2025/NĐ-CP"
            }
        }
    }

    pub fn sections(self) -> &'static [Section] {
        match self {
            DeclarationForm::Birth => BIRTH,
            DeclarationForm::Death => DEATH,
            DeclarationForm::Marriage => MARRIAGE,
            DeclarationForm::MaritalStatus => MARITAL,
            DeclarationForm::CivilStatusCopy => COPY,
            DeclarationForm::Residence => RESIDENCE_FORM,
            DeclarationForm::SocialPension => PENSION,
        }
    }

    pub fn questions(self) -> impl Iterator<Item = &'static Question> {
        self.sections()
            .iter()
            .flat_map(|section| section.questions.iter())
    }

    /// The form a required document asks for, recognised by its template's name or, where the
    /// catalogue names no template, by the document's own name ("Tờ khai … (theo mẫu)").
    pub fn of_document(document: &RequiredDocument) -> Option<DeclarationForm> {
        document
            .forms
            .iter()
            .map(|form| form.name.as_str())
            .chain(std::iter::once(document.name.as_str()))
            .find_map(|name| {
                let folded = fold(name);
                <DeclarationForm as strum::VariantArray>::VARIANTS
                    .iter()
                    .copied()
                    .find(|form| folded.starts_with(&fold(form.title().vi)))
            })
    }
}

/// The document of `case` that an e-form replaces, with its form.
pub fn declared_document(case: &ProcedureCase) -> Option<(usize, DeclarationForm)> {
    case.documents
        .iter()
        .enumerate()
        .find_map(|(index, document)| Some((index, DeclarationForm::of_document(document)?)))
}

/// The e-form of the case at `case_index` of `procedure`, when it has one.
pub fn form_of_case(procedure: &Procedure, case_index: usize) -> Option<DeclarationForm> {
    let case = procedure.cases.get(case_index)?;
    declared_document(case).map(|(_, form)| form)
}

/// The e-form some case of `procedure` asks for (the start page lists the step).
pub fn form_of_any_case(procedure: &Procedure) -> Option<DeclarationForm> {
    procedure
        .cases
        .iter()
        .find_map(declared_document)
        .map(|(_, form)| form)
}

/// Whether a document is the identity paper, which the personal identification number given in
/// the applicant step replaces: the office looks the person up in the national population
/// database instead (Resolution 66.7/2025/NQ-CP; the portal's records say so per procedure).
pub fn replaced_by_citizen_id(document: &RequiredDocument) -> bool {
    let name = fold(&document.name);
    name.starts_with("giay to tuy than")
        || name.starts_with("the can cuoc")
        || name.starts_with("can cuoc cong dan")
}

/// A filled declaration: its form and the answers, normalised (dates as `YYYY-MM-DD`, choices
/// by key, empty answers left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub form: DeclarationForm,
    pub answers: BTreeMap<String, String>,
}

/// One answered question as the filled form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownAnswer {
    pub label: Words,
    /// The answer in the reader's words: a date as `dd/mm/yyyy`, a choice by its label.
    pub text: String,
    /// A choice's words in both languages, when the answer is a choice.
    pub choice: Option<Words>,
    /// The date written out, where the form asks for it in words.
    pub in_words: Option<String>,
}

impl Declaration {
    /// Checks every question of `form` as posted and reports every problem at once.
    pub fn from_form(
        form: DeclarationForm,
        values: &BTreeMap<String, String>,
        today: Date,
    ) -> Result<Declaration, FormFeedback> {
        let mut answers = BTreeMap::new();
        let mut problems = BTreeMap::new();
        for question in form.questions() {
            let typed = values.get(question.key).map(String::as_str).unwrap_or("");
            match check(question, typed, today) {
                Ok(answer) if answer.is_empty() => {}
                Ok(answer) => {
                    answers.insert(question.key.to_owned(), answer);
                }
                Err(problem) => {
                    problems.insert(question.key.to_owned(), problem);
                }
            }
        }
        if problems.is_empty() {
            Ok(Declaration { form, answers })
        } else {
            Err(FormFeedback {
                values: values.clone(),
                problems,
            })
        }
    }

    /// The form values that show this declaration again in its form (dates as a date input
    /// takes them).
    pub fn to_form(&self) -> BTreeMap<String, String> {
        self.answers.clone()
    }

    /// Whether this declaration is the one `case` asks for.
    pub fn fits(&self, case: &ProcedureCase) -> bool {
        declared_document(case).is_some_and(|(_, form)| form == self.form)
    }

    /// The answered questions of each section, in the form's order; sections with no answer
    /// are left out.
    pub fn shown(&self) -> Vec<(&'static Section, Vec<ShownAnswer>)> {
        self.form
            .sections()
            .iter()
            .filter_map(|section| {
                let answers: Vec<ShownAnswer> = section
                    .questions
                    .iter()
                    .filter_map(|question| {
                        let answer = self.answers.get(question.key)?;
                        let mut shown = shown_answer(question, answer);
                        if self.form == DeclarationForm::Birth && question.key == CHILD_BIRTH_DATE {
                            shown.in_words = Date::parse_iso(answer).map(date_in_words);
                        }
                        Some(shown)
                    })
                    .collect();
                (!answers.is_empty()).then_some((section, answers))
            })
            .collect()
    }
}

fn shown_answer(question: &Question, answer: &str) -> ShownAnswer {
    let (text, choice) = match question.answer {
        Answer::PastDate | Answer::BirthDateAged(_) => match Date::parse_iso(answer) {
            Some(date) => (date.day_month_year(), None),
            None => (answer.to_owned(), None),
        },
        Answer::Choice(choices) => match choices.iter().find(|c| c.key == answer) {
            Some(choice) => (choice.words.vi.to_owned(), Some(choice.words)),
            None => (answer.to_owned(), None),
        },
        _ => (answer.to_owned(), None),
    };
    ShownAnswer {
        label: question.label,
        text,
        choice,
        in_words: None,
    }
}

/// The answer to one question, normalised; empty when an optional question was left empty.
fn check(question: &Question, typed: &str, today: Date) -> Result<String, Problem> {
    let typed = typed.trim();
    if typed.is_empty() {
        return if question.required {
            Err(Problem::Required)
        } else {
            Ok(String::new())
        };
    }
    match question.answer {
        Answer::Text(max) => text(typed, max, true),
        Answer::LongText => {
            if typed.chars().count() > 2000 {
                Err(Problem::TooLong)
            } else if typed
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r')
            {
                Err(Problem::TextMalformed)
            } else {
                Ok(typed.replace("\r\n", "\n"))
            }
        }
        Answer::PastDate => past_date(typed, today).map(Date::iso),
        Answer::BirthDateAged(years) => {
            let born = past_date(typed, today)?;
            if age_on(born, today) < years {
                Err(Problem::UnderAge)
            } else {
                Ok(born.iso())
            }
        }
        Answer::Year => match typed.parse::<i32>() {
            Ok(year) if (1900..=today.year).contains(&year) && typed.len() == 4 => {
                Ok(year.to_string())
            }
            _ => Err(Problem::YearMalformed),
        },
        Answer::CitizenId => CitizenId::parse(typed)
            .map(|id| id.as_str().to_owned())
            .map_err(|invalid| match invalid {
                Invalid::Empty => Problem::Required,
                Invalid::Malformed => Problem::CitizenIdMalformed,
            }),
        Answer::Choice(choices) => choices
            .iter()
            .find(|choice| choice.key == typed)
            .map(|choice| choice.key.to_owned())
            .ok_or(Problem::Required),
        Answer::Count(max) => match typed.parse::<u32>() {
            Ok(count) if count <= max => Ok(count.to_string()),
            _ => Err(Problem::CountMalformed),
        },
    }
}

fn past_date(typed: &str, today: Date) -> Result<Date, Problem> {
    let date = Date::parse_typed(typed).ok_or(Problem::DateMalformed)?;
    if date > today {
        Err(Problem::DateInFuture)
    } else if date.year < 1900 {
        Err(Problem::DateMalformed)
    } else {
        Ok(date)
    }
}

/// Full years between `born` and `on` (a birthday on 29 February counts on 1 March).
fn age_on(born: Date, on: Date) -> u32 {
    let before_birthday = (on.month, on.day) < (born.month, born.day);
    u32::try_from(on.year - born.year - i32::from(before_birthday)).unwrap_or(0)
}

/// A date written out in Vietnamese words, as civil-status papers print it next to the figures:
/// "Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi sáu".
pub fn date_in_words(date: Date) -> String {
    let day = if date.day <= 10 {
        format!("mùng {}", digit(date.day))
    } else {
        tens(date.day)
    };
    let month = if date.month == 4 {
        "tư".to_owned()
    } else if date.month < 10 {
        digit(date.month).to_owned()
    } else {
        tens(date.month)
    };
    let year = u32::try_from(date.year).map_or_else(|_| date.year.to_string(), number_words);
    format!("Ngày {day} tháng {month} năm {year}")
}

fn digit(n: u32) -> &'static str {
    [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
    ][n.min(10) as usize]
}

/// 10 to 99 in words.
fn tens(n: u32) -> String {
    let (ten, unit) = (n / 10, n % 10);
    let head = if ten == 1 {
        "mười".to_owned()
    } else {
        format!("{} mươi", digit(ten))
    };
    let tail = match (unit, ten) {
        (0, _) => return head,
        (1, 2..) => "mốt",
        (4, 2..) => "tư",
        (5, _) => "lăm",
        _ => digit(unit),
    };
    format!("{head} {tail}")
}

/// 0 to 9,999 in words ("hai nghìn không trăm linh năm").
fn number_words(n: u32) -> String {
    let below_hundred = |n: u32| {
        if n < 10 {
            format!("linh {}", digit(n))
        } else {
            tens(n)
        }
    };
    let below_thousand = |n: u32, padded: bool| {
        let (hundred, rest) = (n / 100, n % 100);
        let mut words = Vec::new();
        if hundred > 0 || padded {
            words.push(format!("{} trăm", digit(hundred)));
        }
        if rest > 0 {
            words.push(if hundred > 0 || padded {
                below_hundred(rest)
            } else if rest < 10 {
                digit(rest).to_owned()
            } else {
                tens(rest)
            });
        }
        words.join(" ")
    };
    if n == 0 {
        return digit(0).to_owned();
    }
    let (thousand, rest) = (n / 1000, n % 1000);
    if thousand == 0 {
        return below_thousand(rest, false);
    }
    let mut words = format!("{} nghìn", digit(thousand.min(9)));
    if rest > 0 {
        words.push(' ');
        words.push_str(&below_thousand(rest, true));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::procedure::FormTemplate;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 12,
        day: 5,
    };

    fn birth() -> BTreeMap<String, String> {
        values(&[
            ("quan-he", "Ông nội"),
            ("tre-ho-ten", "  Nguyễn  Minh Khôi "),
            ("tre-ngay-sinh", "2026-11-20"),
            ("tre-gioi-tinh", "nam"),
            ("tre-dan-toc", "Kinh"),
            ("tre-quoc-tich", "Việt Nam"),
            ("tre-noi-sinh", "Trạm y tế xã Tân Lập"),
            ("tre-que-quan", "xã Tân Lập, tỉnh Phú Thọ"),
            ("me-ho-ten", "Trần Thị Lan"),
            ("me-nam-sinh", "1998"),
            ("me-dan-toc", "Kinh"),
            ("me-quoc-tich", "Việt Nam"),
            ("me-noi-cu-tru", "Thôn Đông, xã Tân Lập"),
            ("so-ban-sao", "2"),
        ])
    }

    #[test]
    fn a_birth_declaration_is_normalised_and_keeps_only_answers() {
        let declaration = Declaration::from_form(DeclarationForm::Birth, &birth(), TODAY).unwrap();
        assert_eq!(declaration.answers["tre-ho-ten"], "Nguyễn Minh Khôi");
        assert_eq!(declaration.answers["tre-ngay-sinh"], "2026-11-20");
        assert!(!declaration.answers.contains_key("cha-ho-ten"));
        let again =
            Declaration::from_form(DeclarationForm::Birth, &declaration.to_form(), TODAY).unwrap();
        assert_eq!(again, declaration);
        let shown = declaration.shown();
        assert!(shown[0].0.about_requester());
        assert_eq!(shown[1].0.heading.vi, "Người được khai sinh");
        assert_eq!(
            shown[1].1[1].in_words.as_deref(),
            Some("Ngày hai mươi tháng mười một năm hai nghìn không trăm hai mươi sáu")
        );
        assert!(
            shown[1]
                .1
                .iter()
                .any(|a| a.text == "20/11/2026" && a.label == DATE_OF_BIRTH)
        );
        assert!(
            shown[1]
                .1
                .iter()
                .any(|a| a.text == "Nam" && a.choice.is_some_and(|c| c.en == "Male"))
        );
        assert!(
            shown
                .iter()
                .all(|(section, _)| !section.heading.vi.starts_with("Cha")),
            "a section left empty is not printed"
        );
    }

    #[test]
    fn every_problem_is_reported_with_the_input_kept() {
        let mut typed = birth();
        typed.insert("tre-ngay-sinh".into(), "2026-12-06".into());
        typed.insert("tre-gioi-tinh".into(), "khac".into());
        typed.insert("me-nam-sinh".into(), "98".into());
        typed.insert("me-cccd".into(), "123".into());
        typed.insert("so-ban-sao".into(), "11".into());
        typed.remove("tre-ho-ten");
        let feedback = Declaration::from_form(DeclarationForm::Birth, &typed, TODAY).unwrap_err();
        assert_eq!(feedback.values, typed);
        let expected: BTreeMap<String, Problem> = [
            ("tre-ho-ten", Problem::Required),
            ("tre-ngay-sinh", Problem::DateInFuture),
            ("tre-gioi-tinh", Problem::Required),
            ("me-nam-sinh", Problem::YearMalformed),
            ("me-cccd", Problem::CitizenIdMalformed),
            ("so-ban-sao", Problem::CountMalformed),
        ]
        .into_iter()
        .map(|(k, p)| (k.to_owned(), p))
        .collect();
        assert_eq!(feedback.problems, expected);
    }

    #[test]
    fn dates_are_taken_as_a_date_input_sends_them_or_as_typed() {
        let mut typed = birth();
        typed.insert("tre-ngay-sinh".into(), "20/11/2026".into());
        let declaration = Declaration::from_form(DeclarationForm::Birth, &typed, TODAY).unwrap();
        assert_eq!(declaration.answers["tre-ngay-sinh"], "2026-11-20");
        typed.insert("tre-ngay-sinh".into(), "31/02/2026".into());
        assert_eq!(
            Declaration::from_form(DeclarationForm::Birth, &typed, TODAY)
                .unwrap_err()
                .problem("tre-ngay-sinh"),
            Some(Problem::DateMalformed)
        );
    }

    #[test]
    fn the_law_on_marriage_ages_is_checked_to_the_day() {
        let marriage = |bride: &str, groom: &str| {
            let typed = values(&[
                ("nu-ho-ten", "Lê Thị Hoa"),
                ("nu-ngay-sinh", bride),
                ("nu-dan-toc", "Kinh"),
                ("nu-quoc-tich", "Việt Nam"),
                ("nu-noi-cu-tru", "xã Tân Lập"),
                ("nu-cccd", "025308001234"),
                ("nu-lan-ket-hon", "1"),
                ("nam-ho-ten", "Phạm Văn Nam"),
                ("nam-ngay-sinh", groom),
                ("nam-dan-toc", "Kinh"),
                ("nam-quoc-tich", "Việt Nam"),
                ("nam-noi-cu-tru", "xã Tân Lập"),
                ("nam-cccd", "025206001234"),
                ("nam-lan-ket-hon", "1"),
            ]);
            Declaration::from_form(DeclarationForm::Marriage, &typed, TODAY)
        };
        assert!(marriage("2008-12-05", "2006-12-05").is_ok());
        let too_young = marriage("2008-12-06", "2006-12-06").unwrap_err();
        assert_eq!(too_young.problem("nu-ngay-sinh"), Some(Problem::UnderAge));
        assert_eq!(too_young.problem("nam-ngay-sinh"), Some(Problem::UnderAge));
    }

    #[test]
    fn every_form_has_unique_keys_and_is_found_by_its_template() {
        for form in <DeclarationForm as strum::VariantArray>::VARIANTS {
            let mut keys: Vec<_> = form.questions().map(|q| q.key).collect();
            let count = keys.len();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), count, "{form:?} repeats a key");
            assert!(
                form.questions().any(|q| q.required),
                "{form:?} asks nothing required"
            );
            let document = RequiredDocument {
                name: "Tờ khai (theo mẫu)".into(),
                originals: 1,
                copies: 0,
                required: true,
                present_only: false,
                forms: vec![FormTemplate {
                    name: form.title().vi.to_uppercase(),
                    url: String::new(),
                }],
            };
            assert_eq!(DeclarationForm::of_document(&document), Some(*form));
        }
    }

    #[test]
    fn a_document_is_recognised_by_its_name_when_it_names_no_template() {
        let document = |name: &str| RequiredDocument {
            name: name.into(),
            originals: 1,
            copies: 0,
            required: true,
            present_only: false,
            forms: vec![],
        };
        assert_eq!(
            DeclarationForm::of_document(&document("Tờ khai đăng ký khai sinh (theo mẫu)")),
            Some(DeclarationForm::Birth)
        );
        assert_eq!(
            DeclarationForm::of_document(&document("Giấy chứng sinh")),
            None
        );
        assert!(replaced_by_citizen_id(&document(
            "Giấy tờ tùy thân còn giá trị (Thẻ căn cước, Hộ chiếu...) để xuất trình"
        )));
        assert!(!replaced_by_citizen_id(&document("Giấy chứng sinh")));
    }

    #[test]
    fn dates_are_written_in_words_as_civil_status_papers_write_them() {
        let words = |y, m, d| date_in_words(Date::new(y, m, d));
        assert_eq!(
            words(2026, 3, 15),
            "Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi sáu"
        );
        assert_eq!(
            words(2005, 4, 1),
            "Ngày mùng một tháng tư năm hai nghìn không trăm linh năm"
        );
        assert_eq!(
            words(1954, 12, 24),
            "Ngày hai mươi tư tháng mười hai năm một nghìn chín trăm năm mươi tư"
        );
        assert_eq!(
            words(2010, 11, 21),
            "Ngày hai mươi mốt tháng mười một năm hai nghìn không trăm mười"
        );
        assert_eq!(
            words(2000, 10, 10),
            "Ngày mùng mười tháng mười năm hai nghìn"
        );
    }

    #[test]
    fn ages_count_whole_years() {
        let born = Date::new(2008, 12, 5);
        assert_eq!(age_on(born, Date::new(2026, 12, 4)), 17);
        assert_eq!(age_on(born, Date::new(2026, 12, 5)), 18);
    }
}
