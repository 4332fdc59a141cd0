//! The forms of Circular 03/2025 as files: each paper and the control slip as a PDF, the
//! tracking book as a spreadsheet. The citizen's PDF is served by `routes::tracking`, which
//! opens a dossier by its code and key.

use super::back_office::{forbidden, signed_in};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::lang_of;
use app::api::ReceiptPage;
use app::api::papers_ssr;
use app::domain::back_office::Action;
use app::domain::calendar::Date;
use app::domain::center::Reach;
use app::domain::dossier::{DossierCode, agency_of};
use app::domain::filing::LookupKey;
use app::domain::papers::{RegisterFilter, Sheet};
use app::domain::tracking::lookup_field;
use app::domain::url::query_value;
use app::i18n::Texts;
use app::pages::papers::{
    declaration_sheet, paper_sheet, receipt_sheet, register_headers, register_sheet, slip_sheet,
};
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Lets the request on when it comes from a signed-in member who may read dossiers: the
/// dossiers they reach.
async fn may_read_dossiers(state: &AppState, parts: &Parts) -> Result<Reach, HttpError> {
    let session = signed_in(state, parts).await?;
    if !session.member.role.may(Action::ViewQueue) {
        return Err(forbidden(&session, Action::ViewQueue));
    }
    Ok(session.member.reach())
}

/// The tracking book of the filter in the query string.
async fn register_of(
    state: &AppState,
    reach: &Reach,
    query: &[(String, String)],
) -> Result<app::api::RegisterView, HttpError> {
    let filter = RegisterFilter::from_pairs(query, Date::in_vietnam(state.db.now()));
    Ok(papers_ssr::register(&state.db, reach, filter).await?)
}

/// `so-theo-doi-2025-11-01-2025-11-30.xlsx`: the book's days in its file's name.
fn register_file_name(view: &app::api::RegisterView, extension: &str) -> String {
    format!(
        "so-theo-doi-{}-{}.{extension}",
        view.filter.first.iso(),
        view.filter.last.iso()
    )
}

/// A file to download, never kept by a cache (it carries personal data).
pub(crate) fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The name is built from a dossier code or dates: ASCII letters, digits, dots and dashes.
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A sheet as a PDF answer.
pub(crate) fn pdf_answer(sheet: &Sheet, file_name: &str) -> Response {
    match crate::pdf::render(sheet) {
        Ok(bytes) => download(bytes, "application/pdf", file_name),
        Err(error) => HttpError::internal(error).into_response(),
    }
}

/// `mau-02-…pdf`: the form's number and the dossier's code, without the dots.
pub(crate) fn paper_file_name(form: &str, code: &str) -> String {
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("mau-{form}-{code}.pdf")
}

/// The receipt (Mẫu 01) of the dossier `code` opened by `key`, as a PDF; "not found" for a wrong
/// code or key alike.
pub(crate) async fn receipt_pdf(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    code: &str,
    key: &str,
) -> Handled {
    let (Ok(code), Ok(key)) = (DossierCode::parse(code), LookupKey::parse(key)) else {
        return Err(HttpError::NotFound);
    };
    let code = code.to_string();
    let opened = state
        .db
        .opened_dossier(&code, key.as_str())
        .await?
        .ok_or(HttpError::NotFound)?;
    let base_url = app::api::base_url(&state.site, Some(headers));
    let page = ReceiptPage {
        certified_copy: opened
            .certified_copy
            .map(|entry| app::api::CopyOnReceipt::of(entry, &base_url)),
        status_url: format!("{base_url}{}", app::paths::status(&code, &key.to_string())),
        qr_svg: String::new(),
        receipt: opened.receipt,
        lookup_key: key.to_string(),
        center_name: state.db.center_name_of(agency_of(&code)).await?,
        // Paper offers no web push.
        push_subscribed: false,
    };
    let t: &'static Texts = lang_of(headers).texts();
    Ok(pdf_answer(
        &receipt_sheet(t, &page),
        &paper_file_name("01", &code),
    ))
}

