//! The forms of Circular 03/2025/TT-VPCP, Annex I (docs/forms.md) as sheets: the words of each
//! form chosen once (`paper_sheet`, `slip_sheet`, `register_sheet`), drawn as a web page here
//! and as a PDF by the server, and the pages that show them to staff and citizens.

use crate::api::{
    DeclarationView, Lookup, PaperView, ReceiptPage, RegisterView, SlipView, citizen_declaration,
    citizen_paper, staff_declaration, staff_paper, staff_register, staff_slip,
};
use crate::domain::calendar::{Date, vietnam_clock_time};
use crate::domain::dossier::PhoneNumber;
use crate::domain::filing::ResultDelivery;
use crate::domain::papers::{
    Block, PageSize, PaperKind, Party, Sheet, Signature, StepResult, register_field,
};
use crate::domain::tracking::{EventDetails, lookup_field};
use crate::i18n::Texts;
use crate::pages::back_office::{StaffNav, staff_page};
use crate::pages::layout::title_text;
use crate::pages::tracking::receipt::{private_page, unfound_view};
use crate::{paths, use_texts};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// "08:05 10/11/2025".
fn moment(at: i64) -> String {
    format!(
        "{} {}",
        vietnam_clock_time(at),
        Date::in_vietnam(at).day_month_year()
    )
}

/// "Ngày 05 tháng 11 năm 2025".
fn dated(t: &'static Texts, at: i64) -> String {
    let date = Date::in_vietnam(at);
    t.papers.dated(
        format!("{:02}", date.day),
        format!("{:02}", date.month),
        date.year,
    )
}

fn appointment(t: &'static Texts, date: Option<Date>, time: Option<&str>) -> String {
    match (date, time) {
        (Some(date), Some(time)) => t.filing.at_time(date.day_month_year(), time),
        (Some(date), None) => date.day_month_year(),
        (None, _) => t.papers.no_appointment.to_owned(),
    }
}

