//! Reading procedures in the national procedure package's JSON shape (fields `MaTTHC`,
//! `TENTTHC`, `LINHVUCTHUCHIEN`, `TRINHTUTHUCHIEN`, `CACHTHUCTHUCHIEN`, `THANHPHANHOSO`,
//! `CANCUPHAPLY`, …; docs/catalogue-import.md lists every field we read).
//!
//! Parsing is all-or-nothing: every problem is collected with its record and field, so an operator
//! can fix the file in one pass, and nothing is written unless the whole file is good.

use std::fmt;

use serde_json::{Map, Value};

use super::procedure::{
    Channel, ChannelKind, Fee, FormTemplate, LegalDocument, OnlineLevel, Procedure, ProcedureCase,
    ProcessingTime, RequiredDocument, Sector, TimeUnit,
};
use super::search::fold;

/// One thing wrong with an input file, located by record (1-based) and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub record: usize,
    pub code: String,
    pub field: String,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.record == 0 {
            return write!(f, "tệp: {}", self.message);
        }
        write!(f, "bản ghi {}", self.record)?;
        if !self.code.is_empty() {
            write!(f, " ({})", self.code)?;
        }
        write!(f, ", trường {}: {}", self.field, self.message)
    }
}

/// Parses a whole file: a JSON array of records (or one record).
pub fn parse_package(json: &str) -> Result<Vec<Procedure>, Vec<ImportProblem>> {
    let file_problem = |message: String| {
        vec![ImportProblem {
            record: 0,
            code: String::new(),
            field: String::new(),
            message,
        }]
    };
    let value: Value = serde_json::from_str(json)
        .map_err(|e| file_problem(format!("không phải JSON hợp lệ ({e})")))?;
    let records = match value {
        Value::Array(records) => records,
        // The portal's `LayThuTuc` answer as saved: `{"error_code": 0, "result": [records]}`.
        Value::Object(mut answer) if matches!(answer.get("result"), Some(Value::Array(_))) => {
            match answer.remove("result") {
                Some(Value::Array(records)) => records,
                _ => Vec::new(),
            }
        }
        record @ Value::Object(_) => vec![record],
        _ => {
            return Err(file_problem(
                "cần một mảng JSON các thủ tục hoặc một thủ tục".to_owned(),
            ));
        }
    };
    let mut procedures = Vec::with_capacity(records.len());
    let mut problems = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let mut reader = RecordReader {
            record: index + 1,
            code: String::new(),
            problems: &mut problems,
        };
        if let Some(procedure) = reader.procedure(record) {
            procedures.push((index + 1, procedure));
        }
    }
    let mut first_record_of_code = std::collections::HashMap::new();
    for (record, procedure) in &procedures {
        if let Some(first) = first_record_of_code.insert(procedure.code.clone(), *record) {
            problems.push(ImportProblem {
                record: *record,
                code: procedure.code.clone(),
                field: "MaTTHC".to_owned(),
                message: format!("trùng mã với bản ghi {first}"),
            });
        }
    }
    if problems.is_empty() {
        Ok(procedures.into_iter().map(|(_, p)| p).collect())
    } else {
        Err(problems)
    }
}

/// A stable code for a record that has no national code: derived from its name, so importing
/// the same file again updates the same procedure.
pub fn local_code(name: &str) -> String {
    let slug: String = fold(name).replace(' ', "-").chars().take(80).collect();
    format!("dp-{slug}")
}

struct RecordReader<'p> {
    record: usize,
    code: String,
    problems: &'p mut Vec<ImportProblem>,
}

