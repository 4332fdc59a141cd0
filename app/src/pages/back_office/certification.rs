//! `/can-bo/chung-thuc`: the counter certifies an electronic copy of a paper original (the form
//! posts to `server::routes::back_office::certification`), and reads the year's register.

use super::{StaffNav, staff_page};
use crate::api::{CertifyView, ForStaff, staff_certify};
use crate::domain::back_office::{Action, action_field};
use crate::domain::calendar::Date;
use crate::domain::certification::{OriginalCheck, RegisterEntry, field};
use crate::domain::feedback::FormFeedback;
use crate::domain::url::with_query;
use crate::i18n::Texts;
use crate::pages::forms::{error_summary, line, problem_message, text_input, textarea};
use crate::pages::layout::title_text;
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use strum::VariantArray;

#[component]
pub fn CertifyPage() -> impl IntoView {
    let year = use_query_map().with_untracked(|q| q.get("nam").and_then(|y| y.parse().ok()));
    let page = Resource::new_blocking(move || year, staff_certify);
    staff_page(page, |page| view! { <Certify page /> })
}

/// Turns, straightens and trims the photos before they are sent, with JavaScript (a plain
/// script: an island would bring the whole WebAssembly bundle to this page).
const SCAN_TOOLS: &str = "/scans.js";

/// The scan tools' words, in the page's language, for the script to read.
fn scan_words(t: &'static Texts) -> String {
    let c = t.certification;
    serde_json::json!({
        "page": c.scan_page,
        "left": c.scan_left,
        "right": c.scan_right,
        "straighten": c.scan_straighten,
        "top": c.scan_top,
        "bottom": c.scan_bottom,
        "left_edge": c.scan_left_edge,
        "right_edge": c.scan_right_edge,
    })
    .to_string()
}