fn step_result(t: &'static Texts, result: Option<StepResult>) -> &'static str {
    let p = t.papers;
    match result {
        Some(StepResult::Early) => p.early,
        Some(StepResult::OnTime) => p.on_time,
        Some(StepResult::Late) => p.late,
        None => p.no_due,
    }
}

/// Mẫu 02–05 as it prints.
pub fn paper_sheet(t: &'static Texts, view: &PaperView) -> Sheet {
    let p = t.papers;
    let d = &view.dossier;
    let paper = &view.paper;
    let center = view.center_name.as_str();
    let request = if d.case_name.is_empty() {
        d.procedure_name.clone()
    } else {
        format!("{} ({})", d.procedure_name, d.case_name)
    };
    let whose = [
        Some(Block::Line(p.dossier_of(&d.applicant_name))),
        (!d.applicant_address.is_empty()).then(|| Block::Line(p.address(&d.applicant_address))),
        (!d.applicant_phone.is_empty()).then(|| Block::Line(p.phone(&d.applicant_phone))),
        (!d.applicant_email.is_empty()).then(|| Block::Line(p.email(&d.applicant_email))),
        Some(Block::Line(p.request(&request))),
        Some(Block::Line(p.dossier_code(&d.code))),
    ]
    .into_iter()
    .flatten();
    let note = &paper.event.public_note;
    let note_line = (!note.is_empty()).then(|| Block::Line(note.clone()));
    let reason = match &paper.event.details {
        Some(EventDetails::Reason { text }) => text.clone(),
        _ => note.clone(),
    };
    let officer = paper.officer.clone().unwrap_or_default();
    let signature = |role: &str, hint: &str| Signature {
        role: role.to_owned(),
        hint: hint.to_owned(),
        name: officer.clone(),
    };
    let title = p.title(paper.kind);
    let (blocks, signatures): (Vec<Block>, _) = match paper.kind {
        PaperKind::SupplementRequest => {
            let mut blocks: Vec<Block> = whose.collect();
            blocks.push(Block::Line(p.supplement_intro.to_owned()));
            if let Some(EventDetails::Supplement {
                documents,
                deadline,
            }) = &paper.event.details
            {
                blocks.push(Block::Items(documents.clone()));
                blocks.push(Block::Strong(
                    p.supplement_deadline(deadline.day_month_year()),
                ));
            }
            if !note.is_empty() {
                blocks.push(Block::Line(p.supplement_note(note)));
            }
            blocks.push(Block::Line(p.supplement_contact(center)));
            (blocks, vec![signature(p.officer_guide, p.sign_and_name)])
        }
        PaperKind::Refusal => {
            let mut blocks: Vec<Block> = whose.collect();
            blocks.push(Block::Line(p.refusal_intro(center)));
            blocks.push(Block::Strong(reason));
            blocks.push(Block::Line(p.refusal_close.to_owned()));
            (blocks, vec![signature(p.officer_receiver, p.sign_and_name)])
        }
        PaperKind::Apology => {
            let mut blocks = vec![
                Block::Line(p.to_applicant(&d.applicant_name)),
                Block::Line(p.apology_received(
                    appointment(t, d.appointment_date, d.appointment_time.as_deref()),
                    center,
                    &d.code,
                    moment(d.received_at),
                )),
                Block::Line(p.apology_late.to_owned()),
            ];
            if let Some(EventDetails::Apology { new_date, text }) = &paper.event.details {
                blocks.push(Block::Strong(text.clone()));
                blocks.push(Block::Strong(p.apology_sorry(new_date.day_month_year())));
            }
            blocks.push(Block::Line(p.apology_thanks.to_owned()));
            (
                blocks,
                vec![signature(p.head_of_agency, p.sign_name_and_seal)],
            )
        }
        PaperKind::StopNotice => {
            let blocks = vec![
                Block::Line(p.to_applicant(&d.applicant_name)),
                Block::Line(p.request(&request)),
                Block::Line(p.dossier_code(&d.code)),
                Block::Line(p.received_on(moment(d.received_at))),
                Block::Line(p.stop_intro(center)),
                Block::Strong(reason),
                Block::Line(p.stop_close(center)),
            ];
            (
                blocks,
                vec![signature(p.head_of_agency, p.sign_name_and_seal)],
            )
        }
    };
    let blocks = match (paper.kind, note_line) {
        // The supplement request prints its note in its own words; the others add it last.
        (PaperKind::SupplementRequest, _) | (_, None) => blocks,
        (_, Some(line)) => blocks.into_iter().chain([line]).collect(),
    };
    Sheet {
        size: PageSize::A5,
        form_label: p.form_label(paper.kind.form()),
        issuer: view.center_name.clone(),
        number: paper.number_text().map(|number| p.number(number)),
        nation: p.nation.to_owned(),
        motto: p.motto.to_owned(),
        dated: Some(dated(t, paper.event.at)),
        title: title.to_owned(),
        blocks,
        qr: None,
        signatures,
    }
}

fn party(t: &'static Texts, party: &Party) -> String {
    match party {
        Party::Applicant(name) => t.papers.slip_applicant(name),
        Party::Staff(name) => name.clone(),
    }
}

/// Mẫu 06 as it prints.
pub fn slip_sheet(t: &'static Texts, view: &SlipView) -> Sheet {
    let p = t.papers;
    let d = &view.dossier;
    let mut blocks = vec![
        Block::Line(p.slip_attached(&d.applicant_name)),
        Block::Line(p.dossier_code(&d.code)),
        Block::Line(p.request(&d.procedure_name)),
        Block::Line(p.received_on(moment(d.received_at))),
        Block::Line(p.appointment_on(appointment(
            t,
            d.appointment_date,
            d.appointment_time.as_deref(),
        ))),
        Block::Line(p.processing_body(&view.center_name)),
    ];
    if view.rows.is_empty() {
        blocks.push(Block::Strong(p.slip_empty.to_owned()));
    } else {
        blocks.push(Block::Table {
            headers: [
                p.slip_row,
                p.slip_giver,
                p.slip_receiver,
                p.slip_when,
                p.slip_result,
                p.slip_note,
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: view
                .rows
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    vec![
                        (index + 1).to_string(),
                        party(t, &row.from),
                        party(t, &row.to),
                        moment(row.at),
                        step_result(t, row.result).to_owned(),
                        row.note.clone(),
                    ]
                })
                .collect(),
            widths: vec![4, 18, 18, 14, 12, 20],
        });
    }
    blocks.push(Block::Line(p.slip_how.to_owned()));
    Sheet {
        size: PageSize::A4,
        form_label: p.form_label("06"),
        issuer: view.center_name.clone(),
        number: None,
        nation: p.nation.to_owned(),
        motto: p.motto.to_owned(),
        dated: None,
        title: p.slip_title.to_owned(),
        blocks,
        qr: None,
        signatures: Vec::new(),
    }
}