impl RecordReader<'_> {
    fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(ImportProblem {
            record: self.record,
            code: self.code.clone(),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn procedure(&mut self, record: &Value) -> Option<Procedure> {
        let Some(object) = record.as_object() else {
            self.problem("", "bản ghi không phải một đối tượng JSON");
            return None;
        };
        let problems_before = self.problems.len();
        let national_code = ["MaTTHC", "MATTHC", "maTTHC"]
            .iter()
            .find_map(|key| object.get(*key).map(|v| (*key, v)))
            .map(|(key, value)| self.text_value(key, value))
            .unwrap_or_default();
        self.code = national_code.clone();
        let name = self.text(object, "TENTTHC");
        if name.is_empty() {
            self.problem("TENTTHC", "thiếu tên thủ tục");
        }
        if !national_code.is_empty() && !is_national_code(&national_code) {
            self.problem(
                "MaTTHC",
                format!("mã \"{national_code}\" không đúng dạng (ví dụ 1.001193)"),
            );
        }
        let code = if national_code.is_empty() {
            local_code(&name)
        } else {
            national_code
        };

        let sector = self
            .objects(object, "LINHVUCTHUCHIEN")
            .first()
            .map(|s| Sector {
                code: self.text(s, "MALINHVUC"),
                name: self.text(s, "TENLINHVUC"),
            });
        let sector = sector.unwrap_or_else(|| {
            self.problem("LINHVUCTHUCHIEN", "thiếu lĩnh vực");
            Sector {
                code: String::new(),
                name: String::new(),
            }
        });

        let channels: Vec<Channel> = self
            .objects(object, "CACHTHUCTHUCHIEN")
            .iter()
            .flat_map(|channel| self.channels(channel))
            .collect();
        let online_level = self.online_level(object, &channels);
        let cases = self.cases(object);
        let legal_basis = self
            .objects(object, "CANCUPHAPLY")
            .iter()
            .map(|doc| LegalDocument {
                number: self.text(doc, "SOVANBAN"),
                title: self.text(doc, "TENVANBAN"),
                issued_on: self.text(doc, "NGAYBANHANH"),
                issuer: self.text(doc, "COQUANBANHANH"),
            })
            .collect();
        let results = self
            .objects(object, "KETQUATHUCHIEN")
            .iter()
            .map(|r| self.text(r, "TENKETQUA"))
            .filter(|r| !r.is_empty())
            .collect();

        let procedure = Procedure {
            code,
            name,
            decision: self.first_text(object, &[("SOQUYETDINH", ""), ("QUYETDINH", "")]),
            levels: self.name_list(object, "CAPTHUCHIEN", "TENCAP"),
            online_level,
            sector,
            keywords: self.text(object, "TUKHOA"),
            applicants: self.all_texts(
                object,
                &[
                    ("DOITUONGTHUCHIEN", "TENDOITUONG"),
                    ("MOTADOITUONGTHUCHIEN", ""),
                ],
            ),
            agency: self.names(object, "COQUANTHUCHIEN", "TENDONVI"),
            where_to_submit: self.text(object, "DIACHITIEPNHAN"),
            cases,
            channels,
            conditions: self.first_text(object, &[("YEUCAUDIEUKIEN", ""), ("YEUCAU", "")]),
            results,
            legal_basis,
            caveats: self.texts(object, "LUUY"),
            unparsed: Vec::new(),
            publisher_code: self.text(object, "MACOQUANCONGBO"),
            in_force: self.in_force(object),
        };
        (self.problems.len() == problems_before).then_some(procedure)
    }

    fn text_value(&mut self, field: &str, value: &Value) -> String {
        match value {
            Value::Null => String::new(),
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.problem(field, "cần một chuỗi văn bản");
                String::new()
            }
        }
    }

    fn text(&mut self, object: &Map<String, Value>, field: &str) -> String {
        match object.get(field) {
            None => String::new(),
            Some(value) => self.text_value(field, value),
        }
    }

    /// A list of strings; a single string is accepted as a one-item list.
    fn texts(&mut self, object: &Map<String, Value>, field: &str) -> Vec<String> {
        match object.get(field) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| self.text_value(field, item))
                .filter(|s| !s.is_empty())
                .collect(),
            Some(value) => {
                let single = self.text_value(field, value);
                if single.is_empty() {
                    Vec::new()
                } else {
                    vec![single]
                }
            }
        }
    }

    /// A text, a list of texts, or a list of objects named by their `name_key` (as the portal's
    /// `LayThuTuc` sends `COQUANTHUCHIEN`: `[{TENDONVI, MADONVI}]`).
    fn name_list(
        &mut self,
        object: &Map<String, Value>,
        field: &str,
        name_key: &str,
    ) -> Vec<String> {
        match object.get(field) {
            Some(Value::Array(items)) if items.iter().any(Value::is_object) => self
                .objects(object, field)
                .iter()
                .map(|item| self.text(item, name_key))
                .filter(|name| !name.is_empty())
                .collect(),
            _ => self.texts(object, field),
        }
    }

    /// `name_list` joined by "; ".
    fn names(&mut self, object: &Map<String, Value>, field: &str, name_key: &str) -> String {
        self.name_list(object, field, name_key).join("; ")
    }

    /// Every one of `fields` that says something, once each, joined by "; ".
    fn all_texts(&mut self, object: &Map<String, Value>, fields: &[(&str, &str)]) -> String {
        let mut texts: Vec<String> = Vec::new();
        for (field, name_key) in fields {
            let text = self.names(object, field, name_key);
            if !text.is_empty() && !texts.contains(&text) {
                texts.push(text);
            }
        }
        texts.join("; ")
    }

    /// The first of `fields` that says something (each a text, or objects named by the key
    /// beside it).
    fn first_text(&mut self, object: &Map<String, Value>, fields: &[(&str, &str)]) -> String {
        for (field, name_key) in fields {
            let text = self.names(object, field, name_key);
            if !text.is_empty() {
                return text;
            }
        }
        String::new()
    }

    /// `TRANGTHAI`: 1 (or absent) is in force; anything else is not.
    fn in_force(&mut self, object: &Map<String, Value>) -> bool {
        let state = self.text(object, "TRANGTHAI");
        state.is_empty() || state == "1"
    }

    /// An amount in đồng: a number as `LayThuTuc` sends it, or a text ("2.000 đồng").
    fn dong(&mut self, object: &Map<String, Value>, field: &str) -> Option<i64> {
        match object.get(field) {
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|amount| amount.is_finite() && *amount >= 0.0)
                .map(|amount| amount.round() as i64),
            _ => parse_dong(&self.text(object, field)),
        }
    }

    fn objects(&mut self, object: &Map<String, Value>, field: &str) -> Vec<Map<String, Value>> {
        match object.get(field) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut objects = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Object(o) => objects.push(o.clone()),
                        _ => self.problem(field, "mỗi phần tử phải là một đối tượng JSON"),
                    }
                }
                objects
            }
            Some(_) => {
                self.problem(field, "cần một mảng JSON");
                Vec::new()
            }
        }
    }

    fn count(&mut self, object: &Map<String, Value>, field: &str) -> u32 {
        let text = self.text(object, field);
        if text.is_empty() {
            return 0;
        }
        text.parse().unwrap_or_else(|_| {
            self.problem(field, format!("\"{text}\" không phải số bản"));
            0
        })
    }

    fn channels(&mut self, channel: &Map<String, Value>) -> Vec<Channel> {
        let label = self.text(channel, "KENH");
        let folded = fold(&label);
        // `LayThuTuc` sends the national channel code: 1 in person, 2 online, 3 public post.
        let by_code = label.parse().ok().and_then(ChannelKind::from_code);
        let kind = if let Some(kind) = by_code {
            kind
        } else if folded.contains("truc tiep") {
            ChannelKind::Counter
        } else if folded.contains("truc tuyen") {
            ChannelKind::Online
        } else if folded.contains("buu chinh") {
            ChannelKind::Postal
        } else {
            self.problem(
                "CACHTHUCTHUCHIEN.KENH",
                format!(
                    "không rõ cách nộp \"{label}\" (Trực tiếp, Trực tuyến, Dịch vụ bưu chính, \
                     hoặc mã 1, 2, 3)"
                ),
            );
            return Vec::new();
        };
        self.objects(channel, "THOIGIAN")
            .iter()
            .map(|time| Channel {
                kind,
                time: ProcessingTime {
                    amount: parse_amount_of_time(&self.text(time, "THOIGIANGIAIQUYET")),
                    unit: parse_time_unit(&self.text(time, "DONVITINH")),
                    description: self.text(time, "MOTA"),
                },
                fees: self
                    .objects(time, "PHILEPHI")
                    .iter()
                    .map(|fee| Fee {
                        kind: fee_kind(&self.text(fee, "MAPHILEPHI")),
                        amount_dong: self.dong(fee, "SOTIEN"),
                        per_unit: per_unit(&self.text(fee, "DONVI")),
                        description: self.text(fee, "MOTA"),
                    })
                    .collect(),
            })
            .collect()
    }

    fn online_level(&mut self, object: &Map<String, Value>, channels: &[Channel]) -> OnlineLevel {
        let stated = fold(&self.text(object, "MUCDO"));
        if stated.contains("toan trinh") {
            OnlineLevel::Full
        } else if stated.contains("mot phan")
            || (stated.is_empty() && channels.iter().any(|c| c.kind == ChannelKind::Online))
        {
            OnlineLevel::Partial
        } else {
            OnlineLevel::InformationOnly
        }
    }

    /// Steps and documents are listed per case (`TRUONGHOP`); entries with an empty case apply
    /// to every case, so they are merged into each named case.
    fn cases(&mut self, object: &Map<String, Value>) -> Vec<ProcedureCase> {
        let mut names: Vec<String> = Vec::new();
        let mut steps: Vec<(String, Vec<String>)> = Vec::new();
        for group in self.objects(object, "TRINHTUTHUCHIEN") {
            let case = self.text(&group, "TRUONGHOP");
            let group_steps: Vec<String> = self
                .objects(&group, "TRINHTU")
                .iter()
                .map(|s| self.text(s, "TENTRINHTU"))
                .filter(|s| !s.is_empty())
                .collect();
            if !case.is_empty() && !names.contains(&case) {
                names.push(case.clone());
            }
            steps.push((case, group_steps));
        }
        let mut documents: Vec<(String, Vec<RequiredDocument>)> = Vec::new();
        for group in self.objects(object, "THANHPHANHOSO") {
            let case = self.text(&group, "TRUONGHOP");
            let mut group_documents = Vec::new();
            for doc in self.objects(&group, "GIAYTO") {
                let name = self.text(&doc, "TENGIAYTO");
                if name.is_empty() {
                    self.problem("THANHPHANHOSO.GIAYTO.TENGIAYTO", "thiếu tên giấy tờ");
                    continue;
                }
                let required = match doc.get("BATBUOC") {
                    None | Some(Value::Null) => true,
                    Some(Value::Bool(b)) => *b,
                    Some(_) => {
                        self.problem("THANHPHANHOSO.GIAYTO.BATBUOC", "cần true hoặc false");
                        true
                    }
                };
                // Ours nests them (`MAUDONTOKHAI`); `LayThuTuc` puts one on the paper itself.
                let mut forms: Vec<FormTemplate> = self
                    .objects(&doc, "MAUDONTOKHAI")
                    .iter()
                    .map(|f| FormTemplate {
                        name: self.text(f, "TENMAUDON"),
                        url: self.text(f, "URL"),
                    })
                    .collect();
                forms.push(FormTemplate {
                    name: self.text(&doc, "TENMAUDON"),
                    url: self.text(&doc, "URL"),
                });
                forms.retain(|f| !f.name.is_empty());
                group_documents.push(RequiredDocument {
                    name,
                    originals: self.count(&doc, "SOBANCHINH"),
                    copies: self.count(&doc, "SOBANSAO"),
                    required,
                    present_only: false,
                    forms,
                });
            }
            if !case.is_empty() && !names.contains(&case) {
                names.push(case.clone());
            }
            documents.push((case, group_documents));
        }
        let collect_for = |case: &str| ProcedureCase {
            name: case.to_owned(),
            steps: steps
                .iter()
                .filter(|(c, _)| c.is_empty() || c == case)
                .flat_map(|(_, s)| s.iter().cloned())
                .collect(),
            documents: documents
                .iter()
                .filter(|(c, _)| c.is_empty() || c == case)
                .flat_map(|(_, d)| d.iter().cloned())
                .collect(),
            notes: Vec::new(),
        };
        if names.is_empty() {
            vec![collect_for("")]
        } else {
            names.iter().map(|name| collect_for(name)).collect()
        }
    }
}

