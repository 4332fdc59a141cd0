//! Server functions: the only way pages reach the database. On the server a page calls them
//! directly; they also answer over HTTP under `/api/` (JSON), e.g. for islands.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::filing::{Applicant, Receipt, StoredFile, UploadLimits};
use crate::domain::lifecycle::Timeliness;
use crate::domain::procedure::{
    CatalogueFilter, CataloguePage, Procedure, ProcedureSummary, SectorCount,
};
use crate::domain::tracking::{Event, Rating};
use crate::error::AppError;

/// What the home page shows besides static text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomePageData {
    pub sectors: Vec<SectorCount>,
    pub popular: Vec<ProcedureSummary>,
}

/// A draft application as its pages see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DraftPage {
    Open(Box<DraftView>),
    /// Submitted a moment ago: where its receipt is.
    Submitted {
        receipt_path: String,
    },
    Expired,
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    /// As in links (no separators).
    pub token: String,
    /// As shown to be written down (`ABCD-EFGH-…`).
    pub resume_code: String,
    pub procedure: Procedure,
    pub applicant: Option<Applicant>,
    pub declaration: Option<crate::domain::declaration::Declaration>,
    pub files: Vec<StoredFile>,
    /// The last day the draft is kept, `dd/mm/yyyy`.
    pub kept_until: String,
    pub limits: UploadLimits,
}

impl DraftView {
    /// The e-form of the chosen case, when it has one (no case chosen yet: none).
    pub fn declared_form(&self) -> Option<crate::domain::declaration::DeclarationForm> {
        let case_index = self.applicant.as_ref()?.case_index;
        crate::domain::declaration::form_of_case(&self.procedure, case_index)
    }

    /// The saved declaration, when it is the chosen case's form.
    pub fn fitting_declaration(&self) -> Option<&crate::domain::declaration::Declaration> {
        let form = self.declared_form()?;
        self.declaration
            .as_ref()
            .filter(|declared| declared.form == form)
    }
}

/// A receipt with what prints around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptPage {
    pub receipt: Receipt,
    /// As printed (`ABCD-EFGH`).
    pub lookup_key: String,
    pub center_name: String,
    /// The status page's full address, which the QR code carries.
    pub status_url: String,
    pub qr_svg: String,
    /// Whether a phone's browser is subscribed to the dossier's messages (web push).
    pub push_subscribed: bool,
    /// The electronic certified copy made in this dossier, if it is one.
    #[serde(default)]
    pub certified_copy: Option<CopyOnReceipt>,
}

/// A certified copy as its receipt prints it: the register number, the fee and where to get
/// and check the copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyOnReceipt {
    pub number: crate::domain::certification::RegisterNumber,
    pub document: String,
    pub pages: u32,
    pub paper_copies: u32,
    pub fee_dong: i64,
    pub signed: bool,
    pub verification_url: String,
    /// The verification token as printed for typing (`domain::certification::verification_code`):
    /// with the number, it reuses the copy in an online application.
    pub verification_code: String,
}

impl CopyOnReceipt {
    /// The entry as its receipt prints it, the verification page under `base_url`.
    pub fn of(entry: crate::domain::certification::RegisterEntry, base_url: &str) -> CopyOnReceipt {
        CopyOnReceipt {
            verification_url: format!("{base_url}{}", crate::paths::verification(&entry.token)),
            verification_code: crate::domain::certification::verification_code(&entry.token),
            number: entry.number,
            document: entry.document,
            pages: entry.pages,
            paper_copies: entry.paper_copies,
            fee_dong: entry.fee_dong,
            signed: entry.signed.is_some(),
        }
    }
}

/// The counter's certification page: whether the center can sign, and the year's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertifyView {
    pub can_sign: bool,
    pub year: i32,
    pub register: Vec<crate::domain::certification::RegisterEntry>,
    /// Most pages one certification takes (the upload limit per document).
    pub max_pages: u32,
}

/// The public verification page of a certified copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationView {
    pub entry: crate::domain::certification::PublicEntry,
    /// The stored copy's signature checked now; `None` when unsigned or unreadable.
    pub check: Option<crate::domain::certification::SignatureCheck>,
}

/// The answer to a lookup by dossier code and key. A wrong code and a wrong key are the same
/// `NotFound`; too many lookups from one address are `Limited`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Lookup<T> {
    Found(Box<T>),
    NotFound,
    Limited {
        retry_minutes: i64,
    },
    /// What was typed cannot be a code (`code`) or a key (`key`) at all: said next to the field.
    /// (It tells nothing of any dossier: a well-formed code with a wrong key is `NotFound`.)
    Mistyped {
        code: bool,
        key: bool,
    },
}

impl<T> Lookup<T> {
    /// The same answer for another page of the same dossier, when this one found nothing.
    pub fn unfound<U>(self) -> Result<Box<T>, Lookup<U>> {
        match self {
            Lookup::Found(found) => Ok(found),
            Lookup::NotFound => Err(Lookup::NotFound),
            Lookup::Limited { retry_minutes } => Err(Lookup::Limited { retry_minutes }),
            Lookup::Mistyped { code, key } => Err(Lookup::Mistyped { code, key }),
        }
    }
}

/// A dossier as its status page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusPage {
    pub receipt: ReceiptPage,
    /// Every status change, oldest first.
    pub events: Vec<Event>,
    pub timeliness: Timeliness,
    /// The date the result is due now (`dd/mm/yyyy`): the appointment, moved by an apology
    /// and by the time spent waiting on the citizen.
    pub due_date: Option<String>,
    pub due_time: Option<String>,
    pub rating: Option<Rating>,
    /// Files added for the current supplement request, as (document, count).
    pub supplement_uploaded: Vec<(String, usize)>,
    pub upload_limits: UploadLimits,
}

/// The signed-in staff member of this request, with the CSRF token for their forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedInStaff {
    pub member: crate::domain::back_office::StaffMember,
    pub csrf_token: String,
}

/// The staff session cookie: a random token, `HttpOnly`, sent only to `/can-bo`.
pub const STAFF_COOKIE: &str = "motcua_can_bo";

