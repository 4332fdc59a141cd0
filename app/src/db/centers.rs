//! The commune centers of the installation (`domain::center`): the default one from the
//! configuration, the others added by the province.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Row;

use super::{Database, DbError, cache_lock, corrupt};
use crate::domain::center::{Center, CenterSlug, NewCenter, PickedCenter, ReceivingDays};
use crate::domain::dossier::AgencyCode;

/// The role key of the province's staff, who belong to no center.
pub(crate) const PROVINCE_ROLE: &str = "tinh";

/// The centers this server read last. Every page names the citizen's center, and centers change
/// a few times a year: one read a minute instead of one a page. A center added through this
/// server is seen at once; one added through another app server within `FRESH_FOR`, or at once
/// by an address that names it (`center_by_slug` reads again when it does not know a slug).
#[derive(Debug, Default)]
pub(crate) struct CenterCache(Mutex<Option<(Instant, Arc<[Center]>)>>);

impl CenterCache {
    const FRESH_FOR: Duration = Duration::from_secs(60);

    fn get(&self) -> Option<Arc<[Center]>> {
        cache_lock(&self.0)
            .as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < Self::FRESH_FOR)
            .map(|(_, centers)| centers.clone())
    }

    fn put(&self, centers: Arc<[Center]>) {
        *cache_lock(&self.0) = Some((Instant::now(), centers));
    }

    fn forget(&self) {
        *cache_lock(&self.0) = None;
    }
}

/// Whether a new center was added, or which of its names another center holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CenterOutcome {
    Created,
    AgencyTaken,
    SlugTaken,
}

fn center(row: &sqlx::any::AnyRow) -> Result<Center, DbError> {
    let days: String = row.try_get("receiving_days")?;
    Ok(Center {
        agency: row.try_get("agency")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        office_hours: row.try_get("office_hours")?,
        receiving_days: ReceivingDays::from_digits(&days)
            .map_err(|_| corrupt("receiving days", &days))?,
        caveats: row.try_get("caveats")?,
        is_default: row.try_get::<i64, _>("is_default")? == 1,
    })
}

impl Database {
    /// Every center, the default first, then by name; read at most once a minute.
    pub async fn centers(&self) -> Result<Arc<[Center]>, DbError> {
        if let Some(centers) = self.centers.get() {
            return Ok(centers);
        }
        self.read_centers().await
    }

    async fn read_centers(&self) -> Result<Arc<[Center]>, DbError> {
        let centers: Arc<[Center]> = sqlx::query(
            "SELECT agency, slug, name, address, office_hours, receiving_days, caveats, \
             is_default FROM centers ORDER BY is_default DESC, name, agency",
        )
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(center)
        .collect::<Result<Vec<_>, _>>()?
        .into();
        self.centers.put(centers.clone());
        Ok(centers)
    }

    /// The default center (there is always one once the server has started).
    pub async fn default_center(&self) -> Result<Center, DbError> {
        self.centers()
            .await?
            .iter()
            .find(|center| center.is_default)
            .cloned()
            .ok_or_else(|| DbError::Corrupt("no default center".to_owned()))
    }

    /// The center at `/xa/{slug}`; a slug this server does not know yet is looked for again.
    pub async fn center_by_slug(&self, slug: &str) -> Result<Option<Center>, DbError> {
        let find = |centers: &[Center]| centers.iter().find(|c| c.slug == slug).cloned();
        if let Some(center) = find(&self.centers().await?) {
            return Ok(Some(center));
        }
        if CenterSlug::parse(slug).is_err() {
            return Ok(None);
        }
        Ok(find(&self.read_centers().await?))
    }

    /// The center a citizen picked (the slug their cookie holds), else the default one. Only
    /// this server's list is read: a cookie anyone can write must not cost a query a request
    /// (a center added on another server a moment ago is found by its `/xa/{slug}` address).
    pub async fn picked_center(&self, slug: Option<&str>) -> Result<PickedCenter, DbError> {
        let centers = self.centers().await?;
        let picked = slug.and_then(|slug| centers.iter().find(|c| c.slug == slug).cloned());
        let center = match picked {
            Some(center) => center,
            None => self.default_center().await?,
        };
        Ok(PickedCenter {
            center,
            others: centers.len() > 1,
        })
    }

    /// The center whose agency code is `agency` (the first part of a dossier's code).
    pub async fn center_of(&self, agency: &str) -> Result<Option<Center>, DbError> {
        let find = |centers: &[Center]| centers.iter().find(|c| c.agency == agency).cloned();
        if let Some(center) = find(&self.centers().await?) {
            return Ok(Some(center));
        }
        Ok(find(&self.read_centers().await?))
    }

    /// The name of the center of `agency`; the default center's for an agency of no center
    /// (dossiers of a center since removed from the list).
    pub async fn center_name_of(&self, agency: &str) -> Result<String, DbError> {
        Ok(match self.center_of(agency).await? {
            Some(center) => center.name,
            None => self.default_center().await?.name,
        })
    }

