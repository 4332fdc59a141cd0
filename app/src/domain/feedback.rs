//! What a refused form tells the person who sent it: the problem with each field, and the
//! values as typed so that nothing is lost. Shared by every form of the site.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a field (or a file) was refused; the page shows the translated message next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
pub enum Problem {
    Required,
    TooLong,
    PhoneMalformed,
    CitizenIdMalformed,
    EmailMalformed,
    TextMalformed,
    CaseRequired,
    /// Asked to be told by email without giving an address.
    NotifyNeedsEmail,
    /// Asked to be told by SMS or Zalo without giving a phone number.
    NotifyNeedsPhone,
    /// A way of telling the center has not set up.
    NotifyUnavailable,
    DocumentRequired,
    FileType,
    FileTooLarge,
    DossierTooLarge,
    FileUnreadable,
    NotOnline,
    DraftExpired,
    ReasonRequired,
    DateMalformed,
    DateNotAfterToday,
    /// An apology's new date must come after the due date it apologises for.
    DateNotAfterDue,
    /// An apology is for a dossier that is late or will be: not yet.
    ApologyTooEarly,
    /// The return date is set again at most once (Decree 61/2018, Art. 19(9)).
    ApologyAlreadyGiven,
    AmountMalformed,
    UsernameMalformed,
    UsernameTaken,
    PasswordTooShort,
    PasswordIsUsername,
    /// The dossier moved on while the form was open: the action no longer applies.
    StatusChanged,
    /// A hand-over without a member of staff to take the dossier.
    ChooseColleague,
    /// A hand-over to oneself, or to a member who is unknown or no longer active.
    NotAColleague,
    /// More files for one document, or for the whole dossier, than the limits allow.
    TooManyFiles,
    /// Unfinished applications (from this client's address, or from everyone) hold all the
    /// room the server keeps for them (`DraftQuota`).
    UploadsFull,
    /// A date in a declaration that has not come yet (a birth, a death).
    DateInFuture,
    /// Younger than the law allows for what is asked (marriage, the social pension).
    UnderAge,
    YearMalformed,
    /// Not a whole number within the question's range.
    CountMalformed,
    /// The e-form of the case is not answered yet.
    DeclarationMissing,
    /// A paper ticked "scanned" at the counter without its scan attached.
    ScanMissing,
    /// A required paper not ticked as received at the counter.
    PaperRequired,
    /// A `{name}` in a message template that is not a placeholder.
    UnknownPlaceholder,
    /// Not an agency code of the national shape (QCVN 102: `000.00.12.H56`).
    AgencyMalformed,
    /// Not lower-case letters, digits and single hyphens.
    SlugMalformed,
    /// Another center already has this agency code.
    AgencyTaken,
    /// Another center already has this address.
    SlugTaken,
    /// The citizen's commune does not receive this procedure.
    NotReceivedHere,
    /// A check the clerk must make (of an original, of a dossier) is not ticked.
    CheckRequired,
    /// The center has no signing key: it cannot certify electronic copies yet.
    SigningUnavailable,
    /// Not a register number of a certified copy (`15/2026`).
    CopyNumberMalformed,
    /// Not the 20 letters and digits printed under a certified copy's QR code.
    VerificationCodeMalformed,
    /// No certified copy has this number and verification code.
    CopyNotFound,
    /// The certified copy was annulled (TT 01/2020 Art. 7).
    CopyAnnulled,
    /// The certified copy was registered but never signed.
    CopyNotSigned,
    /// Too many tries with wrong numbers or codes from this connection: wait a little.
    TooManyTries,
}

/// A refused form: the values as typed (to show them again) and a problem per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormFeedback {
    pub values: BTreeMap<String, String>,
    pub problems: BTreeMap<String, Problem>,
}

impl FormFeedback {
    /// One problem with one field, the value as typed when there is one.
    pub fn single(name: &str, problem: Problem, typed: Option<String>) -> FormFeedback {
        FormFeedback {
            values: typed
                .map(|value| BTreeMap::from([(name.to_owned(), value)]))
                .unwrap_or_default(),
            problems: BTreeMap::from([(name.to_owned(), problem)]),
        }
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn problem(&self, name: &str) -> Option<Problem> {
        self.problems.get(name).copied()
    }
}

/// Trimmed text of at most `max` characters without control characters.
pub fn text(value: &str, max: usize, required: bool) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return if required {
            Err(Problem::Required)
        } else {
            Ok(String::new())
        };
    }
    if value.chars().count() > max {
        return Err(Problem::TooLong);
    }
    if value.chars().any(char::is_control) {
        return Err(Problem::TextMalformed);
    }
    Ok(value.split_whitespace().collect::<Vec<_>>().join(" "))
}