/// `https://host` for links printed on paper: the configured public address, else the address
/// the request came to (its `Host`, when it is a plain host name).
#[cfg(feature = "ssr")]
pub fn base_url(site: &crate::SiteInfo, headers: Option<&http::HeaderMap>) -> String {
    if let Some(url) = &site.public_url {
        return url.clone();
    }
    let host = headers
        .and_then(|headers| headers.get(http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .filter(|host| {
            host.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::prelude::use_context;

    use crate::SiteInfo;
    use crate::db::Database;
    use crate::error::AppError;

    /// Today in Vietnam, with the end of its "due soon" horizon, and the calendar of the center
    /// `agency` ('' for the national one) of last year to next year (what due dates are
    /// counted on).
    pub async fn today(
        db: &Database,
        agency: &str,
    ) -> Result<
        (
            crate::domain::lifecycle::Today,
            crate::domain::working_days::Calendar,
        ),
        AppError,
    > {
        use crate::domain::calendar::Date;
        let date = Date::in_vietnam(db.now());
        let calendar = db.calendar_for_pages(agency, date, 30).await?;
        Ok((
            crate::domain::lifecycle::Today::new(date, &calendar),
            calendar,
        ))
    }

    /// The certified copies among a dossier's files, each with its register entry and the
    /// dossier's file checked now (fingerprint and signature).
    pub async fn linked_copies(
        db: &Database,
        files: &[crate::domain::back_office::DossierFile],
    ) -> Result<Vec<crate::domain::certification::LinkedCopy>, AppError> {
        use crate::domain::certification::LinkedCopy;
        let checks = use_context::<crate::CopyChecks>();
        let mut linked = Vec::new();
        for file in files {
            let Some(token) = &file.certified_copy else {
                continue;
            };
            let Some(entry) = db.register_entry(token).await? else {
                continue;
            };
            let center_name = db.center_name_of(&entry.agency).await?;
            let mut copy = LinkedCopy::of(entry, &file.stored_name, center_name);
            if let Some(checks) = &checks {
                copy.check = checks.0.check(&file.stored_name).await;
            }
            linked.push(copy);
        }
        Ok(linked)
    }

    pub fn database() -> Result<Database, AppError> {
        use_context::<Database>().ok_or_else(|| {
            tracing::error!("no database in the server function's context");
            AppError::Internal
        })
    }

    /// `https://host` for links printed on paper: the configured public address, else the
    /// address this request came to.
    pub fn public_base_url(site: &SiteInfo) -> String {
        let parts = use_context::<http::request::Parts>();
        super::base_url(site, parts.as_ref().map(|parts| &parts.headers))
    }

    /// The QR code of `text` as an inline SVG element (no XML prologue), scaled by CSS.
    pub fn qr_svg(text: &str) -> Result<String, AppError> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
            .map_err(|error| {
                tracing::error!(%error, "QR code could not be made");
                AppError::Internal
            })?;
        let svg = code
            .render::<qrcode::render::svg::Color>()
            .quiet_zone(true)
            .min_dimensions(160, 160)
            .build();
        Ok(svg[svg.find("<svg").unwrap_or(0)..].to_owned())
    }

    /// Whom a lookup counts against.
    enum LookupClient {
        /// No client to count (no request), or a signed-in staff member: staff print receipts
        /// at the counter (`/can-bo/giay-hen`) many times a day from one address.
        Uncounted,
        /// The request's handler judged it already (a form shown again): its outcome.
        Judged(Option<i64>),
        /// The client's rate-limit bucket.
        Counted(String),
    }

    /// Who looks the dossier `code` up: a member of staff of its center (or the province) is
    /// not counted; anyone else is, staff of another center included.
    async fn lookup_client(site: &SiteInfo, code: &str) -> Result<LookupClient, AppError> {
        let Some(parts) = use_context::<http::request::Parts>() else {
            return Ok(LookupClient::Uncounted);
        };
        if let Some(counted) = parts.extensions.get::<crate::client::LookupCounted>() {
            return Ok(LookupClient::Judged(counted.retry_minutes));
        }
        let agency = crate::domain::dossier::agency_of(code);
        if super::current_staff()
            .await?
            .is_some_and(|me| me.member.reach().reaches(agency))
        {
            return Ok(LookupClient::Uncounted);
        }
        Ok(LookupClient::Counted(crate::client::bucket(
            "tra-cuu",
            &parts,
            &site.trusted_proxies,
        )))
    }

    /// Whether this client may look a dossier up now: `Some(minutes)` to wait while its failed
    /// lookups are over the limit. Only a lookup that finds nothing is counted
    /// (`count_failed_lookup`): a citizen with the right key costs a read, never a write.
    pub async fn lookup_limited(site: &SiteInfo, code: &str) -> Result<Option<i64>, AppError> {
        Ok(match lookup_client(site, code).await? {
            LookupClient::Uncounted => None,
            LookupClient::Judged(retry_minutes) => retry_minutes,
            LookupClient::Counted(bucket) => {
                let (limit, db) = (site.lookup_limit, database()?);
                let wait = db
                    .rate_limit_wait(&bucket, limit.hits, limit.window_seconds, db.now())
                    .await?;
                crate::client::LookupCounted::from_retry_seconds(wait).retry_minutes
            }
        })
    }

    /// Counts a lookup that found nothing against this client's limit, unless the request's
    /// handler counted it already or a staff member of its center asked.
    pub async fn count_failed_lookup(site: &SiteInfo, code: &str) -> Result<(), AppError> {
        if let LookupClient::Counted(bucket) = lookup_client(site, code).await? {
            let (limit, db) = (site.lookup_limit, database()?);
            db.hit_rate_limit(&bucket, limit.hits, limit.window_seconds, db.now())
                .await?;
        }
        Ok(())
    }

    /// A dossier opened by its code and key: its receipt page, and its history for the status
    /// page (read with it, in the same two statements).
    pub struct Opened {
        pub page: super::ReceiptPage,
        pub events: Vec<crate::domain::tracking::Event>,
        pub rating: Option<crate::domain::tracking::Rating>,
    }

    /// The dossier `code` opened by `key`, judged by the lookup limit (a wrong code or key
    /// counted against it); the QR code is drawn only when the page shows it.
    pub async fn opened(
        code: String,
        key: String,
        with_qr: bool,
    ) -> Result<super::Lookup<Opened>, AppError> {
        use super::{Lookup, ReceiptPage};
        use crate::domain::dossier::{DossierCode, agency_of};
        use crate::domain::filing::LookupKey;

        let site = site()?;
        // The limit is judged on the code as it reads once parsed (typed in lower case or
        // without its dots, it names the same center).
        let judged = DossierCode::parse(&code).map_or_else(|_| code.clone(), |c| c.to_string());
        if let Some(retry_minutes) = lookup_limited(&site, &judged).await? {
            return Ok(Lookup::Limited { retry_minutes });
        }
        let (Ok(code), Ok(key)) = (DossierCode::parse(&code), LookupKey::parse(&key)) else {
            return Ok(Lookup::Mistyped {
                code: DossierCode::parse(&code).is_err(),
                key: LookupKey::parse(&key).is_err(),
            });
        };
        let code = code.to_string();
        let db = database()?;
        let Some(opened) = db.opened_dossier(&code, key.as_str()).await? else {
            count_failed_lookup(&site, &code).await?;
            return Ok(Lookup::NotFound);
        };
        let status_url = format!(
            "{}{}",
            public_base_url(&site),
            crate::paths::status(&code, &key.to_string())
        );
        let receipt = opened.receipt;
        let push_subscribed = receipt.notify == crate::domain::notifications::Channel::WebPush
            && opened.push_subscribed;
        let page = ReceiptPage {
            certified_copy: opened
                .certified_copy
                .map(|entry| super::CopyOnReceipt::of(entry, &public_base_url(&site))),
            push_subscribed,
            qr_svg: if with_qr {
                qr_svg(&status_url)?
            } else {
                String::new()
            },
            receipt,
            lookup_key: key.to_string(),
            center_name: db.center_name_of(agency_of(&code)).await?,
            status_url,
        };
        Ok(Lookup::Found(Box::new(Opened {
            page,
            events: opened.events,
            rating: opened.rating,
        })))
    }

    pub fn site() -> Result<SiteInfo, AppError> {
        use_context::<SiteInfo>().ok_or_else(|| {
            tracing::error!("no site information in the server function's context");
            AppError::Internal
        })
    }
}

/// The commune picker: the centers whose name matches what was typed (every center when
/// nothing was), and the one picked now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentersList {
    pub centers: Vec<crate::domain::center::Center>,
    pub picked: String,
}

#[server(endpoint = "xa")]
pub async fn list_centers(query: String) -> Result<CentersList, AppError> {
    use crate::domain::center::PickedCenter;
    let db = ssr::database()?;
    let centers = db
        .centers()
        .await?
        .iter()
        .filter(|center| center.matches(&query))
        .cloned()
        .collect();
    Ok(CentersList {
        centers,
        picked: use_context::<PickedCenter>()
            .map(|picked| picked.center.slug)
            .unwrap_or_default(),
    })
}

#[server(endpoint = "home")]
pub async fn home_data() -> Result<HomePageData, AppError> {
    let db = ssr::database()?;
    let site = ssr::site()?;
    Ok(HomePageData {
        sectors: db.sectors().await?,
        popular: db.procedure_summaries(&site.popular_procedures).await?,
    })
}

#[server(endpoint = "sectors")]
pub async fn list_sectors() -> Result<Vec<SectorCount>, AppError> {
    Ok(ssr::database()?.sectors().await?)
}

#[server(endpoint = "catalogue")]
pub async fn search_procedures(filter: CatalogueFilter) -> Result<CataloguePage, AppError> {
    Ok(ssr::database()?.search_catalogue(&filter.bounded()).await?)
}

/// A procedure as the commune a citizen picked offers it. Its JSON is the procedure's own with
/// `received_here` beside its fields, so the API's answer keeps its shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureHere {
    #[serde(flatten)]
    pub procedure: Procedure,
    /// Whether the picked commune's center receives it (`Database::receives`).
    pub received_here: bool,
    /// The catalogue's papers this center most often had to ask for again (`OftenWrong`).
    #[serde(default)]
    pub often_missing: Vec<crate::domain::often_wrong::Trouble>,
}

#[server(endpoint = "procedure")]
pub async fn get_procedure(code: String) -> Result<Option<ProcedureHere>, AppError> {
    let db = ssr::database()?;
    // A procedure no longer in force is kept for its dossiers, not shown to citizens.
    let Some(mut procedure) = db
        .procedure_by_code(&code)
        .await?
        .filter(|procedure| procedure.in_force)
    else {
        return Ok(None);
    };
    // The center's own caveat comes first: it is about this center's counter (the commune the
    // citizen picked).
    let picked = use_context::<crate::domain::center::PickedCenter>();
    let agency = picked
        .map(|picked| picked.center.agency)
        .unwrap_or_default();
    if let Some(caveat) = db.caveat(&agency, &procedure.code).await? {
        procedure.caveats.insert(0, caveat);
    }
    let received_here = db.receives(&agency, &procedure.code).await?;
    let papers: Vec<String> = procedure
        .cases
        .iter()
        .flat_map(|case| case.documents.iter().map(|paper| paper.name.clone()))
        .collect();
    let often_missing = db
        .often_wrong(&agency, &procedure.code, db.now())
        .await?
        .for_citizens(&papers);
    Ok(Some(ProcedureHere {
        procedure,
        received_here,
        often_missing,
    }))
}

#[server(endpoint = "draft")]
pub async fn get_draft(token: String) -> Result<DraftPage, AppError> {
    use crate::db::filing::DraftLookup;
    use crate::domain::calendar::Date;
    use crate::domain::filing::ResumeCode;

    let Ok(code) = ResumeCode::parse(&token) else {
        return Ok(DraftPage::Missing);
    };
    let site = ssr::site()?;
    let db = ssr::database()?;
    let now = db.now();
    Ok(match db.draft(code.as_str(), now).await? {
        DraftLookup::Missing => DraftPage::Missing,
        DraftLookup::Expired => DraftPage::Expired,
        DraftLookup::Found(draft) => match draft.submitted {
            Some((dossier, key)) => DraftPage::Submitted {
                receipt_path: crate::paths::receipt(&dossier, &key),
            },
            None => DraftPage::Open(Box::new(DraftView {
                token: code.as_str().to_owned(),
                resume_code: code.to_string(),
                procedure: draft.procedure,
                applicant: draft.applicant,
                declaration: draft.declaration,
                files: draft.files,
                // The draft goes at `expires_at`: the day before is the last whole day.
                kept_until: Date::in_vietnam(draft.expires_at - 1).day_month_year(),
                limits: site.upload_limits,
            })),
        },
    })
}

#[server(endpoint = "receipt")]
pub async fn get_receipt(code: String, key: String) -> Result<Lookup<ReceiptPage>, AppError> {
    Ok(match ssr::opened(code, key, true).await?.unfound() {
        Ok(opened) => Lookup::Found(Box::new(opened.page)),
        Err(unfound) => unfound,
    })
}

#[server(endpoint = "status")]
pub async fn get_status(code: String, key: String) -> Result<Lookup<StatusPage>, AppError> {
    use crate::domain::calendar::Date;
    use crate::domain::lifecycle::Status;
    use crate::domain::tracking::Promise;

    let ssr::Opened {
        page: receipt,
        events,
        rating,
    } = match ssr::opened(code, key, false).await?.unfound() {
        Ok(opened) => *opened,
        Err(unfound) => return Ok(unfound),
    };
    let db = ssr::database()?;
    let code = receipt.receipt.code.clone();
    let appointment = receipt
        .receipt
        .appointment_date
        .as_deref()
        .and_then(Date::parse_iso);
    let promise = Promise::of(appointment, &events);
    let agency = crate::domain::dossier::agency_of(&code);
    let (today, calendar) = ssr::today(&db, agency).await?;
    let promised = promise.promised(today.date, &calendar);
    let supplement_uploaded = match events.last() {
        Some(event) if event.status == Status::SupplementRequested => {
            db.supplement_files(&code, event.id).await?
        }
        _ => Vec::new(),
    };
    Ok(Lookup::Found(Box::new(StatusPage {
        timeliness: promise.timeliness(today, &calendar),
        due_date: promised.map(Date::day_month_year),
        // Pauses add whole working days, so the appointment's hour stands; an apology names a
        // day of its own.
        due_time: receipt
            .receipt
            .appointment_time
            .clone()
            .filter(|_| promised.is_some() && promise.apology.is_none()),
        rating,
        supplement_uploaded,
        upload_limits: ssr::site()?.upload_limits,
        events,
        receipt,
    })))
}

#[server(endpoint = "staff/me")]
pub async fn current_staff() -> Result<Option<SignedInStaff>, AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    let Some(token) = cookie_value(&parts.headers, STAFF_COOKIE) else {
        return Ok(None);
    };
    let db = ssr::database()?;
    Ok(db
        .staff_session(&token, db.now())
        .await?
        .map(|session| SignedInStaff {
            member: session.member,
            csrf_token: session.csrf_token,
        }))
}

