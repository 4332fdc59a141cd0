//! Catalogue queries: import (upsert by code, keeping every version), listing, search, detail.

use std::sync::{Arc, PoisonError, RwLock};

use sqlx::Row;

use super::{Database, DbError, sha256_hex};
use crate::domain::procedure::{
    CatalogueFilter, CataloguePage, OnlineLevel, Procedure, ProcedureSummary, SectorCount, paginate,
};
use crate::domain::search::{SearchDocument, SearchFilter, SearchIndex, SearchQuery, fold};

/// This server's search index and the catalogue generation it was built from. Searches read
/// it; the first search after an import (on any server) rebuilds it, one rebuild at a time,
/// while the others go on with the index they had.
#[derive(Default)]
pub(crate) struct SearchCache {
    current: RwLock<Option<(i64, Arc<SearchIndex>)>>,
    rebuilding: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchCache")
            .field(
                "generation",
                &self.latest().map(|(generation, _)| generation),
            )
            .finish()
    }
}

impl SearchCache {
    /// The index built last, with its generation. A panic elsewhere cannot leave the slot half
    /// written (it holds one `Option`), so a poisoned lock is read as it is.
    fn latest(&self) -> Option<(i64, Arc<SearchIndex>)> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|(generation, index)| (*generation, Arc::clone(index)))
    }

    /// The index when it is at least as new as `generation`.
    fn index_for(&self, generation: i64) -> Option<Arc<SearchIndex>> {
        self.latest()
            .filter(|(built, _)| *built >= generation)
            .map(|(_, index)| index)
    }

    fn store(&self, generation: i64, index: Arc<SearchIndex>) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current
            .as_ref()
            .is_none_or(|(built, _)| *built < generation)
        {
            *current = Some((generation, index));
        }
    }
}

/// What an import did, procedure by procedure.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
}

