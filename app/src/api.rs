//! Server functions: the only way pages reach the database. On the server a page calls them
//! directly; they also answer over HTTP under `/api/` (JSON), e.g. for islands.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