pub(crate) fn check_words(t: &'static Texts, check: OriginalCheck) -> &'static str {
    let c = t.certification;
    match check {
        OriginalCheck::IssuedByAuthority => c.check_issued,
        OriginalCheck::Unaltered => c.check_unaltered,
        OriginalCheck::Legible => c.check_legible,
        OriginalCheck::NotRestricted => c.check_not_restricted,
        OriginalCheck::LawfulContent => c.check_lawful,
        OriginalCheck::ForeignLegalised => c.check_foreign,
        OriginalCheck::EveryPageScanned => c.check_every_page,
    }
}

/// `1.234 đồng`.
pub(crate) fn money(t: &'static Texts, amount: i64) -> String {
    format!("{} {}", t.lang.number(amount), t.dong)
}

#[component]
fn Certify(page: ForStaff<CertifyView>) -> impl IntoView {
    let t = use_texts();
    let c = t.certification;
    let ForStaff { me, page } = page;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let values = feedback.values.clone();
    let checks = OriginalCheck::VARIANTS
        .iter()
        .map(|&check| {
            let name = check.field();
            let problem = feedback.problem(name);
            let ticked = values.contains_key(name);
            view! {
                <div class=if problem.is_some() { "field has-error" } else { "field" }>
                    {problem_message(t, name, problem)}
                    <label class="choice">
                        <input type="checkbox" id=name name=name value="1" checked=ticked required=true />
                        {check_words(t, check)}
                    </label>
                </div>
            }
        })
        .collect_view();
    let pages_problem = feedback.problem(field::PAGES);
    let year = page.year;
    // After an annulment the page names the copy; a refused one comes back open, as typed.
    let annulled_note = use_query_map()
        .with_untracked(|q| q.get(paths::ANNULLED_FIELD))
        .and_then(|token| {
            page.register
                .iter()
                .find(|entry| entry.token == token && entry.annulled.is_some())
        })
        .map(|entry| {
            view! {
                <p class="success" role="status">{format!("{}: {}", c.annulled_done, entry.number.printed())}</p>
            }
        });
    let annulling = me.member.role.may(Action::AnnulCopy).then(|| Annulling {
        csrf: me.csrf_token.clone(),
        feedback: feedback.clone(),
    });
    let form = page.can_sign.then(|| view! {
        <form method="post" action=paths::CERTIFY enctype="multipart/form-data" class="stack">
            <input type="hidden" name=action_field::CSRF value=me.csrf_token.clone() />
            {text_input(t, &values, &feedback, field::DOCUMENT, c.document_label, Some(c.document_hint), line("text", "text", "off", "200", true))}
            {text_input(t, &values, &feedback, field::APPLICANT, c.applicant_label, None, line("text", "text", "off", "100", true))}
            {text_input(t, &values, &feedback, field::APPLICANT_ID, c.applicant_id_label, None, line("text", "numeric", "off", "12", true))}
            {text_input(t, &values, &feedback, field::COPIES, c.copies_label, Some(c.copies_hint), line("text", "numeric", "off", "2", false))}
            <div class=if pages_problem.is_some() { "field has-error" } else { "field" }>
                <label for=field::PAGES>{c.pages_label}</label>
                <p class="hint" id="trang-goi-y">{format!("{} {} {} {}.", c.pages_hint, c.at_most, page.max_pages, c.pages_unit)}</p>
                {problem_message(t, field::PAGES, pages_problem)}
                <input type="file" id=field::PAGES name=field::PAGES multiple=true required=true accept="image/jpeg,image/png" capture="environment" aria-describedby="trang-goi-y" data-scan-tools=scan_words(t) />
            </div>
            <fieldset class="checklist">
                <legend>{c.checks_legend}</legend>
                {checks}
            </fieldset>
            <p class="hint">{c.fee_rule}</p>
            <button type="submit" class="primary">{c.submit}</button>
        </form>
        <script src=SCAN_TOOLS defer nonce=leptos::nonce::use_nonce()></script>
    });
    view! {
        <Title text=title_text(format!("{} · {}", c.title, t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{c.title}</h1>
        {error_summary(t, &feedback.problems)}
        {if page.can_sign {
            view! { <p>{c.intro}</p> }.into_any()
        } else {
            view! { <p class="notice" role="status">{c.no_signing}</p> }.into_any()
        }}
        {form}
        <section aria-labelledby="so-chung-thuc">
            <h2 id="so-chung-thuc">{format!("{} {year}", c.register_title)}</h2>
            <p>
                <a href=with_query(paths::CERTIFY, &[("nam", (year - 1).to_string())])>{format!("← {}", year - 1)}</a>
                " · "
                <a href=with_query(paths::CERTIFY, &[("nam", (year + 1).to_string())])>{format!("{} →", year + 1)}</a>
            </p>
            {annulled_note}
            {register_table(t, &page.register, annulling)}
        </section>
    }
}

/// What the register needs to offer annulment: the member may annul.
struct Annulling {
    csrf: String,
    /// A refused annulment: its copy, reason and problem.
    feedback: FormFeedback,
}

/// The folded form that annuls one signed copy. Type-erased: inside a register row its nested
/// view type outgrows the compiler's query depth in a clean build.
fn annul_form(t: &'static Texts, entry: &RegisterEntry, annulling: &Annulling) -> AnyView {
    let c = t.certification;
    let refused = annulling.feedback.value(field::COPY) == Some(entry.token.as_str());
    // The refused one's field has the plain name the error summary links to.
    let (feedback, id) = if refused {
        (annulling.feedback.clone(), field::REASON.to_owned())
    } else {
        (
            FormFeedback::default(),
            format!("{}-{}", field::REASON, entry.token),
        )
    };
    view! {
        <details class="action" open=refused>
            <summary>{c.annul_summary}</summary>
            <form method="post" action=paths::CERTIFY_ANNUL class="stack">
                <input type="hidden" name=action_field::CSRF value=annulling.csrf.clone() />
                <input type="hidden" name=field::COPY value=entry.token.clone() />
                <p class="hint">{c.annul_hint}</p>
                {textarea(t, &feedback, id, field::REASON, c.annul_reason, None, true)}
                <button type="submit" class="secondary">{c.annul_button}</button>
            </form>
        </details>
    }
    .into_any()
}

fn register_table(
    t: &'static Texts,
    register: &[RegisterEntry],
    annulling: Option<Annulling>,
) -> AnyView {
    let c = t.certification;
    if register.is_empty() {
        return view! { <p>{c.register_empty}</p> }.into_any();
    }
    let rows = register
        .iter()
        .map(|entry| {
            let state = match (&entry.annulled, &entry.signed) {
                (Some(_), _) => c.state_annulled,
                (None, Some(_)) => c.state_signed,
                (None, None) => c.state_unsigned,
            };
            view! {
                <tr>
                    <td data-label=c.number>{entry.number.serial.to_string()}<br /><span class="note">{entry.number.book_label()}</span></td>
                    <td data-label=c.certified_on>{Date::in_vietnam(entry.certified_at).day_month_year()}</td>
                    <td data-label=c.document>{entry.document.clone()}</td>
                    <td data-label=c.applicant>{entry.applicant_name.clone()}<br /><span class="note">{entry.applicant_id.clone()}</span></td>
                    <td data-label=c.officer>{entry.officer_name.clone()}</td>
                    <td data-label=c.pages class="num">{entry.pages.to_string()}</td>
                    <td data-label=c.copies class="num">{(entry.paper_copies + 1).to_string()}</td>
                    <td data-label=c.fee class="num">{money(t, entry.fee_dong)}</td>
                    <td data-label=c.dossier><a href=paths::staff_dossier(&entry.dossier_code)>{entry.dossier_code.clone()}</a></td>
                    <td data-label=c.state>
                        <a href=paths::verification(&entry.token)>{state}</a>
                        {entry.annulled.as_ref().map(|annulment| view! {
                            <br /><span class="note">{format!("{} · {}", Date::in_vietnam(annulment.at).day_month_year(), annulment.reason)}</span>
                        })}
                        {annulling
                            .as_ref()
                            .filter(|_| entry.signed.is_some() && entry.annulled.is_none())
                            .map(|annulling| annul_form(t, entry, annulling))}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="register">
                <thead><tr>
                    <th scope="col">{c.number}</th>
                    <th scope="col">{c.certified_on}</th>
                    <th scope="col">{c.document}</th>
                    <th scope="col">{c.applicant}</th>
                    <th scope="col">{c.officer}</th>
                    <th scope="col">{c.pages}</th>
                    <th scope="col">{c.copies}</th>
                    <th scope="col">{c.fee}</th>
                    <th scope="col">{c.dossier}</th>
                    <th scope="col">{c.state}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
