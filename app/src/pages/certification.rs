//! `/xac-minh/{token}`: where a certified copy's QR code leads. It shows the register's facts,
//! the copy's fingerprint and its signature checked now, never who asked for the copy; and it
//! checks a file someone received against the register (`server::routes::tracking::verify_upload`).

use crate::api::{VerificationView, annulled_copies, copy_verification};
use crate::domain::calendar::{Date, vietnam_clock_time};
use crate::domain::certification::{
    SignatureCheck, UPLOAD_FIELD, UploadedCheck, verification_code,
};
use crate::i18n::Texts;
use crate::pages::forms::problem_message;
use crate::pages::layout::{ServerError, title_text};
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn VerificationPage() -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let page = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        copy_verification,
    );
    let t = use_texts();
    view! {
        <Title text=title_text(format!("{} · {}", t.certification.verify_title, t.site_name)) />
        <Suspense>
            {move || page.get().map(|found| match found {
                Ok(Some(view)) => view! { <Verification view token=token.clone() /> }.into_any(),
                Ok(None) => view! {
                    <h1>{t.certification.verify_title}</h1>
                    <p class="field-error" role="alert">{t.certification.unknown}</p>
                }.into_any(),
                Err(_) => view! { <ServerError /> }.into_any(),
            })}
        </Suspense>
    }
}

