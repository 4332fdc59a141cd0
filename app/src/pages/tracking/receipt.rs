//! The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, DESIGN.md §4), shown right after
//! submitting and again to anyone holding the dossier code and its lookup key.

use crate::api::{Lookup, ReceiptPage, get_receipt};
use crate::domain::calendar::{Date, vietnam_clock_time};
use crate::domain::dossier::PhoneNumber;
use crate::domain::filing::ResultDelivery;
use crate::domain::lifecycle::Status;
use crate::domain::notifications::Channel;
use crate::domain::tracking::lookup_field;
use crate::pages::forms::{error_id, hint_id};
use crate::pages::layout::{ServerError, set_status, term, title_text};
use crate::{paths, use_texts};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Pages that show a dossier must not leak their address (which carries the key) to other
/// sites. (No browser or proxy keeps them: the server marks every answer under their addresses
/// `no-store`.)
pub fn private_page() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::REFERRER_POLICY,
            http::HeaderValue::from_static("no-referrer"),
        );
    }
}

pub fn code_and_key() -> (String, String) {
    use_query_map().with_untracked(|q| {
        (
            q.get(lookup_field::CODE)
                .unwrap_or_default()
                .chars()
                .take(60)
                .collect(),
            q.get(lookup_field::KEY)
                .unwrap_or_default()
                .chars()
                .take(40)
                .collect(),
        )
    })
}

/// `/giay-hen?ma=…&khoa=…`: the receipt after submitting.
#[component]
pub fn ReceiptRoute() -> impl IntoView {
    private_page();
    let receipt = Resource::new_blocking(code_and_key, |(code, key)| get_receipt(code, key));
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                let t = use_texts();
                match receipt.await {
                    Ok(Lookup::Found(page)) => {
                        // Only the citizen who has just filed online is told it reached the
                        // Center; a walk-in's receipt at the counter says nothing of the kind.
                        let just_filed = !at_the_counter() && page.receipt.status == Status::Submitted;
                        view! {
                            {just_filed.then(|| view! { <p class="success" role="status">{t.filing.submitted_banner}</p> })}
                            <ReceiptSheet page=*page />
                        }
                            .into_any()
                    }
                    unfound => unfound_view(unfound),
                }
            })}
        </Suspense>
    }
}

/// The page of a lookup by code and key that found nothing to show: the lookup form again (saying
/// which field is mistyped), the wait after too many tries, or the error page. Call it for every
/// answer but `Found`, which the caller shows (and which shows the form here).
pub(crate) fn unfound_view<T>(lookup: Result<Lookup<T>, crate::error::AppError>) -> AnyView {
    match lookup {
        Ok(Lookup::Found(_)) | Ok(Lookup::NotFound) => {
            view! { <LookupForm not_found=true /> }.into_any()
        }
        Ok(Lookup::Mistyped { code, key }) => {
            view! { <LookupForm not_found=false mistyped=(code, key) /> }.into_any()
        }
        Ok(Lookup::Limited { retry_minutes }) => view! { <Limited retry_minutes /> }.into_any(),
        Err(_) => view! { <ServerError /> }.into_any(),
    }
}

/// Whether this page is the staff's copy at the counter (`/can-bo/giay-hen`).
fn at_the_counter() -> bool {
    leptos_router::hooks::use_location()
        .pathname
        .get_untracked()
        .starts_with(paths::STAFF_HOME)
}

/// Too many lookups from this address: when to try again (429).
#[component]
pub fn Limited(retry_minutes: i64) -> impl IntoView {
    let t = use_texts();
    set_status(429);
    view! {
        <Title text=title_text(format!("{} · {}", t.tracking.limited_title, t.site_name)) />
        <h1>{t.tracking.limited_title}</h1>
        <p>{t.tracking.limited_text(retry_minutes)}</p>
    }
}