/// The value of cookie `name` in a request's headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().to_owned())
}

/// A staff page's data with the signed-in member it is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForStaff<T> {
    pub me: SignedInStaff,
    pub page: T,
}

/// The queue page: one page of dossiers, and the procedures to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub queue: crate::domain::back_office::QueuePage,
    pub procedures: Vec<(String, String)>,
    /// Today in Vietnam, to mark late dossiers.
    pub today: crate::domain::calendar::Date,
}

/// The dossier page: the dossier, and today's date for the forms' date fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierView {
    pub dossier: crate::domain::back_office::StaffDossier,
    pub today: crate::domain::calendar::Date,
    pub timeliness: crate::domain::lifecycle::Timeliness,
    pub due_date: Option<crate::domain::calendar::Date>,
    /// Active members of staff as (username, display name), to hand the dossier to.
    pub staff: Vec<(String, String)>,
    /// The papers the dossier's case lists, to tick in a supplement request.
    pub case_documents: Vec<String>,
    /// What to check before accepting it (`domain::intake_checklist`).
    #[serde(default)]
    pub checklist: Vec<crate::domain::intake_checklist::ChecklistItem>,
    /// The messages written to tell the citizen, oldest first.
    pub messages: Vec<crate::domain::notifications::MessageRecord>,
    /// The certified copies the citizen reused instead of uploads, each checked now.
    #[serde(default)]
    pub linked_copies: Vec<crate::domain::certification::LinkedCopy>,
}

