//! Staff passwords: Argon2id with a random salt, in the PHC string format. Both functions are
//! slow on purpose; call them off the async runtime (`tokio::task::spawn_blocking`).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(password: &str) -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored hash; a malformed hash matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("một câu mật khẩu dài").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("một câu mật khẩu dài", &stored));
        assert!(!verify("mot cau mat khau dai", &stored));
        assert!(!verify("anything", "not a hash"));
        assert_ne!(stored, hash("một câu mật khẩu dài").unwrap(), "salted");
    }
}