/// The declaration the citizen answered in the e-form, laid out as the official form: the
/// addressee, the person asking (from the applicant step), each part with its answers, the
/// pledge and the signature line, dated the day it was sent.
pub fn declaration_sheet(t: &'static Texts, view: &DeclarationView) -> Sheet {
    let p = t.papers;
    let declaration = &view.declaration;
    let mut blocks = vec![
        Block::Line(p.declaration_to(&view.center_name)),
        Block::Strong(p.declaration_requester.to_owned()),
        Block::Line(p.declaration_name(&view.requester_name)),
        Block::Line(p.declaration_id(&view.requester_citizen_id)),
        Block::Line(p.declaration_residence(&view.requester_address)),
    ];
    for (section, answers) in declaration.shown() {
        if !section.about_requester() {
            blocks.push(Block::Strong(t.lang.pick(section.heading).to_owned()));
        }
        for answer in answers {
            // A sheet line is one paragraph: the lines of a list run on, separated.
            let text = t
                .lang
                .answer_text(&answer)
                .lines()
                .collect::<Vec<_>>()
                .join("; ");
            blocks.push(Block::Line(format!(
                "{}: {text}",
                t.lang.pick(answer.label)
            )));
            if let Some(words) = answer.in_words {
                blocks.push(Block::Line(p.declaration_in_words(words)));
            }
        }
    }
    blocks.push(Block::Line(p.declaration_pledge.to_owned()));
    blocks.push(Block::Line(p.declaration_online(&view.code)));
    Sheet {
        size: PageSize::A4,
        form_label: declaration.form.basis().to_owned(),
        issuer: String::new(),
        number: None,
        nation: p.nation.to_owned(),
        motto: p.motto.to_owned(),
        dated: Some(dated(t, view.submitted_at)),
        title: t.lang.pick(declaration.form.title()).to_uppercase(),
        blocks,
        qr: None,
        signatures: vec![Signature {
            role: p.declaration_requester.to_owned(),
            hint: p.declaration_signed_online.to_owned(),
            name: view.requester_name.clone(),
        }],
    }
}

