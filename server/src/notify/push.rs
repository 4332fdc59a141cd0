//! Web push (RFC 8030, with the payload encrypted as RFC 8291 says, `aes128gcm` of RFC 8188, and
//! the server identified by VAPID, RFC 8292), built on ring, the cryptography the TLS stack
//! already uses. The browser's push service (Google's, Mozilla's, Apple's…) carries the message
//! to the phone; it costs the center nothing.

use app::db::notifications::OutgoingMessage;
use app::domain::notifications::{Composed, Outcome, PushSubscription as Subscription};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use ring::{aead, agreement, hkdf};
use std::time::Duration;

/// How a push service's "this subscription is gone" is recorded.
const GONE: &str = "trình duyệt đã thôi nhận tin";

/// One record of at most 4096 bytes holds any of our messages.
const RECORD_SIZE: u32 = 4096;
/// How long a push service keeps a message for a phone that is off.
const TIME_TO_LIVE: u32 = 3 * 24 * 3600;

/// The server's VAPID key pair (ECDSA P-256), kept in the database as PKCS#8.
pub struct VapidKey {
    pair: EcdsaKeyPair,
    /// `mailto:` or `https:` address a push service may contact about our messages.
    subject: String,
}

impl VapidKey {
    /// A new key pair, as PKCS#8 (what the database keeps).
    pub fn generate() -> Result<Vec<u8>, String> {
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .map(|document| document.as_ref().to_vec())
            .map_err(|_| "no VAPID key could be made".to_owned())
    }

    pub fn from_pkcs8(pkcs8: &[u8], subject: String) -> Result<VapidKey, String> {
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8,
            &SystemRandom::new(),
        )
        .map_err(|e| format!("the VAPID key is damaged: {e}"))?;
        Ok(VapidKey { pair, subject })
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed point,
    /// base64url.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.pair.public_key().as_ref())
    }

    /// `Authorization: vapid t=…, k=…` for a push service at `audience` (its origin), valid
    /// for twelve hours from `now`.
    fn authorization(&self, audience: &str, now: i64) -> Result<String, String> {
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims =
            serde_json::json!({ "aud": audience, "exp": now + 12 * 3600, "sub": self.subject });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signed = format!("{header}.{claims}");
        let signature = self
            .pair
            .sign(&SystemRandom::new(), signed.as_bytes())
            .map_err(|_| "signing the VAPID token failed".to_owned())?;
        Ok(format!(
            "vapid t={signed}.{}, k={}",
            URL_SAFE_NO_PAD.encode(signature.as_ref()),
            self.public_key()
        ))
    }
}

/// `payload` encrypted for `subscription` (RFC 8291): an ephemeral ECDH key, HKDF-SHA-256 and
/// AES-128-GCM in one `aes128gcm` record with its header (salt, record size, the key).
pub fn encrypt(subscription: &Subscription, payload: &[u8]) -> Result<Vec<u8>, String> {
    let decode = |text: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| format!("the subscription's {what} is not base64url"))
    };
    let browser_public = decode(&subscription.p256dh, "p256dh")?;
    let auth_secret = decode(&subscription.auth, "auth")?;
    if browser_public.len() != 65 || auth_secret.len() != 16 {
        return Err("the subscription's keys have the wrong length".to_owned());
    }
    let random = SystemRandom::new();
    let ours = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &random)
        .map_err(|_| "no ephemeral key".to_owned())?;
    let our_public = ours
        .compute_public_key()
        .map_err(|_| "no ephemeral public key".to_owned())?;
    let shared = agreement::agree_ephemeral(
        ours,
        &agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, &browser_public),
        |secret| secret.to_vec(),
    )
    .map_err(|_| "the subscription's public key is not a P-256 point".to_owned())?;

    // RFC 8291 §3.4: the input key from the shared secret, the browser's authentication
    // secret and both public keys; then RFC 8188's content key and nonce from a random salt.
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(&browser_public);
    key_info.extend_from_slice(our_public.as_ref());
    let input_key = expand(&auth_secret, &shared, &key_info, 32)?;
    let mut salt = [0u8; 16];
    random.fill(&mut salt).map_err(|_| "no salt".to_owned())?;
    let content_key = expand(&salt, &input_key, b"Content-Encoding: aes128gcm\0", 16)?;
    let nonce = expand(&salt, &input_key, b"Content-Encoding: nonce\0", 12)?;

    let mut record = payload.to_vec();
    record.push(2); // the last (and only) record's delimiter, no padding
    let key = aead::LessSafeKey::new(
        aead::UnboundKey::new(&aead::AES_128_GCM, &content_key).map_err(|_| "bad key")?,
    );
    let nonce = aead::Nonce::try_assume_unique_for_key(&nonce).map_err(|_| "bad nonce")?;
    key.seal_in_place_append_tag(nonce, aead::Aad::empty(), &mut record)
        .map_err(|_| "encryption failed".to_owned())?;

    let mut body = salt.to_vec();
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(our_public.as_ref().len() as u8);
    body.extend_from_slice(our_public.as_ref());
    body.extend_from_slice(&record);
    Ok(body)
}

/// HKDF-SHA-256: `length` bytes expanded with `info` from the key extracted with `salt`.
fn expand(salt: &[u8], secret: &[u8], info: &[u8], length: usize) -> Result<Vec<u8>, String> {
    struct Length(usize);
    impl hkdf::KeyType for Length {
        fn len(&self) -> usize {
            self.0
        }
    }
    let info = [info];
    let key = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(secret);
    let okm = key
        .expand(&info, Length(length))
        .map_err(|_| "HKDF length".to_owned())?;
    let mut out = vec![0u8; length];
    okm.fill(&mut out).map_err(|_| "HKDF fill".to_owned())?;
    Ok(out)
}