/// National codes look like `1.001193` or `2.000815`.
fn is_national_code(code: &str) -> bool {
    let mut parts = code.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), None)
            if !a.is_empty() && !b.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
    )
}

/// "3", "0,5", "1.5" → days; anything else (e.g. "Trong ngày") has no number.
pub fn parse_amount_of_time(text: &str) -> Option<f64> {
    let normalised = text.trim().replace(',', ".");
    normalised
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
}

pub fn parse_time_unit(text: &str) -> TimeUnit {
    match fold(text).as_str() {
        "ngay lam viec" => TimeUnit::WorkingDays,
        "ngay" => TimeUnit::Days,
        "gio lam viec" => TimeUnit::WorkingHours,
        "gio" => TimeUnit::Hours,
        _ => TimeUnit::Unknown,
    }
}

/// The kind of charge: `LayThuTuc` sends a code ("1" phí, "2" lệ phí, sometimes with a stray
/// apostrophe); ours, the words.
fn fee_kind(text: &str) -> String {
    match text.trim_end_matches('\'') {
        "1" => "Phí".to_owned(),
        "2" => "Lệ phí".to_owned(),
        _ => text.to_owned(),
    }
}

/// What a fee is charged per, from its unit (`DONVI`): "Đồng/Trang" → "/Trang"; a plain
/// currency ("Đồng", "VNĐ") is charged once.
fn per_unit(unit: &str) -> String {
    unit.find('/')
        .map(|slash| unit[slash..].trim().to_owned())
        .unwrap_or_default()
}