/// Mẫu 01 as its PDF prints it. The receipt's web page (`pages::tracking::receipt`) is laid out
/// for a phone, with the codes large; both take their words from the same texts.
pub fn receipt_sheet(t: &'static Texts, page: &ReceiptPage) -> Sheet {
    let f = t.filing;
    let p = t.papers;
    let receipt = &page.receipt;
    let labelled = |label: &str, value: &str| Block::Line(format!("{label}: {value}"));
    let processing_time = receipt
        .processing_time
        .as_ref()
        .and_then(|time| t.processing_time(time));
    let phone = PhoneNumber::parse(&receipt.applicant_phone)
        .map(|phone| phone.masked())
        .unwrap_or_default();
    let appointment = receipt
        .appointment_date
        .as_deref()
        .and_then(Date::parse_iso)
        .map_or(f.appointment_later.to_owned(), |date| {
            self::appointment(t, Some(date), receipt.appointment_time.as_deref())
        });
    let delivery = match receipt.result_delivery {
        ResultDelivery::AtCenter => page.center_name.clone(),
        delivery => f.result_delivery(delivery).to_owned(),
    };
    let officer = receipt.receiving_officer.clone();
    let blocks =
        [
            Some(Block::Strong(format!(
                "{}: {}   {}: {}",
                f.dossier_code, receipt.code, f.lookup_key, page.lookup_key
            ))),
            Some(labelled(f.applicant, &receipt.applicant_name)),
            (!receipt.proxy_name.is_empty()).then(|| labelled(f.proxy, &receipt.proxy_name)),
            (!phone.is_empty()).then(|| labelled(f.phone_short, &phone)),
            (!receipt.applicant_email.is_empty())
                .then(|| labelled(f.email_short, &receipt.applicant_email)),
            Some(labelled(f.address_short, &receipt.applicant_address)),
            Some(labelled(f.procedure_label, &receipt.procedure_name)),
            (!receipt.case_name.is_empty()).then(|| labelled(f.case_label, &receipt.case_name)),
            Some(labelled(f.channel, t.channel_name(receipt.channel))),
            Some(labelled(f.received_at, &moment(receipt.received_at))),
            processing_time.map(|time| labelled(f.statutory_time, &time)),
            Some(labelled(f.sets, &f.sets_count(1))),
            Some(Block::Line(format!("{}:", f.documents_received))),
            Some(Block::Items(
                receipt
                    .documents
                    .iter()
                    .map(|(name, count)| format!("{name}: {}", f.files_count(*count)))
                    .chain(receipt.declaration.map(|form| {
                        format!("{}: {}", t.lang.pick(form.title()), f.declared_online)
                    }))
                    .chain(
                        receipt.paper_documents.iter().map(|(name, scanned)| {
                            format!("{name}: {}", f.paper_received(*scanned))
                        }),
                    )
                    .collect(),
            )),
            Some(Block::Strong(format!("{}: {appointment}", f.appointment))),
            Some(labelled(f.result_where, &delivery)),
            Some(labelled(
                f.receiving_officer,
                officer.as_deref().unwrap_or(f.not_accepted_yet),
            )),
            page.certified_copy.as_ref().map(|copy| {
                Block::Strong(format!(
                    "{}: {}",
                    t.certification.receipt_heading,
                    copy.number.printed()
                ))
            }),
            page.certified_copy
                .as_ref()
                .map(|copy| labelled(t.certification.document, &copy.document)),
            page.certified_copy.as_ref().map(|copy| {
                labelled(
                    t.certification.fee_line,
                    &crate::pages::certification::fee_line(t, copy),
                )
            }),
            page.certified_copy
                .as_ref()
                .map(|copy| labelled(t.certification.verify_at, &copy.verification_url)),
            page.certified_copy
                .as_ref()
                .map(|copy| labelled(t.certification.verification_code, &copy.verification_code)),
        ]
        .into_iter()
        .flatten()
        .collect();
    Sheet {
        size: PageSize::A5,
        form_label: p.form_label("01"),
        issuer: page.center_name.clone(),
        number: None,
        nation: p.nation.to_owned(),
        motto: p.motto.to_owned(),
        dated: Some(dated(t, receipt.received_at)),
        title: f.receipt_title.to_uppercase(),
        blocks,
        qr: Some((page.status_url.clone(), f.qr_caption.to_owned())),
        signatures: vec![
            Signature {
                role: f.submitter_signature.to_owned(),
                hint: f.sign_and_name.to_owned(),
                name: receipt.applicant_name.clone(),
            },
            Signature {
                role: f.receiver_signature.to_owned(),
                hint: f.sign_and_name.to_owned(),
                name: officer.unwrap_or_default(),
            },
        ],
    }
}

/// The column headers of the tracking book, shared with its spreadsheet.
pub fn register_headers(t: &'static Texts) -> [&'static str; 12] {
    let p = t.papers;
    [
        p.slip_row,
        p.column_code,
        p.column_procedure,
        p.column_applicant,
        p.column_contact,
        p.column_body,
        p.column_received,
        p.column_appointment,
        p.column_returned,
        p.column_delivery,
        p.column_status,
        p.column_signature,
    ]
}

