//! Staff passwords: Argon2id with a random salt, in the PHC string format. Both functions are
//! slow on purpose; call them off the async runtime (the server checks on threads of their
//! own, `server/src/password_checks.rs`).

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use subtle::ConstantTimeEq;

pub fn hash(password: &str) -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored hash (a malformed hash matches nothing), worked out in
/// `memory`, resized to the hash's cost, instead of a fresh allocation. A thread that checks
/// many passwords keeps one buffer: allocating and freeing 19 MiB per
/// check made the allocator keep ever more of it (about 400 MB after a burst of sign-ins).
pub fn verify_in(password: &str, stored: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(hash.algorithm),
        Params::try_from(&hash),
        hash.salt,
        hash.hash,
    ) else {
        return false;
    };
    let version = Version::try_from(hash.version.unwrap_or(0x13)).unwrap_or_default();
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    memory.resize(params.block_count(), Block::default());
    let mut computed = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut memory[..])
        .is_ok()
        && bool::from(computed.ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("một câu mật khẩu dài").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        let mut memory = Vec::new();
        assert!(verify_in("một câu mật khẩu dài", &stored, &mut memory));
        assert!(!verify_in("mot cau mat khau dai", &stored, &mut memory));
        assert!(!verify_in("anything", "not a hash", &mut memory));
        assert_ne!(stored, hash("một câu mật khẩu dài").unwrap(), "salted");
    }

    #[test]
    fn checking_again_in_kept_memory_gives_the_same_answers() {
        let stored = hash("một câu mật khẩu dài").unwrap();
        let mut memory = Vec::new();
        for _ in 0..2 {
            assert!(verify_in("một câu mật khẩu dài", &stored, &mut memory));
            assert!(!verify_in("mot cau mat khau dai", &stored, &mut memory));
        }
        assert!(!verify_in(
            "",
            "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ",
            &mut memory
        ));
        assert_eq!(
            memory.len(),
            Params::default().block_count(),
            "one buffer, kept"
        );
    }
}