/// The counter intake page: the procedures to choose from, and the chosen one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeView {
    pub procedures: Vec<(String, String)>,
    /// The procedures filed most here, as one-tap choices.
    pub most_filed: Vec<(String, String)>,
    /// What the clerk searched for, and what the search found.
    pub search: String,
    pub found: Vec<crate::domain::intake::FoundProcedure>,
    pub procedure: Option<crate::domain::procedure::Procedure>,
    /// The scans kept from a refused form, and the token that holds them (empty when none).
    pub kept_scans: Vec<crate::domain::filing::StoredFile>,
    pub kept_token: String,
    /// What this center's dossiers of the chosen procedure most often went wrong for.
    #[serde(default)]
    pub often_wrong: crate::domain::often_wrong::OftenWrong,
}

/// The settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub users: Vec<crate::domain::back_office::StaffAccount>,
    pub year: i32,
    /// Every day of `year` with its state and why.
    pub calendar: Vec<(
        crate::domain::calendar::Date,
        crate::domain::working_days::DayState,
        crate::domain::working_days::DayReason,
    )>,
    /// (procedure code, procedure name, text).
    pub caveats: Vec<(String, String, String)>,
    /// The procedures the center does not receive, as (code, name).
    pub withheld: Vec<(String, String)>,
    pub procedures: Vec<(String, String)>,
}

/// What a staff page shows: `NotSignedIn` sends the browser to sign in, `Forbidden` says the
/// role may not see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StaffPage<T> {
    Shown(Box<ForStaff<T>>),
    NotSignedIn,
    Forbidden,
    NotFound,
}

/// A staff page's data, loaded with the dossiers the member reaches (`StaffMember::reach`).
#[cfg(feature = "ssr")]
async fn for_staff<T>(
    action: crate::domain::back_office::Action,
    load: impl AsyncFnOnce(
        &crate::db::Database,
        &crate::domain::center::Reach,
    ) -> Result<Option<T>, AppError>,
) -> Result<StaffPage<T>, AppError> {
    for_staff_member(action, async |db, me| load(db, &me.reach()).await).await
}

/// `for_staff` for a page that depends on who is signed in.
#[cfg(feature = "ssr")]
async fn for_staff_member<T>(
    action: crate::domain::back_office::Action,
    load: impl AsyncFnOnce(
        &crate::db::Database,
        &crate::domain::back_office::StaffMember,
    ) -> Result<Option<T>, AppError>,
) -> Result<StaffPage<T>, AppError> {
    let Some(me) = current_staff().await? else {
        return Ok(StaffPage::NotSignedIn);
    };
    if !me.member.role.may(action) {
        return Ok(StaffPage::Forbidden);
    }
    Ok(match load(&ssr::database()?, &me.member).await? {
        Some(page) => StaffPage::Shown(Box::new(ForStaff { me, page })),
        None => StaffPage::NotFound,
    })
}