/// `GET /can-bo/giay-hen.pdf?ma=…&khoa=…`: the receipt as staff print it at the counter.
pub(crate) async fn staff_receipt_pdf(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    parts: Parts,
) -> Handled {
    let reach = may_read_dossiers(&state, &parts).await?;
    let value = |name| query_value(&query, name).unwrap_or_default();
    if !reach.reaches(agency_of(&value(lookup_field::CODE))) {
        return Err(HttpError::NotFound);
    }
    receipt_pdf(
        &state,
        &parts.headers,
        &value(lookup_field::CODE),
        &value(lookup_field::KEY),
    )
    .await
}

/// `GET /can-bo/so-theo-doi.pdf`: the tracking book of the filter, on as many A4 landscape pages
/// as it needs.
pub(crate) async fn register_pdf(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    parts: Parts,
) -> Handled {
    let reach = may_read_dossiers(&state, &parts).await?;
    let view = register_of(&state, &reach, &query).await?;
    let t: &'static Texts = lang_of(&parts.headers).texts();
    Ok(pdf_answer(
        &register_sheet(t, &view),
        &register_file_name(&view, "pdf"),
    ))
}

/// `GET /can-bo/ho-so/{code}/phieu/{event}/pdf`
pub(crate) async fn staff_paper_pdf(
    State(state): State<AppState>,
    Path((code, event)): Path<(String, i64)>,
    parts: Parts,
) -> Handled {
    let reach = may_read_dossiers(&state, &parts).await?;
    let view = papers_ssr::paper(&state.db, &reach, &code, event)
        .await?
        .ok_or(HttpError::NotFound)?;
    let t: &'static Texts = lang_of(&parts.headers).texts();
    Ok(pdf_answer(
        &paper_sheet(t, &view),
        &paper_file_name(view.paper.kind.form(), &view.dossier.code),
    ))
}

/// `GET /can-bo/ho-so/{code}/to-khai/pdf`: the declaration filled in the e-form.
pub(crate) async fn staff_declaration_pdf(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Handled {
    let reach = may_read_dossiers(&state, &parts).await?;
    let view = papers_ssr::declaration(&state.db, &reach, &code)
        .await?
        .ok_or(HttpError::NotFound)?;
    let t: &'static Texts = lang_of(&parts.headers).texts();
    Ok(pdf_answer(
        &declaration_sheet(t, &view),
        &declaration_file_name(&view),
    ))
}

/// `to-khai-khai-sinh-….pdf`.
pub(crate) fn declaration_file_name(view: &app::api::DeclarationView) -> String {
    paper_file_name(view.declaration.form.key(), &view.code).replacen("mau-", "to-khai-", 1)
}

/// `GET /can-bo/ho-so/{code}/phieu-kiem-soat/pdf`
pub(crate) async fn staff_slip_pdf(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Handled {
    let reach = may_read_dossiers(&state, &parts).await?;
    let view = papers_ssr::slip(&state.db, &reach, &code)
        .await?
        .ok_or(HttpError::NotFound)?;
    let t: &'static Texts = lang_of(&parts.headers).texts();
    Ok(pdf_answer(
        &slip_sheet(t, &view),
        &paper_file_name("06", &view.dossier.code),
    ))
}

/// `GET /can-bo/so-theo-doi.xlsx`: the tracking book of the filter as a spreadsheet: one sheet,
/// Vietnamese headers, dates as dates, the period in the first rows.
pub(crate) async fn register_xlsx(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    parts: Parts,
) -> Handled {
    let reach = may_read_dossiers(&state, &parts).await?;
    let view = register_of(&state, &reach, &query).await?;
    let t: &'static Texts = lang_of(&parts.headers).texts();
    let bytes = register_workbook(t, &view).map_err(HttpError::internal)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &register_file_name(&view, "xlsx"),
    ))
}

/// A date and time cell's value from Unix seconds, in Vietnam's time.
fn excel_moment(at: i64) -> Result<rust_xlsxwriter::ExcelDateTime, rust_xlsxwriter::XlsxError> {
    let date = Date::in_vietnam(at);
    let seconds = app::domain::calendar::vietnam_second_of_day(at);
    rust_xlsxwriter::ExcelDateTime::from_ymd(date.year as u16, date.month as u8, date.day as u8)?
        .and_hms(
            (seconds / 3600) as u16,
            ((seconds % 3600) / 60) as u8,
            (seconds % 60) as u8,
        )
}