impl Database {
    /// Inserts new procedures and updates changed ones, in one transaction: either the whole
    /// file lands or nothing does. Unchanged procedures are left alone, so re-importing the same
    /// file is a no-op; a changed one gets a new version and the old version is kept.
    #[tracing::instrument(skip_all, fields(count = procedures.len()))]
    pub async fn upsert_procedures(
        &self,
        procedures: &[Procedure],
    ) -> Result<ImportReport, DbError> {
        let mut report = ImportReport::default();
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let now = self.now();
        for procedure in procedures {
            let json = serde_json::to_string(procedure)
                .map_err(|e| DbError::Corrupt(format!("serialising {}: {e}", procedure.code)))?;
            let hash = sha256_hex(&json);
            let existing =
                sqlx::query("SELECT version, content_hash FROM procedures WHERE code = $1")
                    .bind(&procedure.code)
                    .fetch_optional(&mut *tx)
                    .await?;
            let version = match existing {
                Some(row) if row.try_get::<String, _>("content_hash")? == hash => {
                    report.unchanged.push(procedure.code.clone());
                    continue;
                }
                Some(row) => row.try_get::<i64, _>("version")? + 1,
                None => 1,
            };
            let name_folded = fold(&procedure.name);
            let keywords_folded = fold(&procedure.keywords);
            let sector_folded = fold(&procedure.sector.name);
            let body_folded = fold(&procedure.body_text());
            // One statement for new and changed procedures; both back ends know `excluded`.
            sqlx::query(
                "INSERT INTO procedures (code, name, sector, online_level, name_folded, \
                 keywords_folded, sector_folded, body_folded, version, content_hash, \
                 content_json, updated_at, in_force) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, sector = excluded.sector, \
                 online_level = excluded.online_level, name_folded = excluded.name_folded, \
                 keywords_folded = excluded.keywords_folded, sector_folded = excluded.sector_folded, \
                 body_folded = excluded.body_folded, version = excluded.version, \
                 content_hash = excluded.content_hash, content_json = excluded.content_json, \
                 updated_at = excluded.updated_at, in_force = excluded.in_force",
            )
            .bind(&procedure.code)
            .bind(&procedure.name)
            .bind(&procedure.sector.name)
            .bind(procedure.online_level.key())
            .bind(&name_folded)
            .bind(&keywords_folded)
            .bind(&sector_folded)
            .bind(&body_folded)
            .bind(version)
            .bind(&hash)
            .bind(&json)
            .bind(now)
            .bind(i64::from(procedure.in_force))
            .execute(&mut *tx)
            .await?;
            if version == 1 {
                report.inserted.push(procedure.code.clone());
            } else {
                report.updated.push(procedure.code.clone());
            }
            sqlx::query(
                "INSERT INTO procedure_versions (code, version, content_hash, content_json, imported_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&procedure.code)
            .bind(version)
            .bind(&hash)
            .bind(&json)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if !report.inserted.is_empty() || !report.updated.is_empty() {
            sqlx::query("UPDATE catalogue_generation SET generation = generation + 1 WHERE id = 1")
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    pub async fn procedure_count(&self) -> Result<i64, DbError> {
        let count = sqlx::query("SELECT COUNT(*) AS n FROM procedures")
            .fetch_one(self.reader())
            .await?
            .try_get("n")?;
        Ok(count)
    }

    pub async fn procedure_version_count(&self, code: &str) -> Result<i64, DbError> {
        let count = sqlx::query("SELECT COUNT(*) AS n FROM procedure_versions WHERE code = $1")
            .bind(code)
            .fetch_one(self.reader())
            .await?
            .try_get("n")?;
        Ok(count)
    }

    #[tracing::instrument(skip(self))]
    pub async fn procedure_by_code(&self, code: &str) -> Result<Option<Procedure>, DbError> {
        if !super::can_be_key(code) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT content_json FROM procedures WHERE code = $1")
            .bind(code)
            .fetch_optional(self.reader())
            .await?;
        row.map(|row| {
            let json: String = row.try_get("content_json")?;
            serde_json::from_str(&json)
                .map_err(|e| DbError::Corrupt(format!("procedure {code}: {e}")))
        })
        .transpose()
    }

    /// Sectors with their number of procedures, largest first.
    pub async fn sectors(&self) -> Result<Vec<SectorCount>, DbError> {
        let rows = sqlx::query(
            "SELECT sector, COUNT(*) AS n FROM procedures WHERE in_force = 1 GROUP BY sector \
             ORDER BY n DESC, sector",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SectorCount {
                    name: row.try_get("sector")?,
                    count: row.try_get("n")?,
                })
            })
            .collect()
    }

    /// Summaries of the given procedures, in the given order; unknown codes are skipped.
    pub async fn procedure_summaries(
        &self,
        codes: &[String],
    ) -> Result<Vec<ProcedureSummary>, DbError> {
        let mut summaries = Vec::with_capacity(codes.len());
        for code in codes {
            let row = sqlx::query(
                "SELECT code, name, sector, online_level FROM procedures \
                 WHERE code = $1 AND in_force = 1",
            )
            .bind(code)
            .fetch_optional(self.reader())
            .await?;
            if let Some(row) = row {
                summaries.push(summary_from_row(&row)?);
            }
        }
        Ok(summaries)
    }

    /// The catalogue list: filtered by sector and online level, searched and ranked when there
    /// is a query (diacritics and case folded), else in name order; one page of it.
    #[tracing::instrument(skip(self))]
    pub async fn search_catalogue(
        &self,
        filter: &CatalogueFilter,
    ) -> Result<CataloguePage, DbError> {
        let page_size = CatalogueFilter::PAGE_SIZE;
        let query = SearchQuery::parse(&filter.query);
        let online_level = filter.online_level.map(OnlineLevel::key).unwrap_or("");

        let Some(query) = query else {
            return self.list_catalogue(filter, online_level).await;
        };
        let index = self.search_index().await?;
        let found = index.search(
            &query,
            SearchFilter {
                sector: (!filter.sector.is_empty()).then_some(filter.sector.as_str()),
                online_level: filter.online_level,
            },
            &self.common_procedures,
        );
        let total = found.len();
        let (page, page_count) = paginate(total, filter.page, page_size);
        let items = found
            .into_iter()
            .skip((page - 1) * page_size)
            .take(page_size)
            .cloned()
            .collect();
        Ok(CataloguePage {
            items,
            total,
            page,
            page_count,
        })
    }

    /// The catalogue in name order, without a query.
    async fn list_catalogue(
        &self,
        filter: &CatalogueFilter,
        online_level: &str,
    ) -> Result<CataloguePage, DbError> {
        let page_size = CatalogueFilter::PAGE_SIZE;
        let where_clause =
            "in_force = 1 AND ($1 = '' OR sector = $1) AND ($2 = '' OR online_level = $2)";
        let total: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM procedures WHERE {where_clause}"
        ))
        .bind(&filter.sector)
        .bind(online_level)
        .fetch_one(self.reader())
        .await?
        .try_get("n")?;
        let total = usize::try_from(total).unwrap_or(0);
        let (page, page_count) = paginate(total, filter.page, page_size);
        let rows = sqlx::query(&format!(
            "SELECT code, name, sector, online_level FROM procedures WHERE {where_clause} \
             ORDER BY name_folded, code LIMIT $3 OFFSET $4"
        ))
        .bind(&filter.sector)
        .bind(online_level)
        .bind(page_size as i64)
        .bind(((page - 1) * page_size) as i64)
        .fetch_all(self.reader())
        .await?;
        let items = rows
            .iter()
            .map(summary_from_row)
            .collect::<Result<_, _>>()?;
        Ok(CataloguePage {
            items,
            total,
            page,
            page_count,
        })
    }

