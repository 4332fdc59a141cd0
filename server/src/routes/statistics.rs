//! The statistics as files: `/thong-ke.csv` (UTF-8 with BOM, for Excel) and `/thong-ke.json`,
//! for the same period parameters as the page, from the same figures.

use crate::AppState;
use crate::http::error::Handled;
use crate::http::lang_of;
use app::domain::calendar::Date;
use app::domain::statistics::{FIGURES, Period, Statistics, Value};
use app::pages::statistics::statistics_csv;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;

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
        statistics_csv(lang_of(&headers).texts().stats, &stats),
    )
        .into_response())
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
    let figures: serde_json::Map<String, serde_json::Value> = FIGURES
        .iter()
        .filter_map(|key| Some(((*key).to_owned(), number(stats.figure(key)?))))
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
