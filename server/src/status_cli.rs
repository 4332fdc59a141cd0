//! `server change-status`: the operator's way to move a dossier from the command line (scripts,
//! repairs), through the same database function and transition table as the back office.

use app::domain::calendar::Date;
use app::domain::dossier::DossierCode;
use app::domain::lifecycle::Status;
use app::domain::tracking::EventDetails;

/// A status change as asked on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequest {
    pub code: String,
    pub to: Status,
    pub note: String,
    pub details: Option<EventDetails>,
}

/// `CODE STATUS [--note TEXT] [--documents "A|B" --deadline YYYY-MM-DD] [--amount N --how TEXT]
/// [--pickup TEXT [--number RESULT-NUMBER]] [--reason TEXT]`.
pub fn parse(args: &[&str]) -> Result<ChangeRequest, String> {
    let [code, status, options @ ..] = args else {
        return Err("cần MÃ-HỒ-SƠ và TRẠNG-THÁI (1–10)".to_owned());
    };
    let code = DossierCode::parse(code)
        .map_err(|_| format!("mã hồ sơ không đúng: {code}"))?
        .to_string();
    let to = status
        .parse::<i64>()
        .ok()
        .and_then(Status::from_code)
        .ok_or_else(|| format!("trạng thái không đúng: {status} (1–10)"))?;
    let mut values = std::collections::BTreeMap::new();
    for pair in options.chunks(2) {
        match pair {
            [name, value] if name.starts_with("--") => {
                values.insert(&name[2..], value.to_string());
            }
            _ => return Err(format!("tùy chọn không đúng: {}", pair.join(" "))),
        }
    }
    let date = |name: &str| -> Result<Date, String> {
        let text = values.get(name).ok_or(format!("cần --{name} YYYY-MM-DD"))?;
        Date::parse_iso(text).ok_or(format!("ngày không đúng: {text}"))
    };
    let text = |name: &str| values.get(name).cloned().unwrap_or_default();
    let details = if let Some(documents) = values.get("documents") {
        Some(EventDetails::Supplement {
            documents: documents
                .split('|')
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty())
                .collect(),
            deadline: date("deadline")?,
        })
    } else if let Some(amount) = values.get("amount") {
        Some(EventDetails::Fee {
            amount_dong: amount
                .parse()
                .map_err(|_| format!("số tiền không đúng: {amount}"))?,
            how_to_pay: text("how"),
        })
    } else if values.contains_key("pickup") {
        Some(EventDetails::Result {
            pickup: text("pickup"),
            number: text("number"),
        })
    } else if values.contains_key("reason") {
        Some(EventDetails::Reason {
            text: text("reason"),
        })
    } else if values.contains_key("apology") {
        Some(EventDetails::Apology {
            new_date: date("new-date")?,
            text: text("apology"),
        })
    } else {
        None
    };
    Ok(ChangeRequest {
        code,
        to,
        note: text("note"),
        details,
    })
}

/// `CODE NEW-DATE TEXT`: the center apologises for a late dossier and promises a new date.
pub fn parse_apology(args: &[&str]) -> Result<(String, Date, String), String> {
    let [code, date, text] = args else {
        return Err("cần MÃ-HỒ-SƠ NGÀY-HẸN-MỚI (YYYY-MM-DD) THƯ-XIN-LỖI".to_owned());
    };
    let code = DossierCode::parse(code)
        .map_err(|_| format!("mã hồ sơ không đúng: {code}"))?
        .to_string();
    let date = Date::parse_iso(date).ok_or(format!("ngày không đúng: {date}"))?;
    if text.trim().is_empty() {
        return Err("thư xin lỗi không được để trống".to_owned());
    }
    Ok((code, date, text.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supplement_request_reads_its_documents_and_deadline() {
        let request = parse(&[
            "000.00.00.h00-261130-0001",
            "5",
            "--documents",
            "Bản sao Giấy khai sinh | Ảnh sổ hộ khẩu",
            "--deadline",
            "2026-12-10",
            "--note",
            "Thiếu giấy khai sinh",
        ])
        .unwrap();
        assert_eq!(request.code, "000.00.00.H00-261130-0001");
        assert_eq!(request.to, Status::SupplementRequested);
        assert_eq!(request.note, "Thiếu giấy khai sinh");
        assert_eq!(
            request.details,
            Some(EventDetails::Supplement {
                documents: vec!["Bản sao Giấy khai sinh".into(), "Ảnh sổ hộ khẩu".into()],
                deadline: Date::new(2026, 12, 10),
            })
        );
    }

    #[test]
    fn bad_arguments_are_named() {
        assert!(parse(&["x", "5"]).unwrap_err().contains("mã hồ sơ"));
        assert!(
            parse(&["000.00.00.H00-261130-0001", "11"])
                .unwrap_err()
                .contains("trạng thái")
        );
        let missing = parse(&["000.00.00.H00-261130-0001", "5", "--documents", "A"]);
        assert!(missing.unwrap_err().contains("--deadline"));
        assert!(parse(&["000.00.00.H00-261130-0001", "4", "--note"]).is_err());
        let numbered = parse(&[
            "000.00.00.H00-261130-0001",
            "9",
            "--pickup",
            "Quầy số 2",
            "--number",
            "125/GCN",
        ])
        .unwrap();
        assert_eq!(
            numbered.details,
            Some(EventDetails::Result {
                pickup: "Quầy số 2".into(),
                number: "125/GCN".into(),
            })
        );
        let plain = parse(&["000.00.00.H00-261130-0001", "9", "--pickup", "Quầy số 2"]).unwrap();
        assert_eq!(
            plain.details,
            Some(EventDetails::Result {
                pickup: "Quầy số 2".into(),
                number: String::new(),
            })
        );
    }
}
