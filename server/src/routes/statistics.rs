//! The period report as files, for the same query string as the page and from the same
//! figures: `/thong-ke.xlsx` (a sheet per table), `/thong-ke.csv` (the same tables one after
//! the other, UTF-8 with a byte-order mark for Excel) and `/thong-ke.json`.

use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::lang_of;
use app::domain::calendar::Date;
use app::domain::center::PickedCenter;
use app::domain::statistics::decision_766;
use app::domain::statistics::{CHANNELS, Figure, Figures, ROW_FIGURES, Report, Value, plain};
use app::i18n::StatsTexts;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use strum::VariantArray;

/// A cell of a report table.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Value(Value),
}

/// One table of the report: a sheet of the workbook, a block of the CSV.
struct Table {
    sheet: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

/// The report and the period before it, with what the files' headers say.
struct Reports {
    center: String,
    report: Report,
    previous: Report,
}

/// The reports of the query string, for the commune picked when it names none (as the page).
async fn reports_of(
    state: &AppState,
    headers: &HeaderMap,
    picked: &PickedCenter,
    query: &[(String, String)],
) -> Result<Reports, HttpError> {
    let reports =
        app::api::statistics_reports(&state.db, query, Some(picked), state.db.now()).await?;
    let center = if reports.center_name.is_empty() {
        lang_of(headers).texts().centers.whole_province.to_owned()
    } else {
        reports.center_name
    };
    Ok(Reports {
        center,
        report: reports.report,
        previous: reports.previous,
    })
}

fn file_name(report: &Report, extension: &str) -> String {
    format!(
        "attachment; filename=\"bao-cao-{}-{}.{extension}\"",
        report.period.first.iso(),
        report.period.last.iso()
    )
}

/// The headers of a row of figures (`ROW_FIGURES`).
fn figure_headers(s: &StatsTexts) -> Vec<&'static str> {
    ROW_FIGURES.iter().map(|&figure| s.figure(figure)).collect()
}

/// A row's figures (`ROW_FIGURES`), every one of which its dossiers give.
fn row_values(figures: &Figures) -> impl Iterator<Item = (Figure, Value)> + '_ {
    ROW_FIGURES
        .iter()
        .filter_map(|&figure| figures.figure(figure).map(|value| (figure, value)))
}

fn figure_cells(figures: &Figures) -> Vec<Cell> {
    row_values(figures)
        .map(|(_, value)| Cell::Value(value))
        .collect()
}