/// The counter's certification page: the form, and the register of the year (`?nam=`).
#[server(endpoint = "staff/certify")]
pub async fn staff_certify(year: Option<i32>) -> Result<StaffPage<CertifyView>, AppError> {
    use crate::domain::back_office::Action;
    use crate::domain::calendar::Date;
    let site = ssr::site()?;
    for_staff_member(Action::Certify, async |db, me| {
        let year = year.unwrap_or_else(|| Date::in_vietnam(db.now()).year);
        Ok(Some(CertifyView {
            can_sign: me
                .center
                .as_ref()
                .is_some_and(|agency| site.signing_centers.contains(agency)),
            year,
            register: db.register_of_year(&me.reach(), year).await?,
            max_pages: site.upload_limits.files_per_document,
        }))
    })
    .await
}

/// A certified copy's public verification: the register's facts (no applicant), the copy's
/// fingerprint and its signature checked now. `None` for an unknown token.
#[server(endpoint = "copy-verification")]
pub async fn copy_verification(token: String) -> Result<Option<VerificationView>, AppError> {
    let db = ssr::database()?;
    let Some(entry) = db.register_entry(&token).await? else {
        return Ok(None);
    };
    let check = match (&entry.signed, use_context::<crate::CopyChecks>()) {
        (Some(copy), Some(checks)) => checks
            .0
            .check(&copy.stored_name)
            .await
            .map(|check| check.signature),
        _ => None,
    };
    let center_name = db.center_name_of(&entry.agency).await?;
    Ok(Some(VerificationView {
        entry: entry.public(&center_name),
        check,
    }))
}

/// Every center's annulled copies, most recently annulled first (at most 500), as the public
/// list shows them: no applicant.
#[server(endpoint = "annulled-copies")]
pub async fn annulled_copies() -> Result<Vec<crate::domain::certification::PublicEntry>, AppError> {
    let db = ssr::database()?;
    let mut center_names = std::collections::HashMap::new();
    let mut listed = Vec::new();
    for entry in db.annulled_copies(500).await? {
        if !center_names.contains_key(&entry.agency) {
            let name = db.center_name_of(&entry.agency).await?;
            center_names.insert(entry.agency.clone(), name);
        }
        listed.push(entry.public(&center_names[&entry.agency]));
    }
    Ok(listed)
}

/// The queue for a signed-in staff member who may see it.
#[server(endpoint = "staff/queue")]
pub async fn staff_queue(
    filter: crate::domain::back_office::QueueFilter,
) -> Result<StaffPage<QueueView>, AppError> {
    use crate::domain::back_office::Action;
    for_staff(Action::ViewQueue, async |db, reach| {
        let (today, _) = ssr::today(db, reach.calendar_agency()).await?;
        Ok(Some(QueueView {
            queue: db.queue(&filter.bounded(), reach, today).await?,
            procedures: db.procedure_choices().await?,
            today: today.date,
        }))
    })
    .await
}

/// The staff home page: how much of each kind of work waits.
#[server(endpoint = "staff/home")]
pub async fn staff_home()
-> Result<StaffPage<Vec<(crate::domain::back_office::Todo, i64)>>, AppError> {
    use crate::domain::back_office::Action;
    for_staff(Action::ViewQueue, async |db, reach| {
        let (today, _) = ssr::today(db, reach.calendar_agency()).await?;
        Ok(Some(db.todo_counts(reach, today).await?))
    })
    .await
}

/// The messages to citizens given up on, for any member of staff.
#[server(endpoint = "staff/failed-messages")]
pub async fn staff_failed_messages()
-> Result<StaffPage<Vec<crate::domain::notifications::MessageRecord>>, AppError> {
    use crate::domain::back_office::Action;
    for_staff(Action::ViewQueue, async |db, reach| {
        Ok(Some(db.dead_messages(reach, 200).await?))
    })
    .await
}

/// The administrator's page of message templates: the words of one kind in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatesView {
    pub kind: crate::domain::notifications::NoticeKind,
    pub language: crate::i18n::Lang,
    pub template: crate::domain::notifications::Template,
    /// Whether an administrator saved these words (else they are the program's).
    pub saved: bool,
    pub center_name: String,
    /// Where message links point: the site's public address.
    pub public_url: String,
}

/// The words of `kind` in `language` (unknown names: the first kind, Vietnamese).
#[server(endpoint = "staff/templates")]
pub async fn staff_templates(
    kind: String,
    language: String,
) -> Result<StaffPage<TemplatesView>, AppError> {
    use crate::domain::back_office::Action;
    use crate::domain::notifications::{NoticeKind, default_template};
    use crate::i18n::Lang;
    let site = ssr::site()?;
    for_staff_member(Action::ManageUsers, async |db, me| {
        let center_name = match &me.center {
            Some(agency) => db.center_name_of(agency).await?,
            None => db.default_center().await?.name,
        };
        let kind = NoticeKind::from_key(&kind).unwrap_or(NoticeKind::Received);
        let language = Lang::from_code(&language).unwrap_or(Lang::Vi);
        let agency = me.center.clone().unwrap_or_default();
        let saved = db.saved_template(&agency, kind, language).await?;
        Ok(Some(TemplatesView {
            kind,
            language,
            saved: saved.is_some(),
            template: saved.unwrap_or_else(|| default_template(kind, language)),
            center_name,
            public_url: site
                .public_url
                .unwrap_or_else(|| "https://motcua.example.gov.vn".to_owned()),
        }))
    })
    .await
}

/// One dossier for staff.
#[server(endpoint = "staff/dossier")]
pub async fn staff_dossier(code: String) -> Result<StaffPage<DossierView>, AppError> {
    use crate::domain::back_office::Action;
    use crate::domain::tracking::Promise;
    for_staff(Action::ViewQueue, async |db, reach| {
        let Some(dossier) = db.staff_dossier(&code, reach).await? else {
            return Ok(None);
        };
        let agency = crate::domain::dossier::agency_of(&dossier.code);
        let (today, calendar) = ssr::today(db, agency).await?;
        let events: Vec<_> = dossier.audit.iter().map(|a| a.event.clone()).collect();
        let promise = Promise::of(dossier.appointment_date, &events);
        let procedure = db.procedure_by_code(&dossier.procedure_code).await?;
        let checklist = procedure
            .as_ref()
            .map(|procedure| {
                crate::domain::intake_checklist::checklist(
                    procedure,
                    dossier.applicant.case_index,
                    dossier.channel,
                )
            })
            .unwrap_or_default();
        let case_documents = procedure
            .and_then(|procedure| {
                procedure
                    .cases
                    .into_iter()
                    .nth(dossier.applicant.case_index)
            })
            .map(|case| case.documents.into_iter().map(|d| d.name).collect())
            .unwrap_or_default();
        Ok(Some(DossierView {
            timeliness: promise.timeliness(today, &calendar),
            due_date: promise.due(today.date, &calendar),
            staff: db
                .active_staff(crate::domain::dossier::agency_of(&dossier.code))
                .await?,
            messages: db.dossier_messages(&dossier.code).await?,
            linked_copies: ssr::linked_copies(db, &dossier.files).await?,
            case_documents,
            checklist,
            dossier,
            today: today.date,
        }))
    })
    .await
}

