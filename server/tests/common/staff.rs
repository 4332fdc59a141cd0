//! Staff accounts and their signed-in sessions, for the back-office tests.

use app::domain::back_office::{Role, StaffMember};

use super::TestApp;

pub const PASSWORD: &str = "một câu mật khẩu dài";

/// A signed-in staff member: the session cookie and the CSRF token of their forms.
#[derive(Debug, Clone)]
pub struct Staff {
    pub username: String,
    pub cookie: String,
    pub csrf: String,
}

/// A member of the default center (of none, for the province's role).
pub async fn create_user(app: &TestApp, username: &str, role: Role) {
    let center = match role {
        Role::Province => None,
        _ => Some(app.db.default_center().await.unwrap().agency),
    };
    create_user_in(app, username, role, center.as_deref()).await;
}

/// A member of the center `center` (an agency code).
pub async fn create_user_in(app: &TestApp, username: &str, role: Role, center: Option<&str>) {
    let hash = app::password::hash(PASSWORD).unwrap();
    let member = StaffMember {
        username: username.to_owned(),
        display_name: format!("Cán bộ {username}"),
        role,
        center: center.map(str::to_owned),
    };
    assert!(
        app.db
            .create_staff_user(&member, &hash, app::db::unix_now())
            .await
            .unwrap()
    );
}

pub async fn sign_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/can-bo/dang-nhap"))
        .form(&[("ten", username), ("mat-khau", password)])
        .send()
        .await
        .unwrap()
}

/// The `name=value` of the session cookie a sign-in set, after checking its flags.
pub fn session_cookie(response: &reqwest::Response) -> String {
    let prefix = format!("{}=", app::api::STAFF_COOKIE);
    let header = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|cookie| cookie.starts_with(&prefix))
        .expect("a session cookie");
    assert!(
        header.contains("HttpOnly")
            && header.contains("SameSite=Lax")
            && header.contains("Path=/can-bo"),
        "{header}"
    );
    header.split(';').next().unwrap().to_owned()
}

/// The CSRF token in a staff page's forms.
pub fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a staff page carries its CSRF token")
        .to_owned()
}

/// Creates an account with `role` at the default center (none for the province's role) and
/// signs it in.
pub async fn signed_in(app: &TestApp, username: &str, role: Role) -> Staff {
    create_user(app, username, role).await;
    sign_in_as(app, username).await
}

/// Creates an account with `role` at the center `center` (an agency code) and signs it in.
pub async fn signed_in_at(
    app: &TestApp,
    username: &str,
    role: Role,
    center: Option<&str>,
) -> Staff {
    create_user_in(app, username, role, center).await;
    sign_in_as(app, username).await
}

async fn sign_in_as(app: &TestApp, username: &str) -> Staff {
    let response = sign_in(app, username, PASSWORD).await;
    assert_eq!(response.status(), 303);
    let cookie = session_cookie(&response);
    let page = app
        .client
        .get(app.url("/can-bo"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    Staff {
        username: username.to_owned(),
        csrf: csrf_of(&page),
        cookie,
    }
}

impl Staff {
    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        app.client
            .get(app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(
        &self,
        app: &TestApp,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = form.to_vec();
        form.push(("csrf", &self.csrf));
        app.client
            .post(app.url(path))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Posts a multipart form with this session's CSRF token first, then `fields`, then
    /// `files` as (field, file name, bytes).
    pub async fn post_multipart(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(String, String)],
        files: &[(String, &str, &[u8])],
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new().text("csrf", self.csrf.clone());
        for (name, value) in fields {
            form = form.text(name.clone(), value.clone());
        }
        for (name, file_name, bytes) in files {
            form = form.part(
                name.clone(),
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file_name.to_string()),
            );
        }
        app.client
            .post(app.url(path))
            .header("cookie", &self.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// The number of dossiers a queue page says it found (`<p class="result-count">N hồ sơ</p>`).
pub fn result_count(page: &str) -> usize {
    let start = page
        .find("<p class=\"result-count\">")
        .unwrap_or_else(|| panic!("no result count on the page: {page}"))
        + "<p class=\"result-count\">".len();
    let shown = &page[start..];
    let shown = &shown[..shown.find("</p>").expect("the count's paragraph ends")];
    shown
        .strip_suffix(" hồ sơ")
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("not a count of dossiers: {shown}"))
}

/// What an action's form sends besides its own fields: an accept ticks the whole intake
/// checklist (checklist_http tests an unticked item).
pub fn checks_for(action: app::domain::back_office::Action) -> Vec<(String, String)> {
    if action == app::domain::back_office::Action::Accept {
        every_check()
    } else {
        Vec::new()
    }
}

/// Every tick of an intake checklist (`app::domain::intake_checklist`) of up to 20 papers and
/// 10 conditions: what an accept form sends when the clerk checked everything.
pub fn every_check() -> Vec<(String, String)> {
    (0..20)
        .map(|index| format!("kiem-giay-{index}"))
        .chain((0..10).map(|index| format!("kiem-dieu-kien-{index}")))
        .chain(["kiem-le-phi".to_owned(), "kiem-thoi-han".to_owned()])
        .map(|field| (field, "1".to_owned()))
        .collect()
}