/// The GET form of the lookup page. A wrong code and a wrong key read the same; what cannot be a
/// code or a key at all (`mistyped`: code, key) is said next to its field.
#[component]
pub fn LookupForm(not_found: bool, #[prop(optional)] mistyped: (bool, bool)) -> impl IntoView {
    let t = use_texts();
    let f = t.filing;
    if not_found {
        set_status(404);
    }
    let (code_mistyped, key_mistyped) = mistyped;
    if code_mistyped || key_mistyped {
        set_status(400);
    }
    let described = |name: &str, wrong: bool| {
        if wrong {
            format!("{} {}", error_id(name), hint_id(name))
        } else {
            hint_id(name)
        }
    };
    let (code, key) = code_and_key();
    view! {
        <Title text=title_text(format!("{} · {}", f.lookup_title, t.site_name)) />
        <h1>{f.lookup_title}</h1>
        <p>{f.lookup_intro}</p>
        {not_found.then(|| view! { <p class="field-error" role="alert">{f.receipt_not_found}</p> })}
        <form method="get" action=paths::STATUS class="stack">
            <div class="field">
                <label for=lookup_field::CODE>{f.dossier_code}</label>
                <p class="hint" id=hint_id(lookup_field::CODE)>{f.code_hint}</p>
                {code_mistyped.then(|| view! { <p class="field-error" id=error_id(lookup_field::CODE)>{f.code_mistyped}</p> })}
                <input id=lookup_field::CODE name=lookup_field::CODE value=code autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40" aria-invalid=code_mistyped.then_some("true") aria-describedby=described(lookup_field::CODE, code_mistyped) required />
            </div>
            <div class="field">
                <label for=lookup_field::KEY>{f.lookup_key}</label>
                <p class="hint" id=hint_id(lookup_field::KEY)>{f.key_hint}</p>
                {key_mistyped.then(|| view! { <p class="field-error" id=error_id(lookup_field::KEY)>{f.key_mistyped}</p> })}
                <input id=lookup_field::KEY name=lookup_field::KEY value=key autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" aria-invalid=key_mistyped.then_some("true") aria-describedby=described(lookup_field::KEY, key_mistyped) required />
            </div>
            <button type="submit" class="primary">{f.lookup_button}</button>
        </form>
    }
}

