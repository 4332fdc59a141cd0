//! Staff accounts and their sessions. Passwords are hashed with Argon2id by the caller, off the
//! async runtime (`crate::password`); session tokens are stored only as their SHA-256.

use sqlx::Row;

use super::filing::lookup_key_hash as sha256_hex;
use super::{Database, DbError};
use crate::domain::staff::{Role, StaffMember};

/// A signed-in staff member with the CSRF token of their session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub member: StaffMember,
    pub csrf_token: String,
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
}