/// Mẫu 07 as it prints: one table, one row per dossier.
pub fn register_sheet(t: &'static Texts, view: &RegisterView) -> Sheet {
    let p = t.papers;
    let f = t.filing;
    let filter = &view.filter;
    let mut blocks = vec![
        Block::Line(p.register_period(filter.first.day_month_year(), filter.last.day_month_year())),
        Block::Line(p.register_count(view.rows.len())),
    ];
    if view.truncated {
        blocks.push(Block::Strong(p.register_truncated(view.rows.len())));
    }
    if view.rows.is_empty() {
        blocks.push(Block::Line(p.register_empty.to_owned()));
    } else {
        blocks.push(Block::Table {
            headers: register_headers(t).map(str::to_owned).to_vec(),
            rows: view
                .rows
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    vec![
                        (index + 1).to_string(),
                        row.code.clone(),
                        row.procedure_name.clone(),
                        row.applicant_name.clone(),
                        row.contact(),
                        view.center_name.clone(),
                        moment(row.received_at),
                        appointment(t, row.appointment_date, row.appointment_time.as_deref()),
                        row.returned_at.map(moment).unwrap_or_default(),
                        f.result_delivery(row.result_delivery).to_owned(),
                        f.status_name(row.status).to_owned(),
                        String::new(),
                    ]
                })
                .collect(),
            widths: vec![3, 12, 17, 11, 13, 10, 8, 8, 8, 8, 8, 6],
        });
    }
    Sheet {
        size: PageSize::A4Landscape,
        form_label: p.form_label("07"),
        issuer: view.center_name.clone(),
        number: None,
        nation: p.nation.to_owned(),
        motto: p.motto.to_owned(),
        dated: None,
        title: p.register_title.to_owned(),
        blocks,
        qr: None,
        signatures: Vec::new(),
    }
}