#[component]
pub fn ReceiptSheet(page: ReceiptPage) -> impl IntoView {
    let t = use_texts();
    let f = t.filing;
    let receipt = page.receipt;
    let received = format!(
        "{} {}",
        vietnam_clock_time(receipt.received_at),
        Date::in_vietnam(receipt.received_at).day_month_year()
    );
    let appointment = receipt
        .appointment_date
        .as_deref()
        .and_then(Date::parse_iso)
        .map(|date| match &receipt.appointment_time {
            Some(time) => f.at_time(date.day_month_year(), time),
            None => date.day_month_year(),
        });
    let channel = t.channel_name(receipt.channel);
    // As the procedure states it: "5 ngày làm việc", or its words ("Trong ngày").
    let processing_time = receipt
        .processing_time
        .as_ref()
        .and_then(|time| t.processing_time(time));
    // Staff print at the counter without counting against the lookup limit.
    let staff = at_the_counter();
    let waiting_for_intake = receipt.status == Status::Submitted;
    let pdf_link = crate::domain::url::with_query(
        if staff {
            paths::STAFF_RECEIPT_PDF
        } else {
            paths::RECEIPT_PDF
        },
        &[
            (lookup_field::CODE, receipt.code.as_str()),
            (lookup_field::KEY, page.lookup_key.as_str()),
        ],
    );
    let phone = PhoneNumber::parse(&receipt.applicant_phone)
        .map(|phone| phone.masked())
        .unwrap_or_default();
    view! {
        <Title text=title_text(format!("{} {} · {}", f.receipt_title, receipt.code, t.site_name)) />
        <article class="receipt">
            <header>
                <p class="receipt-center">{page.center_name.clone()}</p>
                <h1>{f.receipt_title}</h1>
            </header>
            <div class="receipt-codes">
                <div>
                    <p class="label">{f.dossier_code}</p>
                    <p class="code big">{receipt.code.clone()}</p>
                </div>
                <div>
                    <p class="label">{f.lookup_key}</p>
                    <p class="code big">{page.lookup_key.clone()}</p>
                </div>
            </div>
            <p class="no-print">
                <a class="button wide" href=paths::status(&receipt.code, &page.lookup_key)>{f.see_status}</a>
            </p>
            <p class="note">{f.keep_codes}</p>
            <dl class="summary">
                {term(f.appointment, appointment.clone().unwrap_or_else(|| f.appointment_later.to_owned()))}
                {term(f.received_at, received)}
                {term(f.status, f.status_name(receipt.status).to_owned())}
                {term(f.procedure_label, receipt.procedure_name.clone())}
                {(!receipt.case_name.is_empty()).then(|| term(f.case_label, receipt.case_name.clone()))}
                {term(f.channel, channel.to_owned())}
                {term(f.applicant, receipt.applicant_name.clone())}
                {(!receipt.proxy_name.is_empty()).then(|| term(f.proxy, receipt.proxy_name.clone()))}
                {term(f.phone_short, phone)}
                {(!receipt.applicant_email.is_empty()).then(|| term(f.email_short, receipt.applicant_email.clone()))}
                {term(f.address_short, receipt.applicant_address.clone())}
                {processing_time.map(|time| term(f.statutory_time, time))}
                {term(f.sets, f.sets_count(1))}
                {term(f.result_where, match receipt.result_delivery {
                    ResultDelivery::AtCenter => page.center_name.clone(),
                    delivery => f.result_delivery(delivery).to_owned(),
                })}
                {term(f.receiving_officer, receipt.receiving_officer.clone().unwrap_or_else(|| f.not_accepted_yet.to_owned()))}
                {(receipt.notify != Channel::None).then(|| term(f.notify_on_receipt, f.notify_channel(receipt.notify).to_owned()))}
            </dl>
            {appointment.is_some().then(|| view! { <p class="hint">{f.appointment_note}</p> })}
            <section aria-labelledby="da-nhan">
                <h2 id="da-nhan">{f.documents_received}</h2>
                <ul class="received-documents">
                    {receipt
                        .documents
                        .iter()
                        .map(|(name, count)| view! { <li>{name.clone()}": "{f.files_count(*count)}</li> })
                        .collect_view()}
                    {receipt.declaration.map(|form| view! { <li>{t.lang.pick(form.title())}": "{f.declared_online}</li> })}
                    {receipt
                        .paper_documents
                        .iter()
                        .map(|(name, scanned)| view! { <li>{name.clone()}": "{f.paper_received(*scanned)}</li> })
                        .collect_view()}
                </ul>
            </section>
            {page.certified_copy.clone().map(|copy| certified_copy_section(t, &copy, &receipt.code, &page.lookup_key))}
            <figure class="qr">
                <div class="qr-code" inner_html=page.qr_svg.clone() aria-hidden="true"></div>
                <figcaption>
                    {f.qr_caption}
                    <br />
                    <a href=page.status_url.clone() class="qr-link">{page.status_url.clone()}</a>
                </figcaption>
            </figure>
            <div class="signatures">
                <p><strong>{f.submitter_signature}</strong><br /><span class="hint">{f.sign_and_name}</span></p>
                <p><strong>{f.receiver_signature}</strong><br /><span class="hint">{f.sign_and_name}</span></p>
            </div>
            <section aria-labelledby="tiep-theo" class="no-print">
                <h2 id="tiep-theo">{f.next_heading}</h2>
                {waiting_for_intake.then(|| view! { <p>{f.next_text}</p> })}
                {(!staff && receipt.notify == Channel::WebPush && !page.push_subscribed).then(|| view! { <p><strong>{t.tracking.push_finish}</strong></p> })}
                {(!staff && !page.push_subscribed).then(|| super::push_offer(t, &receipt.code, &page.lookup_key))}
                <p class="hint">{f.print_hint}</p>
                <p><a href=pdf_link>{t.papers.download_pdf}</a></p>
                {staff.then(|| view! { <p><a class="button" href=paths::INTAKE>{t.staff.next_intake}</a></p> })}
            </section>
        </article>
    }
}

/// The certified copy made in the dossier: its number, the fee, the download and where anyone
/// checks it.
pub(crate) fn certified_copy_section(
    t: &'static crate::i18n::Texts,
    copy: &crate::api::CopyOnReceipt,
    code: &str,
    key: &str,
) -> impl IntoView + use<> {
    let c = t.certification;
    let fee = crate::pages::certification::fee_line(t, copy);
    view! {
        <section aria-labelledby="ban-sao" class="certified-copy">
            <h2 id="ban-sao">{c.receipt_heading}</h2>
            <dl class="summary">
                {term(c.number, copy.number.printed())}
                {term(c.document, copy.document.clone())}
                {term(c.fee_line, fee)}
            </dl>
            {if copy.signed {
                view! {
                    <p class="no-print"><a class="button" href=paths::certified_copy(code, key)>{c.download}</a></p>
                    <p>{c.verify_at}": "<a href=copy.verification_url.clone()>{copy.verification_url.clone()}</a></p>
                    <p>{c.reuse_intro}</p>
                    <dl class="summary">
                        {term(c.reuse_number, copy.number.short())}
                        {term(c.verification_code, copy.verification_code.clone())}
                    </dl>
                }.into_any()
            } else {
                view! { <p class="field-error" role="alert">{c.unsigned_note}</p> }.into_any()
            }}
        </section>
    }
}
