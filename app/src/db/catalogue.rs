//! Catalogue queries: import (upsert by code, keeping every version), listing, search, detail.

use sqlx::Row;

use super::{Database, DbError, sha256_hex};
use crate::domain::procedure::{
    CatalogueFilter, CataloguePage, OnlineLevel, Procedure, ProcedureSummary, SectorCount, paginate,
};
use crate::domain::search::{SearchFields, SearchQuery, fold, rank};

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
        let mut tx = self.pool().begin().await?;
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
        tx.commit().await?;
        Ok(report)
    }

    pub async fn procedure_count(&self) -> Result<i64, DbError> {
        let count = sqlx::query("SELECT COUNT(*) AS n FROM procedures")
            .fetch_one(self.pool())
            .await?
            .try_get("n")?;
        Ok(count)
    }

    pub async fn procedure_version_count(&self, code: &str) -> Result<i64, DbError> {
        let count = sqlx::query("SELECT COUNT(*) AS n FROM procedure_versions WHERE code = $1")
            .bind(code)
            .fetch_one(self.pool())
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
            .fetch_optional(self.pool())
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
        .fetch_all(self.pool())
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
            .fetch_optional(self.pool())
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

        // Only placeholder numbers are formatted into the SQL text; every value is bound.
        let mut conditions = vec![
            "in_force = 1".to_owned(),
            "($1 = '' OR sector = $1)".to_owned(),
            "($2 = '' OR online_level = $2)".to_owned(),
        ];
        let terms: Vec<String> = query
            .as_ref()
            .map(|q| q.terms.iter().map(|t| format!("%{t}%")).collect())
            .unwrap_or_default();
        if !terms.is_empty() {
            let any_term: Vec<String> = (0..terms.len())
                .map(|i| {
                    let n = i + 3;
                    format!(
                        "(name_folded LIKE ${n} OR keywords_folded LIKE ${n} \
                         OR sector_folded LIKE ${n} OR body_folded LIKE ${n})"
                    )
                })
                .collect();
            conditions.push(format!("({})", any_term.join(" OR ")));
        }
        let where_clause = conditions.join(" AND ");

        let Some(query) = query else {
            let total: i64 = sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM procedures WHERE {where_clause}"
            ))
            .bind(&filter.sector)
            .bind(online_level)
            .fetch_one(self.pool())
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
            .fetch_all(self.pool())
            .await?;
            let items = rows
                .iter()
                .map(summary_from_row)
                .collect::<Result<_, _>>()?;
            return Ok(CataloguePage {
                items,
                total,
                page,
                page_count,
            });
        };

        // The body is long: the database says which words it holds instead of sending it.
        let body_flags: Vec<String> = (0..terms.len())
            .map(|i| {
                format!(
                    "CASE WHEN body_folded LIKE ${} THEN 1 ELSE 0 END AS in_body_{i}",
                    i + 3
                )
            })
            .collect();
        let sql = format!(
            "SELECT code, name, sector, online_level, name_folded, keywords_folded, \
             sector_folded, {}, (SELECT COUNT(*) FROM procedures WHERE in_force = 1) AS catalogue_size \
             FROM procedures WHERE {where_clause} ORDER BY name_folded, code",
            body_flags.join(", ")
        );
        let mut candidates_query = sqlx::query(&sql).bind(&filter.sector).bind(online_level);
        for term in &terms {
            candidates_query = candidates_query.bind(term);
        }
        let rows = candidates_query.fetch_all(self.pool()).await?;
        let mut candidates = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut in_body = Vec::with_capacity(terms.len());
            for i in 0..terms.len() {
                in_body.push(row.try_get::<i64, _>(format!("in_body_{i}").as_str())? != 0);
            }
            candidates.push(Candidate {
                summary: summary_from_row(row)?,
                name: row.try_get("name_folded")?,
                keywords: row.try_get("keywords_folded")?,
                sector: row.try_get("sector_folded")?,
                in_body,
            });
        }
        // The catalogue's size (for the rarity of words) comes with the rows: no second trip.
        let catalogue_size = match rows.first() {
            Some(row) => usize::try_from(row.try_get::<i64, _>("catalogue_size")?).unwrap_or(0),
            None => 0,
        };
        let ranked = rank(&query, candidates, catalogue_size, |c| SearchFields {
            name: &c.name,
            keywords: &c.keywords,
            sector: &c.sector,
            in_body: &c.in_body,
        });
        let total = ranked.len();
        let (page, page_count) = paginate(total, filter.page, page_size);
        let items = ranked
            .into_iter()
            .skip((page - 1) * page_size)
            .take(page_size)
            .map(|c| c.summary)
            .collect();
        Ok(CataloguePage {
            items,
            total,
            page,
            page_count,
        })
    }
}

struct Candidate {
    summary: ProcedureSummary,
    name: String,
    keywords: String,
    sector: String,
    in_body: Vec<bool>,
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
