//! `/can-bo/mau-tin`: the administrator's words for each kind of message to citizens, in each
//! language, with a preview on a made-up dossier (issue 20). The form posts to
//! `/can-bo/mau-tin/luu`; a preview or a refused template comes back as this page with what
//! was typed.

use super::{StaffNav, staff_page};
use crate::api::{ForStaff, TemplatesView, staff_templates};
use crate::domain::back_office::action_field;
use crate::domain::feedback::FormFeedback;
use crate::domain::notifications::{
    Facts, NoticeKind, PLACEHOLDERS, SMS_LENGTH, Template, TemplatePart, compose, sample_notice,
    template_field,
};
use crate::i18n::{Lang, Texts};
use crate::pages::forms::{error_id, error_summary, problem_message};
use crate::pages::layout::{escaped, title_text};
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/can-bo/mau-tin?loai=KIND&ngon-ngu=LANG`.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let (kind, language) = use_query_map().with_untracked(|q| {
        let asked = |name: &str| {
            feedback
                .value(name)
                .map(str::to_owned)
                .or_else(|| q.get(name))
                .unwrap_or_default()
        };
        (asked(template_field::KIND), asked(template_field::LANGUAGE))
    });
    let page = Resource::new_blocking(
        move || (kind.clone(), language.clone()),
        |(kind, language)| staff_templates(kind, language),
    );
    staff_page(page, |page| view! { <Templates page /> })
}

#[component]
fn Templates(page: ForStaff<TemplatesView>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let ForStaff { me, page } = page;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let just_saved = use_query_map().with_untracked(|q| q.get(template_field::SAVED).is_some())
        && feedback.values.is_empty();
    // What the form shows and the preview fills: what was typed, else the words in use.
    let typed = |part: TemplatePart, in_use: &str| {
        feedback
            .value(part.field())
            .map(str::to_owned)
            .unwrap_or_else(|| in_use.to_owned())
    };
    let shown = Template {
        subject: typed(TemplatePart::Subject, &page.template.subject),
        body: typed(TemplatePart::Body, &page.template.body),
        short: typed(TemplatePart::Short, &page.template.short),
    };
    let kinds = NoticeKind::ALL
        .into_iter()
        .map(|kind| {
            let links = [Lang::Vi, Lang::En]
                .into_iter()
                .map(|language| {
                    let current = kind == page.kind && language == page.language;
                    view! {
                        " "
                        <a
                            href=paths::staff_templates(kind.key(), language.code())
                            aria-current=current.then_some("page")
                            lang=language.code()
                        >
                            {language.code().to_uppercase()}
                        </a>
                    }
                })
                .collect_view();
            view! { <li>{s.notice_kind(kind)}{links}</li> }
        })
        .collect_view();
    let placeholders = PLACEHOLDERS
        .iter()
        .map(|name| view! { <code>{format!("{{{name}}}")}</code>" " })
        .collect_view();
    let csrf = me.csrf_token.clone();
    view! {
        <Title text=title_text(format!("{} · {}", s.templates_title, t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.templates_title}</h1>
        <p>{s.templates_intro}</p>
        {just_saved.then(|| view! { <p class="notice" role="status">{s.template_saved}</p> })}
        {error_summary(t, &feedback.problems)}
        <nav aria-label=s.templates_title>
            <ul class="template-kinds">{kinds}</ul>
        </nav>
        <h2>
            {s.notice_kind(page.kind)}
            {format!(" · {} {}", s.template_language, page.language.code().to_uppercase())}
        </h2>
        <p>{if page.saved { s.template_saved_note } else { s.template_default_note }}</p>
        <form method="post" action=paths::STAFF_TEMPLATE_SAVE>
            <input type="hidden" name=action_field::CSRF value=csrf />
            <input type="hidden" name=template_field::KIND value=page.kind.key() />
            <input type="hidden" name=template_field::LANGUAGE value=page.language.code() />
            {template_input(t, &feedback, TemplatePart::Subject, s.template_subject, &shown.subject, page.language)}
            {template_input(t, &feedback, TemplatePart::Body, s.template_body, &shown.body, page.language)}
            {template_input(t, &feedback, TemplatePart::Short, s.template_short, &shown.short, page.language)}
            <p>{s.template_placeholders}" "{placeholders}</p>
            <div class="actions">
                <button type="submit" name=template_field::ACTION value=template_field::PREVIEW class="secondary">
                    {s.template_preview_button}
                </button>
                <button type="submit" name=template_field::ACTION value=template_field::SAVE>
                    {s.template_save_button}
                </button>
                {page.saved.then(|| view! {
                    <button type="submit" name=template_field::ACTION value=template_field::RESET class="secondary">
                        {s.template_reset_button}
                    </button>
                })}
            </div>
        </form>
        {preview(t, &page, &shown)}
    }
}

/// A part's field: one line for the subject, a box for the texts.
fn template_input(
    t: &'static Texts,
    feedback: &FormFeedback,
    part: TemplatePart,
    label: &'static str,
    value: &str,
    language: Lang,
) -> impl IntoView + use<> {
    let name = part.field();
    let problem = feedback.problem(name);
    let described = problem.map(|_| error_id(name));
    let longest = part.longest().to_string();
    let input = match part {
        TemplatePart::Subject => view! {
            <input
                id=name
                name=name
                type="text"
                maxlength=longest
                required=true
                lang=language.code()
                value=value.to_owned()
                aria-invalid=problem.map(|_| "true")
                aria-describedby=described
            />
        }
        .into_any(),
        TemplatePart::Body | TemplatePart::Short => view! {
            <textarea
                id=name
                name=name
                rows=if part == TemplatePart::Body { "8" } else { "3" }
                maxlength=longest
                required=true
                lang=language.code()
                aria-invalid=problem.map(|_| "true")
                aria-describedby=described
            >
                {escaped(value)}
            </textarea>
        }
        .into_any(),
    };
    view! {
        <div class=if problem.is_some() { "field has-error" } else { "field" }>
            <label for=name>{label}</label>
            {problem_message(t, name, problem)}
            {input}
        </div>
    }
}

/// The template filled for a made-up dossier, as each channel carries it.
fn preview(t: &'static Texts, page: &TemplatesView, template: &Template) -> impl IntoView + use<> {
    let s = t.staff;
    let code = "000.00.12.H56-261218-0001";
    let facts = Facts {
        code,
        procedure: "Đăng ký khai sinh",
        center: &page.center_name,
        link: format!("{}{}", page.public_url, paths::status(code, "")),
    };
    let notice = sample_notice(page.kind);
    let composed = compose(&notice, &facts, template, page.language);
    let sms_length = composed.short.chars().count();
    view! {
        <section aria-labelledby="xem-truoc" class="template-preview">
            <h2 id="xem-truoc">{s.template_preview_heading}</h2>
            <h3>{s.template_preview_email}</h3>
            <p lang=page.language.code()><strong>{composed.subject.clone()}</strong></p>
            <pre class="message-text" lang=page.language.code()>{composed.text.clone()}</pre>
            <h3>{s.template_preview_sms}</h3>
            <pre class="message-text">{composed.short.clone()}</pre>
            <p>{format!("{sms_length}/{SMS_LENGTH} {}", s.sms_characters)}</p>
            <h3>{s.template_preview_push}</h3>
            <p lang=page.language.code()><strong>{composed.subject}</strong><br />{composed.lead}</p>
        </section>
    }
}