/// Every table of the report, in the reader's language.
fn tables(s: &StatsTexts, reports: &Reports) -> Vec<Table> {
    let Reports {
        report, previous, ..
    } = reports;
    let summary = Table {
        sheet: s.sheet_summary,
        headers: vec![s.csv_figure, s.this_period, s.csv_previous],
        rows: Figure::VARIANTS
            .iter()
            .map(|&figure| {
                vec![
                    Cell::Text(s.figure(figure).to_owned()),
                    Cell::Value(report.figure(figure)),
                    Cell::Value(previous.figure(figure)),
                ]
            })
            .collect(),
    };
    let with_figures = |first: Vec<&'static str>| {
        let mut headers = first;
        headers.extend(figure_headers(s));
        headers
    };
    let channels = Table {
        sheet: s.sheet_channels,
        headers: with_figures(vec![s.channel_column]),
        rows: CHANNELS
            .iter()
            .map(|&channel| {
                let mut row = vec![Cell::Text(s.channel(channel).to_owned())];
                row.extend(figure_cells(&report.channel(channel)));
                row
            })
            .collect(),
    };
    let sectors = Table {
        sheet: s.sheet_sectors,
        headers: with_figures(vec![s.sector_column]),
        rows: report
            .by_sector()
            .into_iter()
            .map(|(sector, figures)| {
                let mut row = vec![Cell::Text(sector)];
                row.extend(figure_cells(&figures));
                row
            })
            .collect(),
    };
    let procedures = Table {
        sheet: s.sheet_procedures,
        headers: with_figures(vec![
            s.csv_procedure_code,
            s.procedure_column,
            s.sector_column,
        ]),
        rows: report
            .by_procedure()
            .into_iter()
            .map(|(procedure, figures)| {
                let mut row = vec![
                    Cell::Text(procedure.code),
                    Cell::Text(procedure.name),
                    Cell::Text(procedure.sector),
                ];
                row.extend(figure_cells(&figures));
                row
            })
            .collect(),
    };
    let indicators = report.decision_766();
    let decision = Table {
        sheet: s.sheet_766,
        headers: vec![
            s.group_column,
            s.indicator_column,
            s.ratio_column,
            s.target_column,
            s.max_points_column,
            s.points_column,
        ],
        rows: indicators
            .iter()
            .map(|indicator| {
                let name = s.indicator_line(indicator.number);
                let (ratio, score) = match indicator.measure {
                    Ok(ratio) => (
                        Cell::Value(Value::Percent(ratio.value)),
                        Cell::Value(Value::Score(indicator.score())),
                    ),
                    Err(reason) => (
                        Cell::Text(format!(
                            "{}: {}",
                            s.not_measured,
                            s.not_measured_reason(reason)
                        )),
                        Cell::Text(s.not_measured.to_owned()),
                    ),
                };
                vec![
                    Cell::Text(s.group(indicator.group).to_owned()),
                    Cell::Text(name),
                    ratio,
                    Cell::Value(Value::Percent(Some(indicator.target))),
                    Cell::Value(Value::Count(indicator.points)),
                    score,
                ]
            })
            .chain(std::iter::once({
                let (score, points) = decision_766::measured_score(&indicators);
                vec![
                    Cell::Text(String::new()),
                    Cell::Text(s.measured_points(
                        s.lang.number(points as f64 / 100.0),
                        s.lang.number(score as f64 / 100.0),
                    )),
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Value(Value::Score(Some(points))),
                    Cell::Value(Value::Score(Some(score))),
                ]
            }))
            .collect(),
    };
    vec![summary, channels, sectors, procedures, decision]
}

/// The lines above the tables: title, center, period, as of when.
fn heading(s: &StatsTexts, reports: &Reports) -> Vec<[String; 2]> {
    let period = reports.report.period;
    vec![
        [s.report_title.to_owned(), String::new()],
        [s.center.to_owned(), reports.center.clone()],
        [s.csv_from.to_owned(), period.first.iso()],
        [s.to_date.to_owned(), period.last.iso()],
        [
            s.period.to_owned(),
            if reports.report.open {
                s.as_of_now.to_owned()
            } else {
                s.as_of_end(period.last.day_month_year())
            },
        ],
    ]
}

