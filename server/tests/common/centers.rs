//! A second center beside the default one, as an administrator creates it.

use app::db::centers::CenterOutcome;
use app::domain::center::{NewCenter, center_field};
use std::collections::BTreeMap;

use super::TestApp;

pub const OTHER_AGENCY: &str = "000.00.13.H56";
pub const OTHER_SLUG: &str = "xa-binh-an";
pub const OTHER_NAME: &str = "Trung tâm Phục vụ hành chính công xã Bình An";

/// Creates the center `OTHER_AGENCY` (xã Bình An) with the default working week.
pub async fn add_other_center(app: &TestApp) {
    let fields: BTreeMap<String, String> = [
        (center_field::AGENCY, OTHER_AGENCY),
        (center_field::NAME, OTHER_NAME),
        (center_field::ADDRESS, "Thôn 2, xã Bình An"),
        (center_field::OFFICE_HOURS, "7 giờ 30 – 17 giờ"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let days: Vec<String> = ["1", "2", "3", "4", "5", "6"].map(String::from).to_vec();
    let center = NewCenter::from_form(&fields, &days).unwrap();
    assert_eq!(center.slug.as_str(), OTHER_SLUG);
    assert_eq!(
        app.db.create_center(&center, app.db.now()).await.unwrap(),
        CenterOutcome::Created
    );
}
