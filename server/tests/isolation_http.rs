//! One request's state never reaches another's answer, however many are served at once: pages
//! keep the headers, status and nonce they set while files are served beside them, and each
//! visitor sees their own language, commune, session and staff identity.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use app::LookupLimit;
use app::domain::back_office::Role;
use app::domain::center::{CENTER_COOKIE, Center, NewCenter, center_field};
use app::domain::filing::field;
use app::i18n::Lang;
use common::TestApp;
use common::filing::{ONE_CASE, applicant_form, location, start, submitted_dossier};
use common::staff::{Staff, signed_in};

/// Page answers checked per database: `MOTCUA_ISOLATION_PAGES`, 2,000 unless set.
fn page_answers() -> usize {
    std::env::var("MOTCUA_ISOLATION_PAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

/// The nonce a content policy lets scripts run with, if any.
fn script_nonce(policy: &str) -> Option<&str> {
    let rest = policy.split("'nonce-").nth(1)?;
    rest.split('\'').next()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// A page's own answer: what it must carry, whatever else is being served.
#[derive(Clone)]
enum Page {
    /// The receipt, with its code and key: private.
    Receipt(String),
    /// The status page with a wrong key: private too, a form, and 404.
    WrongKey(String),
    /// A staff page without a session: a redirect to the sign-in page.
    StaffWithoutSession,
    /// A procedure that does not exist: 404 with the page's own policy.
    UnknownProcedure,
    /// A page with a script (the procedure page's checklist), which runs only with the
    /// answer's nonce.
    WithScript,
    /// The home page asked for in English by one visitor, in Vietnamese by the next.
    InLanguage(Lang),
    /// The catalogue of one commune's visitor (its slug and center's name), of another's next.
    InCommune(String, String),
    /// The staff home page of one signed-in member.
    StaffHome(Staff),
    /// A refused applicant step (a draft's token), rendered again by its POST handler with
    /// this request's own input.
    RefusedForm(String),
}

impl Page {
    fn path(&self) -> String {
        match self {
            Page::Receipt(query) => format!("/giay-hen?{query}"),
            Page::WrongKey(code) => format!("/tra-cuu?ma={code}&khoa=ZZZZ-ZZZZ"),
            Page::StaffWithoutSession => "/can-bo".to_owned(),
            Page::UnknownProcedure => "/thu-tuc/9.999999".to_owned(),
            Page::WithScript => "/thu-tuc/2.000635".to_owned(),
            Page::InLanguage(_) => "/".to_owned(),
            Page::InCommune(..) => "/thu-tuc".to_owned(),
            Page::StaffHome(_) => "/can-bo".to_owned(),
            Page::RefusedForm(token) => format!("/ho-so-nhap/{token}/nguoi-nop"),
        }
    }

    /// The request for answer number `n`.
    fn request(
        &self,
        client: &reqwest::Client,
        app: &TestApp,
        n: usize,
    ) -> reqwest::RequestBuilder {
        let request = match self {
            Page::RefusedForm(_) => client.post(app.url(&self.path())).form(&applicant_form(&[
                (field::PHONE, "0123"),
                (field::ADDRESS, &own_address(n)),
            ])),
            _ => client.get(app.url(&self.path())),
        };
        match self.cookie() {
            Some(cookie) => request.header("cookie", cookie),
            None => request,
        }
    }

    fn cookie(&self) -> Option<String> {
        match self {
            Page::InLanguage(lang) => Some(format!("{}={}", Lang::COOKIE, lang.code())),
            Page::InCommune(slug, _) => Some(format!("{CENTER_COOKIE}={slug}")),
            Page::StaffHome(staff) => Some(staff.cookie.clone()),
            _ => None,
        }
    }

    /// What is wrong with answer number `n` of this page, if anything.
    async fn fault(&self, response: reqwest::Response, n: usize) -> Option<String> {
        let status = response.status().as_u16();
        let policy = header(&response, "content-security-policy").to_owned();
        let no_store = header(&response, "cache-control") == "no-store";
        let no_referrer = header(&response, "referrer-policy") == "no-referrer";
        let redirect = location(&response);
        let body = response.text().await.unwrap_or_default();
        let Some(nonce) = script_nonce(&policy) else {
            return Some(format!("no page policy: {policy}"));
        };
        let foreign_script = body
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or(""))
            .find(|tag| !tag.contains(&format!("nonce=\"{nonce}\"")));
        if let Some(tag) = foreign_script {
            return Some(format!("a script without this answer's nonce: {tag}"));
        }
        let expected_status = match self {
            Page::StaffWithoutSession => 303,
            Page::UnknownProcedure | Page::WrongKey(_) => 404,
            Page::RefusedForm(_) => 422,
            _ => 200,
        };
        if status != expected_status {
            return Some(format!("status {status}"));
        }
        match self {
            Page::Receipt(_) | Page::WrongKey(_) if !(no_store && no_referrer) => Some(format!(
                "private page kept? no-store {no_store}, no-referrer {no_referrer}"
            )),
            Page::StaffWithoutSession if redirect != "/can-bo/dang-nhap" => {
                Some(format!("redirect to {redirect:?}"))
            }
            Page::WithScript if !body.contains("<script") => Some("no script".to_owned()),
            Page::InLanguage(lang)
                if !body.contains(&format!("<html lang=\"{}\"", lang.code())) =>
            {
                Some(format!("not in {}", lang.code()))
            }
            Page::InCommune(_, name)
                if !body.contains(&format!("<span class=\"brand-center\">{name}</span>")) =>
            {
                Some(format!("not {name}'s page"))
            }
            Page::StaffHome(staff)
                if !body.contains(&format!("({})", staff.username))
                    || !body.contains(&format!("value=\"{}\"", staff.csrf)) =>
            {
                Some(format!("not {}'s own page", staff.username))
            }
            Page::RefusedForm(_)
                if !body.contains(&own_address(n)) || body.matches(ADDRESS_MARK).count() != 1 =>
            {
                Some("not this request's own input".to_owned())
            }
            _ => None,
        }
    }
}

const ADDRESS_MARK: &str = "Thôn số ";

/// A second commune center beside the default one.
async fn other_center(app: &TestApp) -> Center {
    let fields = [
        (center_field::AGENCY, "000.00.13.H56"),
        (
            center_field::NAME,
            "Trung tâm Phục vụ hành chính công xã Bình An",
        ),
        (center_field::ADDRESS, "Thôn 2, xã Bình An"),
        (center_field::OFFICE_HOURS, "7 giờ 30 – 17 giờ"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    let center = NewCenter::from_form(&fields, &["1".to_owned()]).unwrap();
    app.db.create_center(&center, app.db.now()).await.unwrap();
    app.db
        .center_by_slug(center.slug.as_str())
        .await
        .unwrap()
        .unwrap()
}

/// An address only answer number `n` typed.
fn own_address(n: usize) -> String {
    format!("{ADDRESS_MARK}{n}, xã Tân Lập")
}

/// What is wrong with a static file's answer: it must carry none of a page's headers.
fn file_fault(response: &reqwest::Response) -> Option<String> {
    let policy = header(response, "content-security-policy");
    if response.status() != 200 {
        Some(format!("status {}", response.status()))
    } else if !policy.contains("script-src 'none'") {
        Some(format!("a page's policy on a file: {policy}"))
    } else if header(response, "cache-control") == "no-store"
        || header(response, "referrer-policy") == "no-referrer"
        || response.headers().contains_key("location")
    {
        Some("a page's headers on a file".to_owned())
    } else {
        None
    }
}

on_both_databases!(
    pages_keep_their_own_headers_while_files_are_served,
    |backend| async move {
        let app = TestApp::spawn_with(backend, |config| {
            config.lookup_limit = LookupLimit {
                hits: 100_000,
                window_seconds: 3_600,
            };
        })
        .await
        .unwrap();
        let app = Arc::new(app);
        let (code, key) = submitted_dossier(&app, "Mai Thị Hương").await;
        let receipt = format!("ma={code}&khoa={key}");
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let admin = signed_in(&app, "lanh.dao", Role::Admin).await;
        let draft = start(&app, ONE_CASE).await;
        let home = app.db.default_center().await.unwrap();
        let other = other_center(&app).await;
        let pages = [
            Page::Receipt(receipt),
            Page::WrongKey(code),
            Page::StaffWithoutSession,
            Page::UnknownProcedure,
            Page::WithScript,
            Page::InLanguage(Lang::En),
            Page::InLanguage(Lang::Vi),
            Page::InCommune(home.slug, home.name),
            Page::InCommune(other.slug, other.name),
            Page::StaffHome(clerk),
            Page::StaffHome(admin),
            Page::RefusedForm(draft),
        ];

        // Two keep-alive connections fetch files in a loop, as a browser does beside a page.
        let stop = Arc::new(AtomicBool::new(false));
        let file_fetchers: Vec<_> = ["/pkg/motcua.css", "/favicon.svg"]
            .into_iter()
            .map(|path| {
                let (app, stop) = (app.clone(), stop.clone());
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    let (mut fetched, mut faults) = (0usize, Vec::new());
                    while !stop.load(Ordering::Relaxed) {
                        let response = client.get(app.url(path)).send().await.unwrap();
                        if let Some(fault) = file_fault(&response) {
                            faults.push(format!("{path}: {fault}"));
                        }
                        let _ = response.bytes().await;
                        fetched += 1;
                    }
                    (fetched, faults)
                })
            })
            .collect();

        let total = page_answers();
        let next = Arc::new(AtomicUsize::new(0));
        let page_fetchers: Vec<_> = (0..4)
            .map(|_| {
                let (app, next, pages) = (app.clone(), next.clone(), pages.clone());
                tokio::spawn(async move {
                    let client = reqwest::Client::builder()
                        .redirect(reqwest::redirect::Policy::none())
                        .build()
                        .unwrap();
                    let mut faults = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= total {
                            return faults;
                        }
                        let page = &pages[n % pages.len()];
                        let response = page.request(&client, &app, n).send().await.unwrap();
                        if let Some(fault) = page.fault(response, n).await {
                            faults.push(format!("{}: {fault}", page.path()));
                        }
                    }
                })
            })
            .collect();
        let mut page_faults = Vec::new();
        for fetcher in page_fetchers {
            page_faults.extend(fetcher.await.unwrap());
        }
        stop.store(true, Ordering::Relaxed);
        let (mut files, mut file_faults) = (0, Vec::new());
        for fetcher in file_fetchers {
            let (fetched, faults) = fetcher.await.unwrap();
            files += fetched;
            file_faults.extend(faults);
        }
        eprintln!(
            "{total} page answers: {} wrong; {files} file answers beside them: {} wrong",
            page_faults.len(),
            file_faults.len()
        );
        assert!(files > 0, "no file was served beside the pages");
        assert!(
            page_faults.is_empty(),
            "{} of {total} page answers wrong, e.g. {:?}",
            page_faults.len(),
            &page_faults[..page_faults.len().min(5)]
        );
        assert!(
            file_faults.is_empty(),
            "{} of {files} file answers wrong, e.g. {:?}",
            file_faults.len(),
            &file_faults[..file_faults.len().min(5)]
        );
        Arc::into_inner(app).unwrap().stop().await;
    }
);