/// `GET /thong-ke.xlsx`
pub(crate) async fn xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(picked): Extension<PickedCenter>,
    Query(query): Query<Vec<(String, String)>>,
) -> Handled {
    let reports = reports_of(&state, &headers, &picked, &query).await?;
    let bytes =
        report_workbook(lang_of(&headers).texts().stats, &reports).map_err(HttpError::internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                file_name(&reports.report, "xlsx"),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn excel_date(date: Date) -> Result<rust_xlsxwriter::ExcelDateTime, rust_xlsxwriter::XlsxError> {
    rust_xlsxwriter::ExcelDateTime::from_ymd(date.year as u16, date.month as u8, date.day as u8)
}

/// The report as a workbook: a sheet per table, the heading on each, counts and rates as
/// numbers (rates with two decimals).
fn report_workbook(
    s: &StatsTexts,
    reports: &Reports,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let decimals = Format::new().set_num_format("0.00");
    let period = reports.report.period;
    for table in tables(s, reports) {
        let sheet = workbook.add_worksheet().set_name(table.sheet)?;
        let heading = heading(s, reports);
        for (row, [label, value]) in heading.iter().enumerate() {
            let row = row as u32;
            sheet.write_string_with_format(row, 0, label, &bold)?;
            match row {
                2 => sheet.write_datetime_with_format(row, 1, excel_date(period.first)?, &day)?,
                3 => sheet.write_datetime_with_format(row, 1, excel_date(period.last)?, &day)?,
                _ => sheet.write_string(row, 1, value)?,
            };
        }
        let header_row = heading.len() as u32 + 1;
        for (column, title) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(header_row, column as u16, *title, &bold)?;
        }
        for (index, cells) in table.rows.iter().enumerate() {
            let row = header_row + 1 + index as u32;
            for (column, cell) in cells.iter().enumerate() {
                let column = column as u16;
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(row, column, text)?;
                    }
                    Cell::Value(value @ Value::Count(_)) => {
                        if let Some(n) = value.number() {
                            sheet.write_number(row, column, n)?;
                        }
                    }
                    Cell::Value(value) => {
                        if let Some(n) = value.number() {
                            sheet.write_number_with_format(row, column, n, &decimals)?;
                        }
                    }
                }
            }
        }
        sheet.set_column_width(0, 34)?;
        for column in 1..table.headers.len() as u16 {
            sheet.set_column_width(column, 14)?;
        }
        sheet.set_freeze_panes(header_row + 1, 1)?;
    }
    workbook.save_to_buffer()
}

/// `GET /thong-ke.csv`
pub(crate) async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(picked): Extension<PickedCenter>,
    Query(query): Query<Vec<(String, String)>>,
) -> Handled {
    let reports = reports_of(&state, &headers, &picked, &query).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                file_name(&reports.report, "csv"),
            ),
        ],
        report_csv(lang_of(&headers).texts().stats, &reports).map_err(HttpError::internal)?,
    )
        .into_response())
}

/// The heading, then each table under its sheet's name, an empty line between them; rates with
/// a dot and two decimals. UTF-8 with a byte-order mark and CRLF lines, as Excel opens it.
fn report_csv(s: &StatsTexts, reports: &Reports) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for line in heading(s, reports) {
        out.write_record(&line)?;
    }
    for table in tables(s, reports) {
        out.write_record([""])?;
        out.write_record([table.sheet])?;
        out.write_record(&table.headers)?;
        for cells in &table.rows {
            out.write_record(cells.iter().map(|cell| match cell {
                Cell::Text(text) => text.clone(),
                Cell::Value(value) => plain(*value),
            }))?;
        }
    }
    out.flush()?;
    out.into_inner().map_err(|error| error.into_error().into())
}

fn json_number(value: Value) -> serde_json::Value {
    match value {
        Value::Count(n) => n.into(),
        _ => value
            .number()
            .map_or(serde_json::Value::Null, serde_json::Value::from),
    }
}

fn json_figures(report: &Report) -> serde_json::Map<String, serde_json::Value> {
    Figure::VARIANTS
        .iter()
        .map(|&figure| (figure.key().to_owned(), json_number(report.figure(figure))))
        .collect()
}

fn json_row(figures: &Figures) -> serde_json::Value {
    serde_json::Value::Object(
        row_values(figures)
            .map(|(figure, value)| (figure.key().to_owned(), json_number(value)))
            .collect(),
    )
}

fn json_period(report: &Report) -> serde_json::Value {
    serde_json::json!({
        "from": report.period.first.iso(),
        "to": report.period.last.iso(),
        "closed": !report.open,
    })
}