/// The origin of a push endpoint (`https://host[:port]`), the audience of its VAPID token.
fn origin(endpoint: &str) -> Option<String> {
    let (scheme, rest) = endpoint.split_once("://")?;
    let host = rest.split('/').next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

pub(super) struct PushChannel {
    client: reqwest::Client,
    key: VapidKey,
}

impl PushChannel {
    pub(super) fn new(key: VapidKey) -> Result<PushChannel, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            // A push service answers; it never sends us elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(PushChannel { client, key })
    }

    /// The provider's answer, and whether it said the subscription is gone for good.
    pub(super) async fn send(
        &self,
        message: &OutgoingMessage,
        subscription: &Subscription,
        composed: &Composed,
        now: i64,
    ) -> (Outcome, bool) {
        let outcome = self.try_send(message, subscription, composed, now).await;
        let gone = matches!(&outcome, Outcome::GiveUp { answer } if answer.starts_with(GONE));
        (outcome, gone)
    }

    async fn try_send(
        &self,
        message: &OutgoingMessage,
        subscription: &Subscription,
        composed: &Composed,
        now: i64,
    ) -> Outcome {
        // Well inside one 4,096-byte record whatever a reason or a list of papers holds: the
        // link carries the rest.
        let shortened = |text: &str, characters: usize| -> String {
            if text.chars().count() <= characters {
                text.to_owned()
            } else {
                format!(
                    "{}…",
                    text.chars().take(characters).collect::<String>().trim_end()
                )
            }
        };
        let payload = serde_json::json!({
            "title": shortened(&composed.subject, 120),
            "body": shortened(&composed.lead, 600),
            "url": composed.values.get("link"),
            "lang": message.language.code(),
        })
        .to_string();
        let body = match encrypt(subscription, payload.as_bytes()) {
            Ok(body) => body,
            Err(answer) => return Outcome::GiveUp { answer },
        };
        let Some(audience) = origin(&subscription.endpoint) else {
            return Outcome::GiveUp {
                answer: "địa chỉ nhận tin không dùng được".to_owned(),
            };
        };
        let authorization = match self.key.authorization(&audience, now) {
            Ok(header) => header,
            Err(answer) => return Outcome::GiveUp { answer },
        };
        // The message's key as its topic: a push service holding an undelivered message with
        // the same topic replaces it instead of delivering both.
        let topic: String = message.idempotency_key.chars().take(32).collect();
        let response = self
            .client
            .post(&subscription.endpoint)
            .header("Authorization", authorization)
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .header("TTL", TIME_TO_LIVE.to_string())
            .header("Urgency", "normal")
            .header("Topic", topic)
            .body(body)
            .send()
            .await;
        match response {
            Err(error) => Outcome::Retry {
                answer: format!("không gọi được dịch vụ đẩy tin: {error}"),
            },
            Ok(response) => {
                let status = response.status();
                let answer = format!("HTTP {status}");
                match status.as_u16() {
                    200..=299 => Outcome::Delivered { answer },
                    // The browser unsubscribed or the subscription expired (RFC 8030 §7.3).
                    404 | 410 => Outcome::GiveUp {
                        answer: format!("{GONE} ({answer})"),
                    },
                    429 | 500..=599 => Outcome::Retry { answer },
                    _ => Outcome::GiveUp { answer },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vapid_token_is_signed_by_the_key_it_names() {
        let key = VapidKey::from_pkcs8(
            &VapidKey::generate().unwrap(),
            "mailto:motcua@xa.gov.vn".to_owned(),
        )
        .unwrap();
        let header = key
            .authorization("https://push.example", 1_800_000_000)
            .unwrap();
        let (token, public) = header
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .unwrap();
        assert_eq!(public, key.public_key());
        let (signed, signature) = token.rsplit_once('.').unwrap();
        let public = URL_SAFE_NO_PAD.decode(public).unwrap();
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, public)
            .verify(
                signed.as_bytes(),
                &URL_SAFE_NO_PAD.decode(signature).unwrap(),
            )
            .unwrap();
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(signed.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["aud"], "https://push.example");
        assert_eq!(claims["exp"], 1_800_000_000 + 12 * 3600);
    }

    #[test]
    fn origins_are_scheme_and_host() {
        assert_eq!(
            origin("https://fcm.googleapis.com/fcm/send/abc").as_deref(),
            Some("https://fcm.googleapis.com")
        );
        assert_eq!(
            origin("http://127.0.0.1:4000/push/1").as_deref(),
            Some("http://127.0.0.1:4000")
        );
        assert_eq!(origin("nonsense"), None);
    }

    #[test]
    fn bad_subscription_keys_are_refused() {
        let subscription = Subscription {
            endpoint: "https://push.example/1".to_owned(),
            p256dh: URL_SAFE_NO_PAD.encode([4u8; 65]),
            auth: URL_SAFE_NO_PAD.encode([0u8; 16]),
        };
        assert!(
            encrypt(&subscription, b"x").is_err(),
            "not a point on the curve"
        );
        let short = Subscription {
            auth: "AAAA".to_owned(),
            ..subscription
        };
        assert!(encrypt(&short, b"x").is_err());
    }
}