/// "2.000", "2,000", "50000", "2.000 đồng" → đồng. The portal groups thousands with either
/// separator and never uses fractions of a đồng.
pub fn parse_dong(text: &str) -> Option<i64> {
    let trimmed = text.trim();
    let number: String = trimmed
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"[
      {
        "MaTTHC": "1.001193",
        "TENTTHC": "Đăng ký khai sinh",
        "CAPTHUCHIEN": ["Cấp Xã"],
        "MUCDO": "Toàn trình",
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "", "TENLINHVUC": "Hộ tịch"}],
        "TRINHTUTHUCHIEN": [
          {"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Bước 1: Nộp hồ sơ"}]},
          {"TRUONGHOP": "Trẻ bị bỏ rơi", "TRINHTU": [{"TENTRINHTU": "Bước 2: Lập biên bản"}]}
        ],
        "CACHTHUCTHUCHIEN": [
          {"KENH": "Trực tiếp", "THOIGIAN": [{"THOIGIANGIAIQUYET": "1", "DONVITINH": "Ngày làm việc",
            "PHILEPHI": [{"MAPHILEPHI": "Lệ phí", "SOTIEN": "0", "MOTA": "Miễn lệ phí"}], "MOTA": ""}]},
          {"KENH": "Trực tuyến", "THOIGIAN": [{"THOIGIANGIAIQUYET": "0,5", "DONVITINH": "Ngày",
            "PHILEPHI": [], "MOTA": ""}]}
        ],
        "THANHPHANHOSO": [
          {"TRUONGHOP": "", "GIAYTO": [{"TENGIAYTO": "Tờ khai", "SOBANCHINH": "1", "SOBANSAO": "0",
            "MAUDONTOKHAI": [{"TENMAUDON": "Tờ khai đăng ký khai sinh", "URL": ""}]}]},
          {"TRUONGHOP": "Trẻ bị bỏ rơi", "GIAYTO": [{"TENGIAYTO": "Biên bản", "SOBANCHINH": 1,
            "SOBANSAO": "2", "BATBUOC": false}]}
        ],
        "CANCUPHAPLY": [{"SOVANBAN": "60/2014/QH13", "TENVANBAN": "Luật Hộ tịch",
          "NGAYBANHANH": "20/11/2014", "COQUANBANHANH": "Quốc hội"}],
        "KETQUATHUCHIEN": [{"TENKETQUA": "Giấy khai sinh"}],
        "LUUY": ["Mang theo bản chính"]
      },
      {"MaTTHC": "", "TENTTHC": "Chứng thực chữ ký",
       "LINHVUCTHUCHIEN": [{"TENLINHVUC": "Chứng thực"}],
       "CACHTHUCTHUCHIEN": [{"KENH": "Trực tiếp", "THOIGIAN": [{"THOIGIANGIAIQUYET": "Trong ngày",
         "DONVITINH": "", "PHILEPHI": [{"MAPHILEPHI": "Phí", "SOTIEN": "10.000", "MOTA": "/trường hợp"}]}]}]}
    ]"#;

    #[test]
    fn reads_a_good_package() {
        let procedures = parse_package(GOOD).unwrap();
        assert_eq!(procedures.len(), 2);
        let birth = &procedures[0];
        assert_eq!(birth.code, "1.001193");
        assert_eq!(birth.sector.name, "Hộ tịch");
        assert_eq!(birth.online_level, OnlineLevel::Full);
        assert_eq!(birth.levels, vec!["Cấp Xã"]);
        assert_eq!(birth.caveats, vec!["Mang theo bản chính"]);
        assert_eq!(birth.results, vec!["Giấy khai sinh"]);
        assert_eq!(birth.legal_basis[0].number, "60/2014/QH13");
        assert_eq!(birth.channels.len(), 2);
        assert_eq!(birth.channels[0].kind, ChannelKind::Counter);
        assert_eq!(birth.channels[0].time.amount, Some(1.0));
        assert_eq!(birth.channels[0].time.unit, TimeUnit::WorkingDays);
        assert_eq!(birth.channels[0].fees[0].amount_dong, Some(0));
        assert_eq!(birth.channels[1].time.amount, Some(0.5));
        assert_eq!(birth.channels[1].time.unit, TimeUnit::Days);
    }

    #[test]
    fn general_entries_are_merged_into_each_named_case() {
        let birth = &parse_package(GOOD).unwrap()[0];
        assert_eq!(birth.cases.len(), 1);
        let case = &birth.cases[0];
        assert_eq!(case.name, "Trẻ bị bỏ rơi");
        assert_eq!(
            case.steps,
            vec!["Bước 1: Nộp hồ sơ", "Bước 2: Lập biên bản"]
        );
        assert_eq!(case.documents.len(), 2);
        assert_eq!(case.documents[0].forms[0].name, "Tờ khai đăng ký khai sinh");
        assert!(case.documents[0].required);
        assert_eq!(
            (case.documents[1].originals, case.documents[1].copies),
            (1, 2)
        );
        assert!(!case.documents[1].required);
    }

    #[test]
    fn record_without_code_gets_a_stable_local_code_and_level_from_channels() {
        let signature = &parse_package(GOOD).unwrap()[1];
        assert_eq!(signature.code, "dp-chung-thuc-chu-ky");
        assert_eq!(signature.online_level, OnlineLevel::InformationOnly);
        assert_eq!(signature.cases.len(), 1);
        assert_eq!(signature.cases[0].name, "");
        assert_eq!(signature.channels[0].time.amount, None);
        assert_eq!(signature.channels[0].time.unit, TimeUnit::Unknown);
        assert_eq!(signature.channels[0].fees[0].amount_dong, Some(10_000));
    }

    #[test]
    fn malformed_records_are_reported_by_record_and_field() {
        let bad = r#"[
          {"MaTTHC": "1.000001", "TENTTHC": "Tốt", "LINHVUCTHUCHIEN": [{"TENLINHVUC": "Hộ tịch"}]},
          {"MaTTHC": "1.000002", "TENTTHC": "", "LINHVUCTHUCHIEN": "Hộ tịch"},
          {"MaTTHC": "abc", "TENTTHC": "Sai mã", "LINHVUCTHUCHIEN": [{"TENLINHVUC": "X"}],
           "CACHTHUCTHUCHIEN": [{"KENH": "Bồ câu", "THOIGIAN": []}],
           "THANHPHANHOSO": [{"GIAYTO": [{"TENGIAYTO": "A", "SOBANCHINH": "một"}]}]},
          {"MaTTHC": "1.000001", "TENTTHC": "Trùng", "LINHVUCTHUCHIEN": [{"TENLINHVUC": "X"}]}
        ]"#;
        let problems = parse_package(bad).unwrap_err();
        let located: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.record, p.field.as_str()))
            .collect();
        assert!(located.contains(&(2, "TENTTHC")), "{problems:?}");
        assert!(located.contains(&(2, "LINHVUCTHUCHIEN")), "{problems:?}");
        assert!(located.contains(&(3, "MaTTHC")), "{problems:?}");
        assert!(
            located.contains(&(3, "CACHTHUCTHUCHIEN.KENH")),
            "{problems:?}"
        );
        assert!(located.contains(&(3, "SOBANCHINH")), "{problems:?}");
        assert!(
            !located.iter().any(|(record, _)| *record == 1),
            "{problems:?}"
        );
        let duplicate = problems
            .iter()
            .find(|p| p.message.contains("trùng mã"))
            .unwrap();
        assert_eq!(duplicate.code, "1.000001");
        assert_eq!(
            problems[0].to_string(),
            "bản ghi 2 (1.000002), trường TENTTHC: thiếu tên thủ tục"
        );
    }

    #[test]
    fn non_json_and_wrong_top_level_are_file_problems() {
        let problems = parse_package("{ not json").unwrap_err();
        assert_eq!(problems[0].record, 0);
        assert!(
            problems[0]
                .to_string()
                .starts_with("tệp: không phải JSON hợp lệ")
        );
        assert_eq!(parse_package("42").unwrap_err()[0].record, 0);
    }

    #[test]
    fn parses_amounts_of_money_and_time() {
        assert_eq!(parse_dong("2.000"), Some(2000));
        assert_eq!(parse_dong("2,000"), Some(2000));
        assert_eq!(parse_dong("50000 đồng"), Some(50000));
        assert_eq!(parse_dong(""), None);
        assert_eq!(parse_dong("theo quy định"), None);
        assert_eq!(parse_amount_of_time("3"), Some(3.0));
        assert_eq!(parse_amount_of_time("-1"), None);
        assert_eq!(parse_time_unit("Ngày làm việc"), TimeUnit::WorkingDays);
        assert_eq!(parse_time_unit("NGÀY"), TimeUnit::Days);
        assert_eq!(parse_time_unit("tuần"), TimeUnit::Unknown);
    }

    /// Two records as the national portal's `LayThuTuc` service returns them (channel codes,
    /// numbers for times and amounts, lists of objects for agencies, results, legal basis and
    /// sectors, the form on the paper itself, `TRANGTHAI`).
    const LAY_THU_TUC: &str = include_str!("../../tests/fixtures/lay-thu-tuc.json");

    #[test]
    fn a_record_as_the_portal_sends_it_is_read_field_by_field() {
        let procedures = parse_package(LAY_THU_TUC).unwrap_or_else(|p| panic!("{p:?}"));
        let birth = &procedures[0];
        assert_eq!(birth.code, "1.001193");
        assert!(birth.in_force);
        assert_eq!(birth.publisher_code, "000.00.00.G09");
        assert_eq!(birth.agency, "Ủy ban nhân dân cấp xã");
        assert_eq!(
            birth.applicants,
            "Công dân Việt Nam; Cha, mẹ, ông, bà hoặc người thân thích khác có trách nhiệm đi \
             đăng ký khai sinh cho trẻ em"
        );
        assert_eq!(birth.levels, ["Cấp Xã"]);
        assert_eq!(
            birth.where_to_submit,
            "Bộ phận Một cửa, Ủy ban nhân dân cấp xã"
        );
        assert_eq!(birth.conditions, "Không có");
        assert_eq!(birth.sector.name, "Hộ tịch");
        assert_eq!(birth.results, ["Giấy khai sinh"]);
        assert_eq!(birth.legal_basis[1].number, "123/2015/NĐ-CP");
        let kinds: Vec<ChannelKind> = birth.channels.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ChannelKind::Counter,
                ChannelKind::Online,
                ChannelKind::Postal
            ]
        );
        assert_eq!(birth.channels[0].time.amount, Some(1.0));
        assert_eq!(birth.channels[0].time.unit, TimeUnit::WorkingDays);
        let post_fee = &birth.channels[2].fees[0];
        assert_eq!(
            (
                post_fee.kind.as_str(),
                post_fee.amount_dong,
                post_fee.per_unit.as_str()
            ),
            ("Phí", Some(8000), "/Bản")
        );
        assert_eq!(
            birth.channels[1].fees[0].kind, "Lệ phí",
            "\"2'\", as some send it"
        );
        assert_eq!(
            birth.channels[1].time.amount,
            Some(1.0),
            "a number as text too"
        );
        assert_eq!(birth.channels[0].fees[0].amount_dong, Some(0));
        assert_eq!(birth.online_level, OnlineLevel::Partial);
        let papers = &birth.cases[0].documents;
        assert_eq!(papers[0].name, "Tờ khai đăng ký khai sinh");
        assert_eq!(papers[0].originals, 1);
        assert_eq!(
            papers[0].forms[0].url,
            "https://csdl.dichvucong.gov.vn/web/jsp/download_file.jsp?ma=to-khai-khai-sinh"
        );
        assert_eq!(
            papers[0].forms[0].name,
            "To khai dang ky khai sinh (TT 04-2024-TT-BTP).docx"
        );
        assert_eq!(papers[1].copies, 0, "an empty count is none");
        assert!(papers[1].forms.is_empty(), "no form: none listed");
        assert_eq!(birth.cases[0].steps.len(), 2);
        assert!(!procedures[1].in_force, "TRANGTHAI 2: not in force");
    }

    #[test]
    fn an_unknown_channel_code_is_named() {
        let record = LAY_THU_TUC.replacen("\"KENH\": 3", "\"KENH\": 7", 1);
        let problems = parse_package(&record).unwrap_err();
        assert_eq!(problems[0].field, "CACHTHUCTHUCHIEN.KENH");
        assert!(
            problems[0].message.contains("\"7\""),
            "{}",
            problems[0].message
        );
    }
}