/// `GET /thong-ke.json`: the period and scope, every figure by key beside the period before,
/// and the rows per channel, sector and procedure, and the Decision 766 indicators.
pub(crate) async fn json(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(picked): Extension<PickedCenter>,
    Query(query): Query<Vec<(String, String)>>,
) -> Handled {
    let reports = reports_of(&state, &headers, &picked, &query).await?;
    let Reports {
        center,
        report,
        previous,
    } = &reports;
    let all = report.decision_766();
    let measured = decision_766::measured_score(&all);
    let indicators: Vec<serde_json::Value> = all
        .iter()
        .map(|i| {
            serde_json::json!({
                "number": i.number.label(),
                "group": format!("{:?}", i.group),
                "points": i.points,
                "target": json_number(Value::Percent(Some(i.target))),
                "ratio": i.measure.ok().map(|r| json_number(Value::Percent(r.value))),
                "score": json_number(Value::Score(i.score())),
                "not_measured": i.measure.err().map(|reason| format!("{reason:?}")),
            })
        })
        .collect();
    let body = serde_json::json!({
        "center": center,
        "period": json_period(report),
        "filter": report.filter,
        "figures": json_figures(report),
        "previous": { "period": json_period(previous), "figures": json_figures(previous) },
        "channels": CHANNELS.iter().map(|&c| {
            let mut row = json_row(&report.channel(c));
            row["channel"] = c.into();
            row
        }).collect::<Vec<_>>(),
        "sectors": report.by_sector().iter().map(|(sector, figures)| {
            let mut row = json_row(figures);
            row["sector"] = sector.clone().into();
            row
        }).collect::<Vec<_>>(),
        "procedures": report.by_procedure().iter().map(|(p, figures)| {
            let mut row = json_row(figures);
            row["code"] = p.code.clone().into();
            row["name"] = p.name.clone().into();
            row["sector"] = p.sector.clone().into();
            row
        }).collect::<Vec<_>>(),
        "decision_766": indicators,
        "decision_766_measured": {
            "score": json_number(Value::Score(Some(measured.0))),
            "points": json_number(Value::Score(Some(measured.1))),
        },
    });
    Ok((
        [(header::CONTENT_DISPOSITION, file_name(report, "json"))],
        axum::Json(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::statistics::{Filter, Flows, Period, Slice, Stock};
    use app::i18n::Lang;

    fn reports() -> Reports {
        let slice = Slice {
            procedure: "2.000815".to_owned(),
            channel: 1,
            figures: Figures {
                carried: Stock::default(),
                flows: Flows {
                    received: 772,
                    received_digitised: 738,
                    resolved_early: 655,
                    ..Flows::default()
                },
                end: Stock {
                    in_progress: 117,
                    ..Stock::default()
                },
            },
        };
        let report = Report::new(
            Period::month(2025, 7),
            Filter::default(),
            false,
            vec![slice],
            &[],
        );
        Reports {
            center: "Trung tâm Phục vụ hành chính công xã Tân Lập".to_owned(),
            previous: Report::new(
                Period::month(2025, 6),
                Filter::default(),
                false,
                vec![],
                &[],
            ),
            report,
        }
    }

    #[test]
    fn the_csv_holds_every_table_with_rates_cut_to_two_decimals() {
        let bytes = report_csv(Lang::Vi.texts().stats, &reports()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let text = text
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark for Excel");
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|row| row.unwrap().iter().map(str::to_owned).collect())
            .collect();
        let row = |label: &str| {
            rows.iter()
                .find(|row| row[0] == label)
                .unwrap_or_else(|| panic!("{label} in the CSV"))
                .clone()
        };
        assert_eq!(row("Từ ngày")[1], "2025-07-01");
        assert_eq!(row("Tiếp nhận trong kỳ")[1..], ["772", "0"]);
        assert_eq!(row("Tỉ lệ số hóa (%)")[1..], ["95.59", ""]);
        for sheet in [
            "Tổng hợp",
            "Theo kênh",
            "Theo lĩnh vực",
            "Theo thủ tục",
            "QĐ 766",
        ] {
            assert!(rows.iter().any(|row| row == &[sheet]), "{sheet}");
        }
        let procedure = rows.iter().find(|row| row[0] == "2.000815").unwrap();
        assert_eq!(procedure[4..7], ["772", "772", "655"]);
    }
}
