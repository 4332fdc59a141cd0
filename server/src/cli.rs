//! The command line of `server`: running the app and the operator's commands (imports,
//! migrations, status changes, accounts, demo data), read with clap. Every help text is in
//! Vietnamese, then English.

use std::path::PathBuf;

use app::domain::calendar::Date;
use app::domain::dossier::DossierCode;
use app::domain::lifecycle::Status;
use app::domain::tracking::EventDetails;
use clap::{Parser, Subcommand};

use crate::import::Format;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    about = "motcua: ứng dụng của Trung tâm Phục vụ hành chính công xã. \
             / The app of a commune Public Administrative Service Center.",
    long_about = None,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Không ghi lệnh thì chạy ứng dụng. / Without a command, runs the app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Chạy ứng dụng. / Runs the app.
    Serve,
    /// Cập nhật lược đồ cơ sở dữ liệu. / Brings the database schema up to date.
    Migrate,
    /// Nhập thủ tục từ tệp JSON (gói thủ tục quốc gia) hoặc JSON Lines (Cổng DVC quốc gia).
    /// / Imports procedures from a national package (JSON) or portal records (JSON Lines).
    ImportProcedures {
        /// Tệp cần nhập. / The file to import.
        file: PathBuf,
        /// Định dạng; tự nhận dạng nếu không ghi. / The format; recognised when left out.
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Đo độ chính xác của tìm kiếm trên danh mục hiện có. / Measures search on the catalogue.
    SearchEval {
        /// Tệp TSV: câu tìm, mã thủ tục đúng. / TSV file: query, expected procedure code.
        file: PathBuf,
    },
    /// Chuyển trạng thái hồ sơ theo bảng chuyển trạng thái. / Moves a dossier to a status.
    ChangeStatus(ChangeStatusArgs),
    /// Tạo tài khoản quản trị; mật khẩu đọc từ dòng đầu của đầu vào.
    /// / Creates an admin account; the password is the first line of standard input.
    CreateAdmin {
        /// Tên đăng nhập. / Username.
        username: String,
        /// Họ tên; mặc định là tên đăng nhập. / Display name; the username when left out.
        name: Option<String>,
        /// Trung tâm của tài khoản (đường dẫn, ví dụ xa-dak-son); mặc định là trung tâm mặc định.
        /// / The account's center (its slug, e.g. xa-dak-son); the default center when left out.
        #[arg(long, conflicts_with = "province")]
        center: Option<String>,
        /// Tài khoản của tỉnh: xem mọi trung tâm, thêm trung tâm, không xử lý hồ sơ.
        /// / A province account: reads every center and adds centers, changes no dossier.
        #[arg(long)]
        province: bool,
    },
    /// Thêm một Trung tâm Phục vụ hành chính công xã vào hệ thống.
    /// / Adds a commune center to the installation.
    CreateCenter(CreateCenterArgs),
    /// Ghi thư xin lỗi và ngày hẹn mới cho hồ sơ trễ hạn.
    /// / Records an apology and a new date for a late dossier.
    Apologise {
        /// Mã hồ sơ. / Dossier code.
        code: String,
        /// Ngày hẹn mới (YYYY-MM-DD). / The new date (YYYY-MM-DD).
        new_date: String,
        /// Thư xin lỗi. / The apology.
        letter: String,
    },
    /// Sao lưu cơ sở dữ liệu và các tệp (khi ứng dụng đang chạy) vào một thư mục mới.
    /// / Backs up the database and the files (while the app serves) into a new folder.
    Backup {
        /// Thư mục sao lưu, mới hoặc trống. / The backup folder, new or empty.
        dir: PathBuf,
    },
    /// Phục hồi một bản sao lưu vào cơ sở dữ liệu và nơi lưu tệp còn trống.
    /// / Restores a backup into an empty database and file store.
    Restore {
        /// Thư mục của bản sao lưu. / The backup's folder.
        dir: PathBuf,
    },
    /// Ghi trang "hệ thống đang bận" của ứng dụng thành một câu trả lời HTTP đầy đủ, cho bộ cân
    /// bằng tải trả lời khi không máy chủ nào trả lời được (errorfile của HAProxy).
    /// / Writes the app's "busy" page as a whole HTTP response, for a load balancer's errorfile.
    ErrorPage {
        /// Tệp cần ghi. / The file to write.
        file: PathBuf,
    },
    /// Thêm hồ sơ mẫu trong năm qua (để xem và đo thống kê).
    /// / Adds demo dossiers over the past year (to see and measure the statistics).
    SeedDemo {
        /// Số hồ sơ. / How many dossiers.
        #[arg(long)]
        dossiers: usize,
        /// Hạt giống ngẫu nhiên. / Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, clap::Args)]
pub struct CreateCenterArgs {
    /// Mã định danh điện tử của cơ quan (QCVN 102), ví dụ 000.00.12.H56.
    /// / The agency's electronic identifier (QCVN 102), e.g. 000.00.12.H56.
    #[arg(long)]
    pub agency: String,
    /// Tên trung tâm. / The center's name.
    #[arg(long)]
    pub name: String,
    /// Đường dẫn /xa/…; mặc định lấy từ tên. / The address /xa/…; made from the name when left out.
    #[arg(long, default_value = "")]
    pub slug: String,
    /// Địa chỉ. / Street address.
    #[arg(long)]
    pub address: String,
    /// Giờ làm việc. / Office hours.
    #[arg(long)]
    pub hours: String,
    /// Ngày nhận hồ sơ, 1 (thứ Hai) đến 7 (Chủ nhật). / Receiving days, 1 (Monday) to 7 (Sunday).
    #[arg(long, default_value = "12345")]
    pub days: String,
    /// Lưu ý cho người dân. / What citizens should know.
    #[arg(long, default_value = "")]
    pub caveats: String,
}

#[derive(Debug, clap::Args)]
pub struct ChangeStatusArgs {
    /// Mã hồ sơ. / Dossier code.
    pub code: String,
    /// Trạng thái mới (1–10). / The new status (1–10).
    pub status: i64,
    /// Ghi chú cho người dân. / A note for the citizen.
    #[arg(long)]
    pub note: Option<String>,
    /// Giấy tờ cần bổ sung, cách nhau bởi "|" (trạng thái 5). / Documents to add, "|"-separated.
    #[arg(long, requires = "deadline")]
    pub documents: Option<String>,
    /// Hạn bổ sung (YYYY-MM-DD). / Deadline for the documents.
    #[arg(long)]
    pub deadline: Option<String>,
    /// Số tiền phải nộp, đồng (trạng thái 6). / The fee in đồng.
    #[arg(long)]
    pub amount: Option<i64>,
    /// Cách nộp tiền. / How to pay.
    #[arg(long)]
    pub how: Option<String>,
    /// Nơi nhận kết quả (trạng thái 9). / Where to collect the result.
    #[arg(long)]
    pub pickup: Option<String>,
    /// Số kết quả. / The result's number.
    #[arg(long, requires = "pickup")]
    pub number: Option<String>,
    /// Lý do (không tiếp nhận, dừng xử lý). / The reason (refusal, stop).
    #[arg(long)]
    pub reason: Option<String>,
}

/// A status change as asked on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequest {
    pub code: String,
    pub to: Status,
    pub note: String,
    pub details: Option<EventDetails>,
}

fn dossier_code(code: &str) -> Result<String, String> {
    DossierCode::parse(code)
        .map(|code| code.to_string())
        .map_err(|_| format!("mã hồ sơ không đúng: {code}"))
}

fn date(text: &str) -> Result<Date, String> {
    Date::parse_iso(text).ok_or(format!("ngày không đúng: {text}"))
}

impl ChangeStatusArgs {
    /// The change asked for, checked: a real dossier code and status, dates that are dates.
    pub fn request(&self) -> Result<ChangeRequest, String> {
        let code = dossier_code(&self.code)?;
        let to = Status::from_code(self.status)
            .ok_or_else(|| format!("trạng thái không đúng: {} (1–10)", self.status))?;
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let details = if let Some(documents) = &self.documents {
            Some(EventDetails::Supplement {
                documents: documents
                    .split('|')
                    .map(|d| d.trim().to_owned())
                    .filter(|d| !d.is_empty())
                    .collect(),
                deadline: date(self.deadline.as_deref().unwrap_or_default())?,
            })
        } else if let Some(amount_dong) = self.amount {
            Some(EventDetails::Fee {
                amount_dong,
                how_to_pay: text(&self.how),
            })
        } else if self.pickup.is_some() {
            Some(EventDetails::Result {
                pickup: text(&self.pickup),
                number: text(&self.number),
            })
        } else {
            self.reason.as_ref().map(|reason| EventDetails::Reason {
                text: reason.clone(),
            })
        };
        Ok(ChangeRequest {
            code,
            to,
            note: text(&self.note),
            details,
        })
    }
}

/// An apology checked: the dossier code, the new date, a letter that says something.
pub fn apology(code: &str, new_date: &str, letter: &str) -> Result<(String, Date, String), String> {
    let code = dossier_code(code)?;
    let new_date = date(new_date)?;
    if letter.trim().is_empty() {
        return Err("thư xin lỗi không được để trống".to_owned());
    }
    Ok((code, new_date, letter.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(args: &[&str]) -> Result<ChangeRequest, String> {
        let line = ["server", "change-status"].iter().chain(args);
        match Cli::try_parse_from(line)
            .map_err(|e| e.to_string())?
            .command
        {
            Some(Command::ChangeStatus(args)) => args.request(),
            other => panic!("not a status change: {other:?}"),
        }
    }

    #[test]
    fn a_supplement_request_reads_its_documents_and_deadline() {
        let request = change(&[
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
        assert!(change(&["x", "5"]).unwrap_err().contains("mã hồ sơ"));
        assert!(
            change(&["000.00.00.H00-261130-0001", "11"])
                .unwrap_err()
                .contains("trạng thái")
        );
        let missing = change(&["000.00.00.H00-261130-0001", "5", "--documents", "A"]);
        assert!(missing.unwrap_err().contains("--deadline"));
        assert!(change(&["000.00.00.H00-261130-0001", "4", "--note"]).is_err());
        let bad_day = change(&[
            "000.00.00.H00-261130-0001",
            "5",
            "--documents",
            "A",
            "--deadline",
            "30/02/2026",
        ]);
        assert!(bad_day.unwrap_err().contains("ngày không đúng"));
        let numbered = change(&[
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
        let plain = change(&["000.00.00.H00-261130-0001", "9", "--pickup", "Quầy số 2"]).unwrap();
        assert_eq!(
            plain.details,
            Some(EventDetails::Result {
                pickup: "Quầy số 2".into(),
                number: String::new(),
            })
        );
    }

    #[test]
    fn the_help_is_in_both_languages() {
        let help = Cli::try_parse_from(["server", "--help"])
            .unwrap_err()
            .to_string();
        assert!(help.contains("Cập nhật lược đồ") && help.contains("Brings the database schema"));
        let help = Cli::try_parse_from(["server", "change-status", "--help"])
            .unwrap_err()
            .to_string();
        assert!(help.contains("Hạn bổ sung") && help.contains("Deadline for the documents"));
    }

    #[test]
    fn no_command_runs_the_app_and_commands_read_their_arguments() {
        assert!(Cli::try_parse_from(["server"]).unwrap().command.is_none());
        match Cli::try_parse_from(["server", "seed-demo", "--dossiers", "20"])
            .unwrap()
            .command
        {
            Some(Command::SeedDemo { dossiers, seed }) => assert_eq!((dossiers, seed), (20, 1)),
            other => panic!("{other:?}"),
        }
        assert!(Cli::try_parse_from(["server", "seed-demo", "--dossiers", "nhiều"]).is_err());
        assert!(
            Cli::try_parse_from(["server", "import-procedures", "a.json", "--format", "x"])
                .is_err()
        );
        assert!(apology("000.00.00.H00-261130-0001", "2026-12-10", " ").is_err());
    }
}