    /// The catalogue's current generation (one small read).
    async fn catalogue_generation(&self) -> Result<i64, DbError> {
        let generation = sqlx::query("SELECT generation FROM catalogue_generation WHERE id = 1")
            .fetch_one(self.reader())
            .await?
            .try_get("generation")?;
        Ok(generation)
    }

    /// The search index of the catalogue as it is now: this server's copy when no import has
    /// happened since it was built, else a new one. While one request rebuilds it, the others
    /// answer from the copy they had (a search a moment behind an import, not a wait).
    async fn search_index(&self) -> Result<Arc<SearchIndex>, DbError> {
        let generation = self.catalogue_generation().await?;
        if let Some(index) = self.search.index_for(generation) {
            return Ok(index);
        }
        let _rebuilding = match self.search.rebuilding.try_lock() {
            Ok(guard) => guard,
            Err(_) => match self.search.latest() {
                Some((_, index)) => return Ok(index),
                None => self.search.rebuilding.lock().await,
            },
        };
        if let Some(index) = self.search.index_for(generation) {
            return Ok(index);
        }
        // Read the generation again before the rows: the index is labelled with a generation
        // no newer than its rows, so a later import is never mistaken for this one.
        let generation = self.catalogue_generation().await?;
        let rows = sqlx::query(
            "SELECT code, name, sector, online_level, name_folded, keywords_folded, \
             sector_folded, body_folded, content_json FROM procedures WHERE in_force = 1 \
             ORDER BY name_folded, code",
        )
        .fetch_all(self.reader())
        .await?;
        let documents = rows
            .iter()
            .map(|row| {
                let json: String = row.try_get("content_json")?;
                let parts: IndexedParts = serde_json::from_str(&json).map_err(|e| {
                    DbError::Corrupt(format!("a procedure's levels and results: {e}"))
                })?;
                Ok(SearchDocument {
                    summary: summary_from_row(row)?,
                    name: row.try_get("name_folded")?,
                    keywords: row.try_get("keywords_folded")?,
                    results: parts
                        .results
                        .iter()
                        .map(|result| fold(result))
                        .collect::<Vec<_>>()
                        .join(" \n "),
                    sector: row.try_get("sector_folded")?,
                    body: row.try_get("body_folded")?,
                    at_commune: parts.at_commune(),
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        drop(rows);
        let started = std::time::Instant::now();
        let index = tokio::task::spawn_blocking(move || SearchIndex::build(documents))
            .await
            .map(Arc::new)
            .map_err(|e| DbError::Corrupt(format!("building the search index: {e}")))?;
        tracing::info!(
            generation,
            procedures = index.procedure_count(),
            build_ms = started.elapsed().as_millis() as u64,
            "search index built"
        );
        self.search.store(generation, Arc::clone(&index));
        Ok(index)
    }
}

/// What the search index reads from a procedure's stored text besides its folded columns: the
/// levels that perform it and the papers it gives.
#[derive(serde::Deserialize)]
struct IndexedParts {
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    results: Vec<String>,
}

impl IndexedParts {
    /// Whether a commune ("Cấp xã") performs it; unknown when no level is given.
    fn at_commune(&self) -> Option<bool> {
        (!self.levels.is_empty()).then(|| self.levels.iter().any(|l| fold(l) == "cap xa"))
    }
}

fn summary_from_row(row: &sqlx::any::AnyRow) -> Result<ProcedureSummary, DbError> {
    let level: String = row.try_get("online_level")?;
    Ok(ProcedureSummary {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        sector: row.try_get("sector")?,
        online_level: OnlineLevel::from_key(&level)
            .ok_or_else(|| DbError::Corrupt(format!("online level {level}")))?,
    })
}