/// The counter intake page, with `procedure` chosen or not yet, the procedures `search` finds,
/// and the scans kept under `kept_token` from a refused form.
#[server(endpoint = "staff/intake")]
pub async fn staff_intake(
    procedure: String,
    search: String,
    kept_token: String,
) -> Result<StaffPage<IntakeView>, AppError> {
    use crate::db::intake::{KeptScans, scan_uploader};
    use crate::domain::back_office::Action;
    for_staff_member(Action::CounterIntake, async |db, me| {
        // What this center does not receive is not offered at its counter.
        let own = me.center.clone().unwrap_or_default();
        let withheld: Vec<String> = db
            .withheld_procedures(&own)
            .await?
            .into_iter()
            .map(|(code, _)| code)
            .collect();
        let offered = |code: &String| !withheld.contains(code);
        let procedure = if procedure.is_empty() {
            None
        } else {
            db.procedure_by_code(&procedure)
                .await?
                .filter(|procedure| procedure.in_force && offered(&procedure.code))
        };
        let uploader = scan_uploader(&me.username);
        let kept_scans = if kept_token.is_empty() || procedure.is_none() {
            Vec::new()
        } else {
            let kept = KeptScans {
                token: &kept_token,
                uploader: &uploader,
            };
            db.counter_scans(kept, db.now()).await?
        };
        let mut procedures = db.procedure_choices().await?;
        procedures.retain(|(code, _)| offered(code));
        let mut most_filed = db.most_filed_procedures(&me.reach(), 6).await?;
        most_filed.retain(|(code, _)| offered(code));
        let mut found = db.find_procedures(&search).await?;
        found.retain(|procedure| offered(&procedure.code));
        let often_wrong = match &procedure {
            Some(procedure) => db.often_wrong(&own, &procedure.code, db.now()).await?,
            None => Default::default(),
        };
        Ok(Some(IntakeView {
            often_wrong,
            procedures,
            most_filed,
            found,
            search,
            procedure,
            kept_token: if kept_scans.is_empty() {
                String::new()
            } else {
                kept_token
            },
            kept_scans,
        }))
    })
    .await
}

/// The settings page with the working calendar of `year` (this year when 0).
#[server(endpoint = "staff/settings")]
pub async fn staff_settings(year: i32) -> Result<StaffPage<SettingsView>, AppError> {
    use crate::domain::back_office::Action;
    use crate::domain::calendar::Date;
    for_staff_member(Action::ManageUsers, async |db, me| {
        let reach = &me.reach();
        let own = me.center.clone().unwrap_or_default();
        let year = if (2000..=2100).contains(&year) {
            year
        } else {
            Date::in_vietnam(db.now()).year
        };
        Ok(Some(SettingsView {
            users: db.staff_users(reach).await?,
            year,
            calendar: db
                .calendar_covering(&own, Date::new(year, 1, 1), 365)
                .await?
                .year(year),
            caveats: db.caveats(&own).await?,
            withheld: db.withheld_procedures(&own).await?,
            procedures: db.procedure_choices().await?,
        }))
    })
    .await
}

/// The province's page of centers: every center, and each one's figures for a period beside
/// the others', ranked, with the province's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentersAdminView {
    pub centers: Vec<crate::domain::center::Center>,
    pub period: crate::domain::statistics::Period,
    pub today: crate::domain::calendar::Date,
    pub ranking: Vec<crate::domain::statistics::CenterFigures>,
    pub total: crate::domain::statistics::Figures,
    /// Every day of the period's year in the national calendar, with its state and why.
    pub calendar: Vec<(
        crate::domain::calendar::Date,
        crate::domain::working_days::DayState,
        crate::domain::working_days::DayReason,
    )>,
}

#[server(endpoint = "staff/centers")]
pub async fn staff_centers(
    query: Vec<(String, String)>,
) -> Result<StaffPage<CentersAdminView>, AppError> {
    use crate::domain::back_office::Action;
    use crate::domain::calendar::Date;
    use crate::domain::statistics::{CenterFigures, Figures, Period, ranked_centers};
    for_staff(Action::ManageCenters, async |db, _| {
        let now = db.now();
        let period = Period::from_pairs(&query, Date::in_vietnam(now));
        let centers = db.centers().await?;
        let mut by_center = db.figures_by_center(period, now).await?;
        let mut total = Figures::default();
        for figures in by_center.values() {
            total.add(figures);
        }
        let ranking = ranked_centers(
            centers
                .iter()
                .map(|center| CenterFigures {
                    agency: center.agency.clone(),
                    name: center.name.clone(),
                    figures: by_center.remove(&center.agency).unwrap_or_default(),
                })
                .collect(),
        );
        let year = period.first.year;
        Ok(Some(CentersAdminView {
            centers: centers.to_vec(),
            period,
            today: Date::in_vietnam(now),
            ranking,
            total,
            calendar: db
                .calendar_covering("", Date::new(year, 1, 1), 365)
                .await?
                .year(year),
        }))
    })
    .await
}

/// The statistics page: the report of the period and scope asked for, the period before it for
/// comparison, and what the form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsView {
    /// The center the report is of; empty for the whole province.
    pub center_name: String,
    pub report: crate::domain::statistics::Report,
    pub previous: crate::domain::statistics::Report,
    pub today: crate::domain::calendar::Date,
    /// The catalogue's sectors, for the scope filter.
    pub sectors: Vec<String>,
    /// (agency code, name) of every center, when there are several to choose from.
    pub centers: Vec<(String, String)>,
}

