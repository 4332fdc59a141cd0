//! The messages written to tell citizens (issue 20): a dossier's, on its page, and every message
//! given up on, at `/can-bo/tin-nhan`, each with a button to send it again.

use super::{StaffNav, staff_page};
use crate::api::{ForStaff, staff_failed_messages};
use crate::domain::back_office::{Action, action_field};
use crate::domain::calendar::{Date, vietnam_clock_time};
use crate::domain::notifications::{MessageRecord, MessageState};
use crate::i18n::Texts;
use crate::pages::layout::title_text;
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/can-bo/tin-nhan`: the messages given up on, newest first.
#[component]
pub fn FailedMessagesPage() -> impl IntoView {
    let page = Resource::new_blocking(|| (), |()| staff_failed_messages());
    staff_page(page, |page| view! { <FailedMessages page /> })
}

#[component]
fn FailedMessages(page: ForStaff<Vec<MessageRecord>>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let ForStaff { me, page } = page;
    view! {
        <Title text=title_text(format!("{} · {}", s.failed_messages, t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.failed_messages}</h1>
        {if page.is_empty() {
            view! { <p>{s.no_failed_messages}</p> }.into_any()
        } else {
            let csrf = me
                .member
                .role
                .may(Action::ResendMessage)
                .then_some(me.csrf_token.as_str());
            messages_table(t, &page, csrf, true).into_any()
        }}
    }
}

/// A table of messages; `with_dossier` adds a column linking each to its dossier. Messages
/// given up on get a button to send them again when there is a CSRF token (the member's role
/// may resend them).
pub(crate) fn messages_table(
    t: &'static Texts,
    messages: &[MessageRecord],
    csrf: Option<&str>,
    with_dossier: bool,
) -> impl IntoView + use<> {
    let s = t.staff;
    let rows = messages
        .iter()
        .map(|message| {
            let when = |at: i64| {
                format!(
                    "{} {}",
                    vietnam_clock_time(at),
                    Date::in_vietnam(at).day_month_year()
                )
            };
            let state = match message.state {
                MessageState::Sent => {
                    format!("{} {}", s.message_sent, message.sent_at.map(when).unwrap_or_default())
                }
                MessageState::Pending if message.attempts > 0 => {
                    format!("{} {}", s.message_retrying, when(message.next_attempt_at))
                }
                MessageState::Pending | MessageState::Sending => s.message_waiting.to_owned(),
                MessageState::Dead => s.message_dead.to_owned(),
            };
            let resend = csrf.filter(|_| message.state == MessageState::Dead).map(|csrf| {
                view! {
                    <form method="post" action=paths::STAFF_RESEND>
                        <input type="hidden" name=action_field::CSRF value=csrf.to_owned() />
                        <input type="hidden" name=paths::MESSAGE_FIELD value=message.id.to_string() />
                        {(!with_dossier).then(|| view! { <input type="hidden" name=paths::RETURN_FIELD value=message.dossier_code.clone() /> })}
                        <button type="submit" class="secondary">
                            {s.resend}
                            <span class="visually-hidden">{format!(": {} · {}", s.notice_kind(message.kind), message.dossier_code)}</span>
                        </button>
                    </form>
                }
            });
            view! {
                <tr>
                    {with_dossier.then(|| view! {
                        <td><a href=paths::staff_dossier(&message.dossier_code)>{message.dossier_code.clone()}</a></td>
                    })}
                    <td>{when(message.created_at)}</td>
                    <td>{s.notice_kind(message.kind)}</td>
                    <td>{t.filing.notify_channel(message.channel)}" · "{message.recipient.clone()}</td>
                    <td>{state}" ("{s.attempts(message.attempts)}")"</td>
                    <td>{message.provider_answer.clone()}</td>
                    <td>{resend}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="messages">
                <thead>
                    <tr>
                        {with_dossier.then(|| view! { <th scope="col">{s.dossier}</th> })}
                        <th scope="col">{s.message_written}</th>
                        <th scope="col">{s.message_kind}</th>
                        <th scope="col">{s.message_channel}</th>
                        <th scope="col">{s.message_state}</th>
                        <th scope="col">{s.provider_answer}</th>
                        <th scope="col"><span class="visually-hidden">{s.resend}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
