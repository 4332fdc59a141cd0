//! The statistics as files: `/thong-ke.csv` (UTF-8 with BOM, for Excel) and `/thong-ke.json`,
//! for the same period parameters as the page, from the same figures.

use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::lang_of;
use app::domain::calendar::Date;
use app::domain::statistics::{Figure, Period, Statistics, Value, plain};
use app::i18n::StatsTexts;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use strum::VariantArray;

async fn statistics_of(
    state: &AppState,
    query: &[(String, String)],
) -> Result<Statistics, app::db::DbError> {
    let today = Date::in_vietnam(state.db.now());
    let period = Period::from_pairs(query, today);
    state.db.statistics(period, today).await
}

fn file_name(stats: &Statistics, extension: &str) -> String {
    format!(
        "attachment; filename=\"thong-ke-{}-{}.{extension}\"",
        stats.period.first.iso(),
        stats.period.last.iso()
    )
}

/// `GET /thong-ke.csv`
pub(crate) async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Handled {
    let stats = statistics_of(&state, &query).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file_name(&stats, "csv")),
        ],
        statistics_csv(lang_of(&headers).texts().stats, &stats).map_err(HttpError::internal)?,
    )
        .into_response())
}

/// The statistics as a spreadsheet: the period, every figure, then the counts per procedure;
/// UTF-8 with a byte-order mark and CRLF lines, as Excel opens it.
fn statistics_csv(s: &StatsTexts, stats: &Statistics) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record([s.csv_figure, s.csv_value])?;
    out.write_record([s.csv_from, &stats.period.first.iso()])?;
    out.write_record([s.to_date, &stats.period.last.iso()])?;
    for &figure in Figure::VARIANTS {
        out.write_record([s.figure(figure), &plain(stats.figure(figure))])?;
    }
    out.flush()?;
    let mut bytes = out.into_inner().map_err(|error| error.into_error())?;
    // An empty line between the two tables.
    bytes.extend_from_slice(b"\r\n");
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(bytes);
    out.write_record([
        s.csv_procedure_code,
        s.procedure_column,
        s.csv_received,
        s.csv_resolved,
        s.time,
    ])?;
    for p in &stats.procedures {
        out.write_record([
            p.code.as_str(),
            &p.name,
            &p.received.to_string(),
            &p.finished.to_string(),
            &p.in_time.to_string(),
        ])?;
    }
    out.flush()?;
    out.into_inner().map_err(|error| error.into_error().into())
}

fn number(value: Value) -> serde_json::Value {
    match value {
        Value::Count(n) => n.into(),
        Value::Percent(v) | Value::Score(v) => v
            .map(|v| ((v * 100.0).round() / 100.0).into())
            .unwrap_or(serde_json::Value::Null),
    }
}

/// `GET /thong-ke.json`: the period, every figure by key, the counts per procedure.
pub(crate) async fn json(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
) -> Handled {
    let stats = statistics_of(&state, &query).await?;
    let figures: serde_json::Map<String, serde_json::Value> = Figure::VARIANTS
        .iter()
        .map(|&figure| (figure.key().to_owned(), number(stats.figure(figure))))
        .collect();
    let body = serde_json::json!({
        "period": { "from": stats.period.first.iso(), "to": stats.period.last.iso() },
        "figures": figures,
        "procedures": stats.procedures,
    });
    Ok((
        [(header::CONTENT_DISPOSITION, file_name(&stats, "json"))],
        axum::Json(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::statistics::{Counts, ProcedureCounts, RatingCounts};
    use app::i18n::Lang;

    #[test]
    fn the_csv_reads_back_in_a_spreadsheet() {
        let today = Date::parse_iso("2026-11-30").unwrap();
        let stats = Statistics {
            period: Period::from_pairs(&[("ky".into(), "thang".into())], today),
            counts: Counts {
                received: 3,
                ..Counts::default()
            },
            procedures: vec![ProcedureCounts {
                code: "1.001193".to_owned(),
                name: "Cấp bản sao, chứng thực \"bản chính\"".to_owned(),
                received: 3,
                finished: 2,
                in_time: 2,
            }],
            ratings: RatingCounts::default(),
        };
        let bytes = statistics_csv(Lang::Vi.texts().stats, &stats).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let text = text
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark for Excel");
        assert!(
            text.contains("\r\n\r\n"),
            "an empty line between the tables"
        );
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|row| row.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[0], ["Chỉ tiêu", "Giá trị"]);
        assert_eq!(rows[1], ["Từ ngày", "2026-11-01"]);
        assert_eq!(rows.len(), 3 + Figure::VARIANTS.len() + 2);
        assert_eq!(
            rows.last().unwrap(),
            &[
                "1.001193",
                "Cấp bản sao, chứng thực \"bản chính\"",
                "3",
                "2",
                "2"
            ]
        );
    }
}