/// The period report the query string names (this month, every dossier, by default).
#[server(endpoint = "thong-ke")]
pub async fn get_statistics(query: Vec<(String, String)>) -> Result<StatisticsView, AppError> {
    let db = ssr::database()?;
    let now = db.now();
    let picked = use_context::<crate::domain::center::PickedCenter>();
    let reports = statistics_reports(&db, &query, picked.as_ref(), now).await?;
    let mut sectors: Vec<String> = reports.catalogue.into_iter().map(|p| p.sector).collect();
    sectors.sort();
    sectors.dedup();
    let centers = db.centers().await?;
    Ok(StatisticsView {
        center_name: reports.center_name,
        report: reports.report,
        previous: reports.previous,
        today: crate::domain::calendar::Date::in_vietnam(now),
        sectors,
        centers: if centers.len() > 1 {
            centers
                .iter()
                .map(|center| (center.agency.clone(), center.name.clone()))
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// The report the query string names and the one of the period before it, same scope, with the
/// catalogue that names them and the center they are of (empty: the whole province): what the
/// page, the spreadsheet, the CSV and the JSON all give.
#[cfg(feature = "ssr")]
pub struct StatisticsReports {
    pub report: crate::domain::statistics::Report,
    pub previous: crate::domain::statistics::Report,
    pub catalogue: Vec<crate::domain::statistics::ProcedureInfo>,
    pub center_name: String,
}

/// `StatisticsReports` of the query string. Where there are several centers and the query
/// names none, the report is of the commune the visitor picked; `trung-tam=tinh` asks for the
/// whole province.
#[cfg(feature = "ssr")]
pub async fn statistics_reports(
    db: &crate::db::Database,
    query: &[(String, String)],
    picked: Option<&crate::domain::center::PickedCenter>,
    now: i64,
) -> Result<StatisticsReports, crate::db::DbError> {
    use crate::domain::calendar::Date;
    use crate::domain::statistics::{CENTER_PARAMETER, Filter, Period};
    let period = Period::from_pairs(query, Date::in_vietnam(now));
    let mut filter = Filter::from_pairs(query);
    let named = crate::domain::url::query_value(query, CENTER_PARAMETER).is_some();
    if !named && let Some(picked) = picked.filter(|picked| picked.others) {
        filter.agency = Some(picked.center.agency.clone());
    }
    // A code of no center asks for no center: the whole province. Only this server's list is
    // read: a query string anyone can write must not cost a query.
    let centers = db.centers().await?;
    let named_center = filter
        .agency
        .as_ref()
        .and_then(|agency| centers.iter().find(|c| c.agency == *agency).cloned());
    if named_center.is_none() {
        filter.agency = None;
    }
    let several = centers.len() > 1;
    let center_name = match named_center {
        Some(center) => center.name,
        None if several => String::new(),
        None => db.default_center().await?.name,
    };
    let catalogue = db.procedure_infos().await?;
    let report = db
        .period_report(period, filter.clone(), now, &catalogue)
        .await?;
    let previous = db
        .period_report(period.previous(), filter, now, &catalogue)
        .await?;
    Ok(StatisticsReports {
        report,
        previous,
        catalogue,
        center_name,
    })
}

/// A paper (Mẫu 02–05) with what it prints about its dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperView {
    pub center_name: String,
    pub dossier: crate::domain::papers::PaperDossier,
    pub paper: crate::domain::papers::Paper,
}

/// The processing-control slip (Mẫu 06) of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipView {
    pub center_name: String,
    pub dossier: crate::domain::papers::PaperDossier,
    pub rows: Vec<crate::domain::papers::SlipRow>,
}

/// A filled e-form with the requester's part, which the applicant step gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationView {
    pub center_name: String,
    pub code: String,
    pub submitted_at: i64,
    pub requester_name: String,
    /// Masked on the citizen's pages, like the phone on the receipt.
    pub requester_citizen_id: String,
    pub requester_address: String,
    pub declaration: crate::domain::declaration::Declaration,
}

impl DeclarationView {
    /// As the citizen's pages show it: the identity number reduced to its last four digits.
    pub fn for_citizen(mut self) -> DeclarationView {
        let id = &self.requester_citizen_id;
        let shown = id.len().saturating_sub(4);
        self.requester_citizen_id = format!("{}{}", "•".repeat(shown), &id[shown..]);
        self
    }
}

/// The tracking book (Mẫu 07) for a filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterView {
    pub center_name: String,
    pub filter: crate::domain::papers::RegisterFilter,
    pub rows: Vec<crate::domain::papers::RegisterRow>,
    /// More dossiers matched than the book shows.
    pub truncated: bool,
    pub procedures: Vec<(String, String)>,
}

/// A procedure's one-page sheet for the counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheatSheetView {
    pub procedure: Procedure,
    /// What the member's center most often got wrong with it.
    pub often_wrong: crate::domain::often_wrong::OftenWrong,
    pub center_name: String,
    pub today: crate::domain::calendar::Date,
}

