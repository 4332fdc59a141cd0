//! Server functions: the only way pages reach the database. On the server a page calls them
//! directly; they also answer over HTTP under `/api/` (JSON), e.g. for islands.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::application::{Applicant, Receipt, StoredFile, UploadLimits};
use crate::domain::procedure::{
    CatalogueFilter, CataloguePage, Procedure, ProcedureSummary, SectorCount,
};
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
    pub files: Vec<StoredFile>,
    /// The last day the draft is kept, `dd/mm/yyyy`.
    pub kept_until: String,
    pub limits: UploadLimits,
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
}

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::prelude::use_context;

    use crate::SiteInfo;
    use crate::db::Database;
    use crate::error::AppError;

    pub fn database() -> Result<Database, AppError> {
        use_context::<Database>().ok_or_else(|| {
            tracing::error!("no database in the server function's context");
            AppError::Internal
        })
    }

    /// `https://host` for links printed on paper: the configured public address, else the
    /// address this request came to.
    pub fn public_base_url(site: &SiteInfo) -> String {
        if let Some(url) = &site.public_url {
            return url.clone();
        }
        let host = use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .map(str::to_owned)
            })
            .filter(|host| {
                host.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            })
            .unwrap_or_else(|| "localhost".to_owned());
        format!("http://{host}")
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

    pub fn site() -> Result<SiteInfo, AppError> {
        use_context::<SiteInfo>().ok_or_else(|| {
            tracing::error!("no site information in the server function's context");
            AppError::Internal
        })
    }
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
    Ok(ssr::database()?.search_catalogue(&filter).await?)
}

#[server(endpoint = "procedure")]
pub async fn get_procedure(code: String) -> Result<Option<Procedure>, AppError> {
    Ok(ssr::database()?.procedure_by_code(&code).await?)
}

#[server(endpoint = "draft")]
pub async fn get_draft(token: String) -> Result<DraftPage, AppError> {
    use crate::db::filing::DraftLookup;
    use crate::domain::application::{ResumeCode, receipt_path};
    use crate::domain::calendar::Date;

    let Ok(code) = ResumeCode::parse(&token) else {
        return Ok(DraftPage::Missing);
    };
    let site = ssr::site()?;
    let now = crate::db::unix_now();
    Ok(match ssr::database()?.draft(code.as_str(), now).await? {
        DraftLookup::Missing => DraftPage::Missing,
        DraftLookup::Expired => DraftPage::Expired,
        DraftLookup::Found(draft) => match draft.submitted {
            Some((dossier, key)) => DraftPage::Submitted {
                receipt_path: receipt_path(&dossier, &key),
            },
            None => DraftPage::Open(Box::new(DraftView {
                token: code.as_str().to_owned(),
                resume_code: code.to_string(),
                procedure: draft.procedure,
                applicant: draft.applicant,
                files: draft.files,
                // The draft goes at `expires_at`: the day before is the last whole day.
                kept_until: Date::in_vietnam(draft.expires_at - 1).day_month_year(),
                limits: site.upload_limits,
            })),
        },
    })
}

#[server(endpoint = "receipt")]
pub async fn get_receipt(code: String, key: String) -> Result<Option<ReceiptPage>, AppError> {
    use crate::domain::application::{LookupKey, status_path};
    use crate::domain::dossier::DossierCode;

    let (Ok(code), Ok(key)) = (DossierCode::parse(&code), LookupKey::parse(&key)) else {
        return Ok(None);
    };
    let code = code.to_string();
    let Some(receipt) = ssr::database()?.receipt(&code, key.as_str()).await? else {
        return Ok(None);
    };
    let site = ssr::site()?;
    let status_url = format!(
        "{}{}",
        ssr::public_base_url(&site),
        status_path(&code, &key.to_string())
    );
    Ok(Some(ReceiptPage {
        qr_svg: ssr::qr_svg(&status_url)?,
        receipt,
        lookup_key: key.to_string(),
        center_name: site.center_name,
        status_url,
    }))
}
