//! Staff accounts and their sessions. Passwords are hashed with Argon2id by the caller, off the
//! async runtime (`crate::password`); session tokens are stored only as their SHA-256.

use sqlx::Row;

use super::{Database, DbError, sha256_hex};
use crate::domain::procedure::paginate;
use crate::domain::search::fold;
use crate::domain::staff::{QueueFilter, QueuePage, QueueRow, Role, StaffMember};

/// A signed-in staff member with the CSRF token of their session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub member: StaffMember,
    pub csrf_token: String,
}

/// The queue's filter: `$1` a status (0 for all), `$2` the search as typed ('' for none),
/// `$3` a pattern on the code, `$4` a pattern on the folded applicant name. A literal, so both
/// queue queries share it and no SQL is built at run time.
macro_rules! queue_condition {
    () => {
        "($1 = 0 OR status = $1) AND ($2 = '' OR code LIKE $3 ESCAPE '\\' \
         OR applicant_name_folded LIKE $4 ESCAPE '\\')"
    };
}

/// `text` inside a LIKE pattern whose escape character is a backslash: its `%`, `_` and
/// backslashes then match themselves.
fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn member(row: &sqlx::any::AnyRow) -> Result<StaffMember, DbError> {
    let role: String = row.try_get("role")?;
    Ok(StaffMember {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::from_key(&role).ok_or_else(|| DbError::Corrupt(format!("role {role}")))?,
    })
}

impl Database {
    /// Adds a staff account; `false` when the username is taken.
    pub async fn create_staff_user(
        &self,
        member: &StaffMember,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let inserted = sqlx::query(
            "INSERT INTO staff_users (username, display_name, role, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (username) DO NOTHING",
        )
        .bind(&member.username)
        .bind(&member.display_name)
        .bind(member.role.key())
        .bind(password_hash)
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// An active account with its password hash, for signing in.
    pub async fn staff_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(StaffMember, String)>, DbError> {
        sqlx::query(
            "SELECT username, display_name, role, password_hash FROM staff_users \
             WHERE username = $1 AND active = 1",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?
        .map(|row| Ok((member(&row)?, row.try_get("password_hash")?)))
        .transpose()
    }

    pub async fn create_staff_session(
        &self,
        token: &str,
        username: &str,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, username, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sha256_hex(token))
        .bind(username)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The live session of this cookie token, if any (the account must still be active).
    pub async fn staff_session(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<StaffSession>, DbError> {
        sqlx::query(
            "SELECT u.username, u.display_name, u.role, s.csrf_token FROM staff_sessions s \
             JOIN staff_users u ON u.username = s.username \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(sha256_hex(token))
        .bind(now)
        .fetch_optional(self.pool())
        .await?
        .map(|row| {
            Ok(StaffSession {
                member: member(&row)?,
                csrf_token: row.try_get("csrf_token")?,
            })
        })
        .transpose()
    }

    pub async fn delete_staff_session(&self, token: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Hits counted for `bucket` in the current window, without counting one more.
    pub async fn rate_limit_hits(
        &self,
        bucket: &str,
        window: i64,
        now: i64,
    ) -> Result<i64, DbError> {
        let window_start = now - now.rem_euclid(window);
        Ok(
            sqlx::query("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
                .bind(bucket)
                .bind(window_start)
                .fetch_optional(self.pool())
                .await?
                .map(|row| row.try_get::<i64, _>("hits"))
                .transpose()?
                .unwrap_or(0),
        )
    }

    /// One page of the dossier queue, newest first, with the count of each status.
    pub async fn queue(&self, filter: &QueueFilter) -> Result<QueuePage, DbError> {
        let status = filter.status.map(|s| s.code()).unwrap_or(0);
        let folded = fold(&filter.query);
        let code_pattern = format!("%{}%", like_literal(&filter.query.to_uppercase()));
        // A search with nothing left after folding (say "%") matches no name: `LIKE ''` only
        // matches the empty string, and names are never empty.
        let name_pattern = if folded.is_empty() {
            String::new()
        } else {
            format!("%{}%", like_literal(&folded))
        };
        let total: i64 = sqlx::query(concat!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE ",
            queue_condition!()
        ))
        .bind(status)
        .bind(&filter.query)
        .bind(&code_pattern)
        .bind(&name_pattern)
        .fetch_one(self.pool())
        .await?
        .try_get("n")?;
        let (page, page_count) = paginate(total as usize, filter.page, QueueFilter::PAGE_SIZE);
        let rows = sqlx::query(concat!(
            "SELECT code, procedure_name, applicant_name, channel, status, received_at, \
             appointment_date FROM dossiers WHERE ",
            queue_condition!(),
            " ORDER BY received_at DESC, code DESC LIMIT $5 OFFSET $6"
        ))
        .bind(status)
        .bind(&filter.query)
        .bind(&code_pattern)
        .bind(&name_pattern)
        .bind(QueueFilter::PAGE_SIZE as i64)
        .bind(((page - 1) * QueueFilter::PAGE_SIZE) as i64)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(QueueRow {
                code: row.try_get("code")?,
                procedure_name: row.try_get("procedure_name")?,
                applicant_name: row.try_get("applicant_name")?,
                channel: row.try_get("channel")?,
                status: row.try_get("status")?,
                received_at: row.try_get("received_at")?,
                appointment_date: row.try_get("appointment_date")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        let counts = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM dossiers GROUP BY status ORDER BY status",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("status")?, row.try_get("n")?)))
        .collect::<Result<Vec<_>, DbError>>()?;
        Ok(QueuePage {
            rows,
            total: total as usize,
            page,
            page_count,
            counts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::like_literal;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(like_literal("lan"), "lan");
    }
}