/// The counter's sheet of the procedure `code`.
#[server(endpoint = "staff/cheat-sheet")]
pub async fn staff_cheat_sheet(code: String) -> Result<StaffPage<CheatSheetView>, AppError> {
    use crate::domain::back_office::Action;
    for_staff_member(Action::ViewQueue, async |db, me| {
        let center = me.center.clone().unwrap_or_default();
        Ok(papers_ssr::cheat_sheet(db, &center, &code).await?)
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod papers_ssr {
    //! Loading the papers, shared by their pages and by the server's PDF and spreadsheet routes.

    use super::{DeclarationView, PaperView, RegisterView, SlipView};
    use crate::db::{Database, DbError};
    use crate::domain::calendar::Date;
    use crate::domain::center::Reach;
    use crate::domain::dossier::agency_of;
    use crate::domain::papers::{REGISTER_MAX_ROWS, RegisterFilter};
    use crate::domain::tracking::Promise;

    /// The counter's sheet of the procedure `code` for the center `agency` ('' for none: the
    /// province's staff get the sheet without the center's history).
    pub async fn cheat_sheet(
        db: &Database,
        agency: &str,
        code: &str,
    ) -> Result<Option<super::CheatSheetView>, DbError> {
        let Some(procedure) = db.procedure_by_code(code).await? else {
            return Ok(None);
        };
        let now = db.now();
        Ok(Some(super::CheatSheetView {
            often_wrong: db.often_wrong(agency, &procedure.code, now).await?,
            center_name: db.center_name_of(agency).await?,
            today: Date::in_vietnam(now),
            procedure,
        }))
    }

    /// A dossier's paper, if the dossier is within `reach`; headed with its center's name.
    pub async fn paper(
        db: &Database,
        reach: &Reach,
        code: &str,
        event: i64,
    ) -> Result<Option<PaperView>, DbError> {
        let Some(dossier) = db.staff_dossier(code, reach).await? else {
            return Ok(None);
        };
        let center_name = db.center_name_of(agency_of(code)).await?;
        Ok(dossier.paper(event).map(|paper| PaperView {
            center_name,
            dossier: dossier.paper_dossier(),
            paper,
        }))
    }

    pub async fn slip(
        db: &Database,
        reach: &Reach,
        code: &str,
    ) -> Result<Option<SlipView>, DbError> {
        let Some(dossier) = db.staff_dossier(code, reach).await? else {
            return Ok(None);
        };
        let center_name = db.center_name_of(agency_of(code)).await?;
        let today = Date::in_vietnam(db.now());
        let calendar = db.calendar_covering(agency_of(code), today, 30).await?;
        let events: Vec<_> = dossier.audit.iter().map(|a| a.event.clone()).collect();
        let due = Promise::of(dossier.appointment_date, &events).due(today, &calendar);
        Ok(Some(SlipView {
            center_name,
            rows: dossier.control_slip(due),
            dossier: dossier.paper_dossier(),
        }))
    }

    pub async fn declaration(
        db: &Database,
        reach: &Reach,
        code: &str,
    ) -> Result<Option<DeclarationView>, DbError> {
        let Some(dossier) = db.staff_dossier(code, reach).await? else {
            return Ok(None);
        };
        let center_name = db.center_name_of(agency_of(code)).await?;
        Ok(dossier.declaration.map(|declaration| DeclarationView {
            center_name,
            code: dossier.code,
            submitted_at: dossier.received_at,
            requester_name: dossier.applicant.full_name,
            requester_citizen_id: dossier.applicant.citizen_id,
            requester_address: dossier.applicant.address,
            declaration,
        }))
    }

    /// The book of the dossiers within `reach`: a center's own, headed with its name; the
    /// province's holds every center's, headed with none.
    pub async fn register(
        db: &Database,
        reach: &Reach,
        filter: RegisterFilter,
    ) -> Result<RegisterView, DbError> {
        let center_name = match reach {
            Reach::Center(agency) => db.center_name_of(agency).await?,
            Reach::Province => String::new(),
        };
        let mut rows = db.register(&filter, reach, REGISTER_MAX_ROWS + 1).await?;
        let truncated = rows.len() > REGISTER_MAX_ROWS;
        rows.truncate(REGISTER_MAX_ROWS);
        Ok(RegisterView {
            center_name,
            filter,
            rows,
            truncated,
            procedures: db.procedure_choices().await?,
        })
    }
}

/// What a citizen who gave a dossier's code and key reaches: that dossier's center.
#[cfg(feature = "ssr")]
pub fn citizen_reach(code: &str) -> crate::domain::center::Reach {
    crate::domain::center::Reach::Center(crate::domain::dossier::agency_of(code).to_owned())
}

/// A paper of a dossier for staff.
#[server(endpoint = "staff/paper")]
pub async fn staff_paper(code: String, event: i64) -> Result<StaffPage<PaperView>, AppError> {
    use crate::domain::back_office::Action;
    for_staff(Action::ViewQueue, async |db, reach| {
        Ok(papers_ssr::paper(db, reach, &code, event).await?)
    })
    .await
}

/// A paper of a dossier for whoever holds its code and key; the phone number masked, as on the
/// receipt.
#[server(endpoint = "paper")]
pub async fn citizen_paper(
    code: String,
    key: String,
    event: i64,
) -> Result<Lookup<PaperView>, AppError> {
    use crate::domain::dossier::PhoneNumber;
    let opened = match ssr::opened(code, key, false).await?.unfound() {
        Ok(opened) => *opened,
        Err(unfound) => return Ok(unfound),
    };
    let db = ssr::database()?;
    let code = opened.page.receipt.code;
    let own = citizen_reach(&code);
    Ok(match papers_ssr::paper(&db, &own, &code, event).await? {
        Some(mut view) => {
            view.dossier.applicant_phone = PhoneNumber::parse(&view.dossier.applicant_phone)
                .map(|phone| phone.masked())
                .unwrap_or_default();
            Lookup::Found(Box::new(view))
        }
        None => Lookup::NotFound,
    })
}

/// The e-form a citizen filled, for staff.
#[server(endpoint = "staff/declaration")]
pub async fn staff_declaration(code: String) -> Result<StaffPage<DeclarationView>, AppError> {
    use crate::domain::back_office::Action;
    for_staff(Action::ViewQueue, async |db, reach| {
        Ok(papers_ssr::declaration(db, reach, &code).await?)
    })
    .await
}

/// The e-form of a dossier for whoever holds its code and key; the identity number masked.
#[server(endpoint = "declaration")]
pub async fn citizen_declaration(
    code: String,
    key: String,
) -> Result<Lookup<DeclarationView>, AppError> {
    let opened = match ssr::opened(code, key, false).await?.unfound() {
        Ok(opened) => *opened,
        Err(unfound) => return Ok(unfound),
    };
    let db = ssr::database()?;
    let code = &opened.page.receipt.code;
    Ok(
        match papers_ssr::declaration(&db, &citizen_reach(code), code).await? {
            Some(view) => Lookup::Found(Box::new(view.for_citizen())),
            None => Lookup::NotFound,
        },
    )
}

/// The processing-control slip of a dossier.
#[server(endpoint = "staff/slip")]
pub async fn staff_slip(code: String) -> Result<StaffPage<SlipView>, AppError> {
    use crate::domain::back_office::Action;
    for_staff(Action::ViewQueue, async |db, reach| {
        Ok(papers_ssr::slip(db, reach, &code).await?)
    })
    .await
}

/// The tracking book for the filter in the query string.
#[server(endpoint = "staff/register")]
pub async fn staff_register(
    query: Vec<(String, String)>,
) -> Result<StaffPage<RegisterView>, AppError> {
    use crate::domain::back_office::Action;
    use crate::domain::calendar::Date;
    use crate::domain::papers::RegisterFilter;
    for_staff(Action::ViewQueue, async |db, reach| {
        let filter = RegisterFilter::from_pairs(&query, Date::in_vietnam(db.now()));
        Ok(Some(papers_ssr::register(db, reach, filter).await?))
    })
    .await
}