/// `/ban-sao-da-huy`: every annulled copy, as the law asks them posted publicly.
#[component]
pub fn AnnulledCopiesPage() -> impl IntoView {
    let copies = Resource::new_blocking(|| (), |_| annulled_copies());
    let t = use_texts();
    let c = t.certification;
    view! {
        <Title text=title_text(format!("{} · {}", c.annulled_list_title, t.site_name)) />
        <h1>{c.annulled_list_title}</h1>
        <p>{c.annulled_list_intro}</p>
        <Suspense>
            {move || copies.get().map(|found| match found {
                Ok(copies) if copies.is_empty() => view! { <p>{c.annulled_list_empty}</p> }.into_any(),
                Ok(copies) => view! {
                    <ul class="annulled-copies">
                        {copies.into_iter().filter_map(|copy| copy.annulled.clone().map(|annulment| (copy, annulment))).map(|(copy, annulment)| {
                            view! {
                                <li>
                                    <h2>{copy.number.printed()}</h2>
                                    <dl class="summary">
                                        <dt>{c.document}</dt><dd>{copy.document.clone()}</dd>
                                        <dt>{c.center}</dt><dd>{copy.center_name.clone()}</dd>
                                        <dt>{c.certified_on}</dt><dd>{Date::in_vietnam(copy.certified_at).day_month_year()}</dd>
                                        <dt>{c.annulled_on}</dt><dd>{Date::in_vietnam(annulment.at).day_month_year()}</dd>
                                        <dt>{c.annulled_reason}</dt><dd>{annulment.reason}</dd>
                                    </dl>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(_) => view! { <ServerError /> }.into_any(),
            })}
        </Suspense>
    }
}

/// "2 trang · 3 bản: 12.000 đồng": what the fee of a certified copy is counted on.
pub(crate) fn fee_line(t: &'static Texts, copy: &crate::api::CopyOnReceipt) -> String {
    let c = t.certification;
    format!(
        "{} {} · {} {}: {}",
        copy.pages,
        c.pages_unit,
        copy.paper_copies + 1,
        c.copies_unit,
        crate::pages::back_office::certification::money(t, copy.fee_dong)
    )
}

pub(crate) fn signature_words(t: &'static Texts, check: Option<SignatureCheck>) -> &'static str {
    let c = t.certification;
    match check {
        Some(SignatureCheck::Valid) => c.signature_valid,
        Some(SignatureCheck::Untrusted) => c.signature_untrusted,
        Some(SignatureCheck::Modified) => c.signature_modified,
        Some(SignatureCheck::NotSigned) => c.signature_not_signed,
        None => c.signature_unknown,
    }
}

fn verdict_class(good: bool) -> &'static str {
    if good { "success" } else { "field-error" }
}

#[component]
fn Verification(view: VerificationView, token: String) -> impl IntoView {
    let t = use_texts();
    let c = t.certification;
    let entry = view.entry;
    let uploaded = use_context::<UploadedCheck>();
    let certified = format!(
        "{} {}",
        vietnam_clock_time(entry.certified_at),
        Date::in_vietnam(entry.certified_at).day_month_year()
    );
    let good = view.check == Some(SignatureCheck::Valid) && entry.annulled.is_none();
    let upload_problem = match &uploaded {
        Some(UploadedCheck::Refused(problem)) => Some(*problem),
        _ => None,
    };
    let upload_answer = match uploaded {
        Some(UploadedCheck::Checked {
            sha256,
            matches_register,
            signature,
        }) => Some(view! {
            <div class="verdict" role="status">
                <p class=verdict_class(matches_register)><strong>{if matches_register { c.file_matches } else { c.file_differs }}</strong></p>
                <p class=verdict_class(signature == SignatureCheck::Valid)>{format!("{}: {}", c.signature, signature_words(t, Some(signature)))}</p>
                <p class="note">{c.file_fingerprint}": "<code class="fingerprint">{sha256}</code></p>
            </div>
        }),
        _ => None,
    };
    view! {
        <h1>{c.verify_title}</h1>
        <p>{c.verify_intro}</p>
        {entry.annulled.as_ref().map(|annulment| view! {
            <p class="field-error" role="alert"><strong>{c.annulled}</strong>{format!(" ({}): {}", Date::in_vietnam(annulment.at).day_month_year(), annulment.reason)}</p>
            <p><a href=paths::ANNULLED_COPIES>{c.annulled_list_link}</a></p>
        })}
        <p class=verdict_class(good) role="status"><strong>{format!("{}: {}", c.signature, signature_words(t, view.check))}</strong></p>
        <dl class="summary">
            <dt>{c.number}</dt><dd>{entry.number.printed()}</dd>
            <dt>{c.certified_on}</dt><dd>{certified}</dd>
            <dt>{c.document}</dt><dd>{entry.document.clone()}</dd>
            <dt>{c.pages}</dt><dd>{entry.pages.to_string()}</dd>
            <dt>{c.center}</dt><dd>{entry.center_name.clone()}</dd>
            <dt>{c.officer}</dt><dd>{entry.officer_name.clone()}</dd>
            <dt>{c.fingerprint}</dt><dd><code class="fingerprint">{entry.sha256.clone().unwrap_or_else(|| "—".to_owned())}</code></dd>
        </dl>
        {good.then(|| view! {
            <section aria-labelledby="dung-lai">
                <h2 id="dung-lai">{c.reuse_button}</h2>
                <p>{c.reuse_intro}</p>
                <dl class="summary">
                    <dt>{c.reuse_number}</dt><dd><strong>{entry.number.short()}</strong></dd>
                    <dt>{c.verification_code}</dt><dd><code class="verification-code">{verification_code(&token)}</code></dd>
                </dl>
            </section>
        })}
        <section aria-labelledby="kiem-tra-tep">
            <h2 id="kiem-tra-tep">{c.check_file_heading}</h2>
            {upload_answer}
            <form method="post" enctype="multipart/form-data" class="stack">
                <div class=if upload_problem.is_some() { "field has-error" } else { "field" }>
                    <label for=UPLOAD_FIELD>{c.check_file_label}</label>
                    <p class="hint" id="tep-goi-y">{c.check_file_hint}</p>
                    {problem_message(t, UPLOAD_FIELD, upload_problem)}
                    <input type="file" id=UPLOAD_FIELD name=UPLOAD_FIELD required=true accept="application/pdf" aria-describedby="tep-goi-y" />
                </div>
                <button type="submit">{c.check_file_button}</button>
            </form>
        </section>
        <p><a href=paths::HOME>{t.back_home}</a></p>
    }
}