    /// Makes the configured center (`MOTCUA_AGENCY_CODE`, `MOTCUA_CENTER_NAME`) the default,
    /// adding it when missing: an installation from before many centers, or a new one, starts
    /// as it did. Staff from before then belong to it. Safe when several servers start at once.
    pub async fn ensure_default_center(
        &self,
        agency: &AgencyCode,
        name: &str,
        now: i64,
    ) -> Result<(), DbError> {
        let slugs = [
            CenterSlug::from_name(name),
            CenterSlug::parse(&agency.as_str().to_lowercase().replace('.', "-")).ok(),
        ];
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        for slug in slugs.iter().flatten() {
            // Taken by another center, the slug made from the name gives way to the code's.
            sqlx::query(
                "INSERT INTO centers (agency, slug, name, address, office_hours, receiving_days, \
                 caveats, is_default, created_at) VALUES ($1, $2, $3, '', '', $4, '', 0, $5) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(agency.as_str())
            .bind(slug.as_str())
            .bind(name)
            .bind(ReceivingDays::WORKING_WEEK.digits())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE centers SET is_default = 0 WHERE is_default = 1 AND agency <> $1")
            .bind(agency.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE centers SET is_default = 1, name = $2 WHERE agency = $1")
            .bind(agency.as_str())
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE staff_users SET center = $1 WHERE center IS NULL AND role <> $2")
            .bind(agency.as_str())
            .bind(PROVINCE_ROLE)
            .execute(&mut *tx)
            .await?;
        // Notes and message words from before many centers are the default center's. (The
        // `WHERE` tells SQLite the `ON CONFLICT` is the insert's, not a join's.)
        for (copy, legacy) in [
            (
                "INSERT INTO center_caveats (agency, procedure_code, text, updated_by, updated_at) \
                 SELECT $1, procedure_code, text, updated_by, updated_at FROM procedure_caveats \
                 WHERE 1 = 1 ON CONFLICT DO NOTHING",
                "DELETE FROM procedure_caveats",
            ),
            (
                "INSERT INTO center_templates (agency, kind, language, subject, body, short, \
                 updated_at, updated_by) SELECT $1, kind, language, subject, body, short, \
                 updated_at, updated_by FROM notification_templates WHERE 1 = 1 \
                 ON CONFLICT DO NOTHING",
                "DELETE FROM notification_templates",
            ),
        ] {
            sqlx::query(copy)
                .bind(agency.as_str())
                .execute(&mut *tx)
                .await?;
            sqlx::query(legacy).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.centers.forget();
        Ok(())
    }

    /// Adds a center; refused when its agency code or slug is another center's.
    pub async fn create_center(&self, new: &NewCenter, now: i64) -> Result<CenterOutcome, DbError> {
        let inserted = sqlx::query(
            "INSERT INTO centers (agency, slug, name, address, office_hours, receiving_days, \
             caveats, is_default, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8) \
             ON CONFLICT DO NOTHING",
        )
        .bind(new.agency.as_str())
        .bind(new.slug.as_str())
        .bind(&new.name)
        .bind(&new.address)
        .bind(&new.office_hours)
        .bind(new.receiving_days.digits())
        .bind(&new.caveats)
        .bind(now)
        .execute(self.writer())
        .await?
        .rows_affected();
        self.centers.forget();
        if inserted == 1 {
            return Ok(CenterOutcome::Created);
        }
        let agency_taken = sqlx::query("SELECT 1 AS taken FROM centers WHERE agency = $1")
            .bind(new.agency.as_str())
            .fetch_optional(self.writer())
            .await?
            .is_some();
        Ok(if agency_taken {
            CenterOutcome::AgencyTaken
        } else {
            CenterOutcome::SlugTaken
        })
    }

    /// Whether the center `agency` receives the procedure `code` (every one it has not
    /// withheld).
    pub async fn receives(&self, agency: &str, code: &str) -> Result<bool, DbError> {
        Ok(sqlx::query(
            "SELECT 1 AS withheld FROM center_withheld_procedures \
             WHERE agency = $1 AND procedure_code = $2",
        )
        .bind(agency)
        .bind(code)
        .fetch_optional(self.reader())
        .await?
        .is_none())
    }

    /// The procedures the center `agency` does not receive, as (code, name), by name.
    pub async fn withheld_procedures(
        &self,
        agency: &str,
    ) -> Result<Vec<(String, String)>, DbError> {
        sqlx::query(
            "SELECT w.procedure_code, COALESCE(p.name, '') AS name \
             FROM center_withheld_procedures w \
             LEFT JOIN procedures p ON p.code = w.procedure_code \
             WHERE w.agency = $1 ORDER BY name, w.procedure_code",
        )
        .bind(agency)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("procedure_code")?, row.try_get("name")?)))
        .collect()
    }

    /// Stops (`receives` false) or starts again receiving a procedure at the center `agency`;
    /// `false` when there is no such procedure.
    pub async fn set_receives(
        &self,
        agency: &str,
        code: &str,
        receives: bool,
        by: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let known = sqlx::query("SELECT 1 AS known FROM procedures WHERE code = $1")
            .bind(code)
            .fetch_optional(self.writer())
            .await?
            .is_some();
        if !known {
            return Ok(false);
        }
        let query = if receives {
            sqlx::query(
                "DELETE FROM center_withheld_procedures WHERE agency = $1 AND procedure_code = $2",
            )
            .bind(agency)
            .bind(code)
        } else {
            sqlx::query(
                "INSERT INTO center_withheld_procedures \
                 (agency, procedure_code, withheld_by, withheld_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (agency, procedure_code) DO NOTHING",
            )
            .bind(agency)
            .bind(code)
            .bind(by)
            .bind(now)
        };
        query.execute(self.writer()).await?;
        Ok(true)
    }
}