/// A sheet as a web page: on screen a framed page, in print the page itself.
#[component]
pub fn SheetView(sheet: Sheet) -> impl IntoView {
    let blocks = sheet
        .blocks
        .into_iter()
        .map(|block| match block {
            Block::Line(text) => view! { <p>{text}</p> }.into_any(),
            Block::Strong(text) => view! { <p><strong>{text}</strong></p> }.into_any(),
            Block::Items(items) => view! {
                <ol>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ol>
            }
            .into_any(),
            Block::Table { headers, rows, .. } => view! {
                <div class="table-scroll">
                    <table class="sheet-table">
                        <thead><tr>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <article class=format!("sheet {}", sheet.size.css_class())>
            <header class="sheet-head">
                <div class="sheet-issuer">
                    <p><strong>{sheet.issuer}</strong></p>
                    {sheet.number.map(|number| view! { <p>{number}</p> })}
                </div>
                <div class="sheet-nation">
                    <p><strong>{sheet.nation}</strong></p>
                    <p class="motto"><strong>{sheet.motto}</strong></p>
                    {sheet.dated.map(|dated| view! { <p><em>{dated}</em></p> })}
                </div>
            </header>
            <p class="sheet-form">{sheet.form_label}</p>
            <h1 class="sheet-title">{sheet.title}</h1>
            <div class="sheet-body">{blocks}</div>
            {sheet.qr.map(|(url, caption)| view! { <p class="sheet-qr">{caption}": "<a href=url.clone()>{url.clone()}</a></p> })}
            {(!sheet.signatures.is_empty()).then(|| view! {
                <div class="sheet-signatures">
                    {sheet.signatures.into_iter().map(|signature| view! {
                        <div>
                            <p><strong>{signature.role}</strong></p>
                            <p class="hint">{signature.hint}</p>
                            <p class="signature-name">{signature.name}</p>
                        </div>
                    }).collect_view()}
                </div>
            })}
        </article>
    }
}

/// `/can-bo/ho-so/{code}/phieu/{event}`: a paper of a dossier, for staff.
#[component]
pub fn StaffPaperPage() -> impl IntoView {
    let (code, event) = use_params_map().with_untracked(|p| {
        (
            p.get("code").unwrap_or_default(),
            p.get("event")
                .and_then(|e| e.parse::<i64>().ok())
                .unwrap_or(0),
        )
    });
    let page = Resource::new_blocking(
        move || (code.clone(), event),
        |(code, event)| staff_paper(code, event),
    );
    staff_page(page, |page| {
        let t = use_texts();
        let p = t.papers;
        let view = page.page;
        let sheet = paper_sheet(t, &view);
        let code = view.dossier.code.clone();
        let event = view.paper.event.id;
        view! {
            <Title text=title_text(format!("{} {} · {}", t.papers.link(view.paper.kind), code, t.site_name)) />
            <StaffNav me=page.me />
            <p class="no-print">
                <a href=paths::staff_dossier(&code)>{p.back_to_dossier}</a>" · "
                <a href=paths::staff_paper_pdf(&code, event)>{p.download_pdf}</a>
            </p>
            <p class="hint no-print">{t.filing.print_hint}</p>
            <SheetView sheet />
        }
    })
}

/// A sheet of a dossier for staff: the way back to the dossier and the PDF above it.
#[component]
fn StaffSheet(
    me: crate::api::SignedInStaff,
    title: &'static str,
    code: String,
    pdf: String,
    sheet: Sheet,
) -> impl IntoView {
    let t = use_texts();
    let p = t.papers;
    view! {
        <Title text=title_text(format!("{title} {code} · {}", t.site_name)) />
        <StaffNav me />
        <p class="no-print">
            <a href=paths::staff_dossier(&code)>{p.back_to_dossier}</a>" · "
            <a href=pdf>{p.download_pdf}</a>
        </p>
        <SheetView sheet />
    }
}

/// `/can-bo/ho-so/{code}/to-khai`: the declaration the citizen filled in the e-form.
#[component]
pub fn StaffDeclarationPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let page = Resource::new_blocking(move || code.clone(), staff_declaration);
    staff_page(page, |page| {
        let t = use_texts();
        let p = t.papers;
        let view = page.page;
        let code = view.code.clone();
        view! {
            <StaffSheet
                me=page.me
                title=p.declaration_link
                pdf=paths::staff_declaration_pdf(&code)
                code
                sheet=declaration_sheet(t, &view)
            />
        }
    })
}

/// `/tra-cuu/to-khai?ma=…&khoa=…`: the declaration, for whoever holds the code and key.
#[component]
pub fn CitizenDeclarationPage() -> impl IntoView {
    private_page();
    let declaration = Resource::new_blocking(
        crate::pages::tracking::receipt::code_and_key,
        |(code, key)| citizen_declaration(code, key),
    );
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                let t = use_texts();
                let p = t.papers;
                match declaration.await {
                    Ok(Lookup::Found(view)) => {
                        let (code, key) = crate::pages::tracking::receipt::code_and_key();
                        let sheet = declaration_sheet(t, &view);
                        view! {
                            <Title text=title_text(format!("{} · {}", t.lang.pick(view.declaration.form.title()), t.site_name)) />
                            <p class="no-print">
                                <a href=paths::status(&code, &key)>{p.back_to_status}</a>" · "
                                <a href=paths::citizen_declaration(&code, &key, true)>{p.download_pdf}</a>
                            </p>
                            <SheetView sheet />
                        }
                        .into_any()
                    }
                    unfound => unfound_view(unfound),
                }
            })}
        </Suspense>
    }
}

/// `/can-bo/ho-so/{code}/phieu-kiem-soat`: the processing-control slip.
#[component]
pub fn StaffSlipPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let page = Resource::new_blocking(move || code.clone(), staff_slip);
    staff_page(page, |page| {
        let t = use_texts();
        let p = t.papers;
        let view = page.page;
        let code = view.dossier.code.clone();
        view! {
            <StaffSheet
                me=page.me
                title=p.control_slip_link
                pdf=paths::staff_slip_pdf(&code)
                code
                sheet=slip_sheet(t, &view)
            />
        }
    })
}

