//! Search relevance on real data: a file of citizen queries, each with the procedure codes a
//! clerk would expect at the top, run through the same catalogue search the pages use.

use app::db::{Database, DbError};
use app::domain::procedure::CatalogueFilter;
use std::fmt;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCase {
    pub query: String,
    pub expected: Vec<String>,
}

/// Reads `query<TAB>expected codes, comma-separated<TAB>note` lines after a header line.
pub fn parse_query_file(text: &str) -> Result<Vec<QueryCase>, String> {
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let mut columns = line.split('\t');
        let query = columns.next().unwrap_or_default().trim();
        let expected: Vec<String> = columns
            .next()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .collect();
        if query.is_empty() || expected.is_empty() {
            return Err(format!(
                "dòng {}: cần câu tìm và mã thủ tục mong đợi",
                index + 1
            ));
        }
        cases.push(QueryCase {
            query: query.to_owned(),
            expected,
        });
    }
    Ok(cases)
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub queries: usize,
    pub top1: usize,
    pub top3: usize,
    pub p50: Duration,
    pub p99: Duration,
    /// Queries whose top three held none of the expected codes: query, expected, found.
    pub misses: Vec<(String, Vec<String>, Vec<String>)>,
    /// Queries with an expected code second or third, not first: query, expected, found.
    pub not_first: Vec<(String, Vec<String>, Vec<String>)>,
}

impl Evaluation {
    pub fn top3_share(&self) -> f64 {
        self.top3 as f64 / self.queries.max(1) as f64
    }
}

/// Runs every query through the catalogue search, as the catalogue page does.
pub async fn evaluate(db: &Database, cases: &[QueryCase]) -> Result<Evaluation, DbError> {
    let mut times = Vec::with_capacity(cases.len());
    let (mut top1, mut top3) = (0, 0);
    let mut misses = Vec::new();
    let mut not_first = Vec::new();
    for case in cases {
        let filter = CatalogueFilter::new(&case.query, "", "", "1");
        let started = Instant::now();
        let page = db.search_catalogue(&filter).await?;
        times.push(started.elapsed());
        let found: Vec<String> = page.items.iter().take(3).map(|i| i.code.clone()).collect();
        let first = found
            .first()
            .is_some_and(|code| case.expected.contains(code));
        if first {
            top1 += 1;
        }
        if found.iter().any(|code| case.expected.contains(code)) {
            top3 += 1;
            if !first {
                not_first.push((case.query.clone(), case.expected.clone(), found));
            }
        } else {
            misses.push((case.query.clone(), case.expected.clone(), found));
        }
    }
    times.sort();
    let percentile = |p: usize| {
        times
            .get((times.len() * p / 100).min(times.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Evaluation {
        queries: cases.len(),
        top1,
        top3,
        p50: percentile(50),
        p99: percentile(99),
        misses,
        not_first,
    })
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let share = |n: usize| 100.0 * n as f64 / self.queries.max(1) as f64;
        writeln!(
            f,
            "{} câu tìm: đúng ở vị trí 1: {} ({:.1} %), trong 3 kết quả đầu: {} ({:.1} %)",
            self.queries,
            self.top1,
            share(self.top1),
            self.top3,
            share(self.top3)
        )?;
        writeln!(
            f,
            "thời gian máy chủ mỗi câu: p50 {:.2} ms, p99 {:.2} ms",
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0
        )?;
        for (label, cases) in [("trượt", &self.misses), ("chưa đứng đầu", &self.not_first)]
        {
            for (query, expected, found) in cases {
                writeln!(
                    f,
                    "  {label}: \"{query}\": mong đợi {}, được {}",
                    expected.join(","),
                    found.join(",")
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_query_file() {
        let cases =
            parse_query_file("query\texpected\tnote\nkhai sinh\t1.001193, 1.004884\tghi chú\n\n")
                .unwrap();
        assert_eq!(
            cases,
            vec![QueryCase {
                query: "khai sinh".to_owned(),
                expected: vec!["1.001193".to_owned(), "1.004884".to_owned()],
            }]
        );
        assert!(parse_query_file("h\nkhai sinh\t\n").is_err());
    }
}