fn excel_date(date: Date) -> Result<rust_xlsxwriter::ExcelDateTime, rust_xlsxwriter::XlsxError> {
    rust_xlsxwriter::ExcelDateTime::from_ymd(date.year as u16, date.month as u8, date.day as u8)
}

/// The tracking book as an .xlsx workbook.
pub(crate) fn register_workbook(
    t: &'static Texts,
    view: &app::api::RegisterView,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let p = t.papers;
    let f = t.filing;
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let moment = Format::new().set_num_format("hh:mm dd/mm/yyyy");
    let sheet = workbook.add_worksheet().set_name(p.sheet_name)?;
    sheet.write_string_with_format(0, 0, p.register_title, &bold)?;
    sheet.write_string(1, 0, &view.center_name)?;
    sheet.write_string(2, 0, p.register_from)?;
    sheet.write_datetime_with_format(2, 1, excel_date(view.filter.first)?, &day)?;
    sheet.write_string(3, 0, p.register_to)?;
    sheet.write_datetime_with_format(3, 1, excel_date(view.filter.last)?, &day)?;
    let header_row = 5;
    for (column, header) in register_headers(t).iter().enumerate() {
        sheet.write_string_with_format(header_row, column as u16, *header, &bold)?;
    }
    for (index, row) in view.rows.iter().enumerate() {
        let r = header_row + 1 + index as u32;
        sheet.write_number(r, 0, (index + 1) as f64)?;
        sheet.write_string(r, 1, &row.code)?;
        sheet.write_string(r, 2, &row.procedure_name)?;
        sheet.write_string(r, 3, &row.applicant_name)?;
        sheet.write_string(r, 4, row.contact())?;
        sheet.write_string(r, 5, &view.center_name)?;
        sheet.write_datetime_with_format(r, 6, excel_moment(row.received_at)?, &moment)?;
        if let Some(date) = row.appointment_date {
            sheet.write_datetime_with_format(r, 7, excel_date(date)?, &day)?;
        }
        if let Some(at) = row.returned_at {
            sheet.write_datetime_with_format(r, 8, excel_moment(at)?, &moment)?;
        }
        sheet.write_string(r, 9, f.result_delivery(row.result_delivery))?;
        sheet.write_string(r, 10, f.status_name(row.status))?;
    }
    for (column, width) in [5, 24, 40, 24, 30, 24, 17, 12, 17, 18, 18, 10]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(column as u16, width)?;
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    workbook.save_to_buffer()
}

/// `GET /can-bo/so-tay/{code}/pdf`: a procedure's counter sheet as an A4 PDF, for any signed-in
/// member who reads dossiers.
pub(crate) async fn staff_cheat_sheet_pdf(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Handled {
    let session = signed_in(&state, &parts).await?;
    if !session.member.role.may(Action::ViewQueue) {
        return Err(forbidden(&session, Action::ViewQueue));
    }
    let center = session.member.center.clone().unwrap_or_default();
    let view = app::api::papers_ssr::cheat_sheet(&state.db, &center, &code)
        .await?
        .ok_or(HttpError::NotFound)?;
    let t: &'static Texts = lang_of(&parts.headers).texts();
    let name: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    Ok(pdf_answer(
        &app::pages::papers::cheat_sheet(t, &view),
        &format!("so-tay-{name}.pdf"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            paper_file_name("02", "000.00.01.H01-251110-0001"),
            "mau-02-0000001H01-251110-0001.pdf"
        );
        assert_eq!(paper_file_name("04", "a\"b\r\n"), "mau-04-ab.pdf");
    }

    #[test]
    fn moments_are_written_in_vietnams_time() {
        // 2025-11-10 01:05:09 UTC is 08:05:09 in Vietnam.
        let cell = excel_moment(1_762_736_709).unwrap();
        let expected = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 11, 10)
            .unwrap()
            .and_hms(8, 5, 9)
            .unwrap();
        assert_eq!(cell.to_excel(), expected.to_excel());
    }
}