/// `/can-bo/so-theo-doi`: the tracking book, filtered by days and procedure.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map().with_untracked(|q| {
        [
            register_field::FROM,
            register_field::TO,
            register_field::PROCEDURE,
        ]
        .into_iter()
        .filter_map(|name| q.get(name).map(|value| (name.to_owned(), value)))
        .collect::<Vec<_>>()
    });
    let page = Resource::new_blocking(move || query.clone(), staff_register);
    staff_page(page, |page| {
        let t = use_texts();
        let p = t.papers;
        let view = page.page;
        let sheet = register_sheet(t, &view);
        let filter = view.filter.clone();
        let export = crate::domain::url::with_query(paths::REGISTER_XLSX, &filter.to_query());
        let pdf = crate::domain::url::with_query(paths::REGISTER_PDF, &filter.to_query());
        let chosen = filter.procedure.clone().unwrap_or_default();
        view! {
            <Title text=title_text(format!("{} · {}", p.register_link, t.site_name)) />
            <StaffNav me=page.me />
            <form method="get" action=paths::REGISTER class="filters no-print">
                <div class="field">
                    <label for="so-tu">{p.register_from}</label>
                    <input id="so-tu" name=register_field::FROM type="date" value=filter.first.iso() />
                </div>
                <div class="field">
                    <label for="so-den">{p.register_to}</label>
                    <input id="so-den" name=register_field::TO type="date" value=filter.last.iso() />
                </div>
                <div class="field">
                    <label for="so-thu-tuc">{p.register_procedure}</label>
                    <select id="so-thu-tuc" name=register_field::PROCEDURE>
                        <option value="">{p.register_any_procedure}</option>
                        {view.procedures.iter().map(|(code, name)| view! {
                            <option value=code.clone() selected=*code == chosen>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary">{p.register_show}</button>
            </form>
            <p class="no-print">
                <a href=export>{p.register_export}</a>" · "
                <a href=pdf>{p.download_pdf}</a>
            </p>
            <SheetView sheet />
        }
    })
}

/// `/tra-cuu/phieu?ma=…&khoa=…&so=…`: a paper the center sent the citizen, opened with the
/// dossier's code and key.
#[component]
pub fn CitizenPaperPage() -> impl IntoView {
    private_page();
    let (code, key, event) = use_query_map().with_untracked(|q| {
        (
            q.get(lookup_field::CODE)
                .unwrap_or_default()
                .chars()
                .take(60)
                .collect::<String>(),
            q.get(lookup_field::KEY)
                .unwrap_or_default()
                .chars()
                .take(40)
                .collect::<String>(),
            q.get(paths::PAPER_FIELD)
                .and_then(|e| e.parse::<i64>().ok())
                .unwrap_or(0),
        )
    });
    let paper = Resource::new_blocking(
        move || (code.clone(), key.clone(), event),
        |(code, key, event)| citizen_paper(code, key, event),
    );
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                let t = use_texts();
                let p = t.papers;
                match paper.await {
                    Ok(Lookup::Found(view)) => {
                        let (code, key) = crate::pages::tracking::receipt::code_and_key();
                        let sheet = paper_sheet(t, &view);
                        let event = view.paper.event.id;
                        view! {
                            <Title text=title_text(format!("{} · {}", t.papers.link(view.paper.kind), t.site_name)) />
                            <p class="no-print">
                                <a href=paths::status(&code, &key)>{p.back_to_status}</a>" · "
                                <a href=paths::citizen_paper(&code, &key, event, true)>{p.download_pdf}</a>
                            </p>
                            <p class="hint no-print">{t.filing.print_hint}</p>
                            <SheetView sheet />
                        }
                        .into_any()
                    }
                    unfound => unfound_view(unfound),
                }
            })}
        </Suspense>
    }
}

/// A procedure's one-page sheet for the counter (A4): the legal time and fee of each channel, the
/// conditions, each case's papers with their originals and copies (those the state holds: the
/// database to look in instead), what this center most often got wrong, and the legal basis.
pub fn cheat_sheet(t: &'static Texts, view: &crate::api::CheatSheetView) -> Sheet {
    use crate::domain::intake_checklist::StateRecord;
    let p = t.papers;
    let procedure = &view.procedure;
    let mut blocks = vec![Block::Line(format!(
        "{}: {} · {}",
        p.cheat_code, procedure.code, procedure.sector.name
    ))];
    for channel in &procedure.channels {
        let time = t
            .processing_time(&channel.time)
            .unwrap_or_else(|| t.no_information.to_owned());
        let fees = if channel.fees.is_empty() {
            t.no_information.to_owned()
        } else {
            channel
                .fees
                .iter()
                .map(|fee| crate::pages::catalogue::procedure::fee_text(t, fee))
                .collect::<Vec<_>>()
                .join("; ")
        };
        blocks.push(Block::Line(format!(
            "{}: {} {time} · {} {fees}",
            t.channel_name(channel.kind),
            p.cheat_time,
            p.cheat_fee
        )));
    }
    let conditions: Vec<String> = procedure
        .conditions
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if !conditions.is_empty() {
        blocks.push(Block::Strong(p.cheat_conditions.to_owned()));
        blocks.push(Block::Items(conditions));
    }
    for case in &procedure.cases {
        blocks.push(Block::Strong(if case.name.is_empty() {
            p.cheat_papers.to_owned()
        } else {
            format!("{}: {}", p.cheat_case, case.name)
        }));
        blocks.push(Block::Table {
            headers: vec![
                p.cheat_paper.to_owned(),
                p.cheat_originals.to_owned(),
                p.cheat_copies.to_owned(),
                p.cheat_note.to_owned(),
            ],
            rows: case
                .documents
                .iter()
                .map(|paper| {
                    let note = match StateRecord::of_paper(&paper.name) {
                        Some(record) => format!("{} {}", p.cheat_look_up, record.name()),
                        None if paper.present_only => p.cheat_present.to_owned(),
                        None if paper.required => p.cheat_required.to_owned(),
                        None => p.cheat_optional.to_owned(),
                    };
                    vec![
                        paper.name.clone(),
                        paper.originals.to_string(),
                        paper.copies.to_string(),
                        note,
                    ]
                })
                .collect(),
            widths: vec![60, 9, 9, 22],
        });
    }
    let often: Vec<String> = view
        .often_wrong
        .missing
        .iter()
        .chain(&view.often_wrong.refused)
        .map(|trouble| format!("{} ({} {})", trouble.text, trouble.times, t.often_times))
        .collect();
    if !often.is_empty() {
        blocks.push(Block::Strong(p.cheat_often_wrong.to_owned()));
        blocks.push(Block::Items(often));
    }
    if !procedure.legal_basis.is_empty() {
        blocks.push(Block::Strong(p.cheat_legal.to_owned()));
        blocks.push(Block::Items(
            procedure
                .legal_basis
                .iter()
                .map(|law| format!("{} {}", law.number, law.title).trim().to_owned())
                .collect(),
        ));
    }
    blocks.push(Block::Line(format!(
        "{} {} {}",
        p.cheat_printed,
        view.today.day_month_year(),
        p.cheat_source
    )));
    Sheet {
        size: PageSize::A4,
        form_label: String::new(),
        issuer: view.center_name.clone(),
        number: None,
        nation: String::new(),
        motto: String::new(),
        dated: None,
        title: format!("{}: {}", p.cheat_sheet_title, procedure.name).to_uppercase(),
        blocks,
        qr: None,
        signatures: Vec::new(),
    }
}

/// `/can-bo/so-tay/{code}`: a procedure's sheet for the counter, to print on A4.
#[component]
pub fn StaffCheatSheetPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let page = Resource::new_blocking(move || code.clone(), crate::api::staff_cheat_sheet);
    staff_page(page, |page| {
        let t = use_texts();
        let p = t.papers;
        let view = page.page;
        let code = view.procedure.code.clone();
        view! {
            <Title text=title_text(format!("{} {code} · {}", p.cheat_sheet_title, t.site_name)) />
            <StaffNav me=page.me />
            <p class="no-print">
                <a href=crate::domain::url::with_query(paths::INTAKE, &[(crate::domain::intake::field::PROCEDURE, code.as_str())])>{t.staff.action(crate::domain::back_office::Action::CounterIntake)}</a>" · "
                <a href=paths::staff_cheat_sheet_pdf(&code)>{p.download_pdf}</a>
            </p>
            <SheetView sheet=cheat_sheet(t, &view) />
        }
    })
}
