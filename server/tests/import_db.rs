//! The importer against a fresh database of each back end: idempotent upsert, versions kept,
//! all-or-nothing on malformed input.

mod common;

use common::{demo_data_path, empty_database};
use server::import::{ImportError, import_file};

fn temp_file(contents: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "motcua-import-{}-{}.json",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::write(&path, contents).unwrap();
    path
}

on_both_databases!(
    reimporting_the_same_file_changes_nothing,
    |backend| async move {
        let (test_db, db) = empty_database(backend).await;
        let first = import_file(&db, &demo_data_path()).await.unwrap();
        assert!(first.inserted.len() >= 25, "{first:?}");
        assert!(first.updated.is_empty() && first.unchanged.is_empty());
        let second = import_file(&db, &demo_data_path()).await.unwrap();
        assert!(second.inserted.is_empty() && second.updated.is_empty());
        assert_eq!(second.unchanged.len(), first.inserted.len());
        assert_eq!(db.procedure_version_count("1.001193").await.unwrap(), 1);
        db.close().await;
        test_db.cleanup().await;
    }
);

on_both_databases!(
    a_changed_procedure_gets_a_new_version_and_keeps_the_old,
    |backend| async move {
        let (test_db, db) = empty_database(backend).await;
        let record = |fee: &str| {
            format!(
                r#"[{{"MaTTHC": "1.000001", "TENTTHC": "Thủ tục thử", "LINHVUCTHUCHIEN": [{{"TENLINHVUC": "Hộ tịch"}}],
               "CACHTHUCTHUCHIEN": [{{"KENH": "Trực tiếp", "THOIGIAN": [{{"THOIGIANGIAIQUYET": "1",
               "DONVITINH": "Ngày làm việc", "PHILEPHI": [{{"MAPHILEPHI": "Lệ phí", "SOTIEN": "{fee}"}}]}}]}}]}}]"#
            )
        };
        let v1 = temp_file(&record("0"));
        let v2 = temp_file(&record("5.000"));
        import_file(&db, &v1).await.unwrap();
        let report = import_file(&db, &v2).await.unwrap();
        assert_eq!(report.updated, vec!["1.000001"]);
        assert_eq!(db.procedure_version_count("1.000001").await.unwrap(), 2);
        let current = db.procedure_by_code("1.000001").await.unwrap().unwrap();
        assert_eq!(current.channels[0].fees[0].amount_dong, Some(5000));
        db.close().await;
        test_db.cleanup().await;
        let _ = std::fs::remove_file(v1);
        let _ = std::fs::remove_file(v2);
    }
);

on_both_databases!(a_malformed_file_writes_nothing, |backend| async move {
    let (test_db, db) = empty_database(backend).await;
    let file = temp_file(
        r#"[{"MaTTHC": "1.000001", "TENTTHC": "Tốt", "LINHVUCTHUCHIEN": [{"TENLINHVUC": "Hộ tịch"}]},
            {"MaTTHC": "1.000002", "TENTTHC": "", "LINHVUCTHUCHIEN": [{"TENLINHVUC": "Hộ tịch"}]}]"#,
    );
    let error = import_file(&db, &file).await.unwrap_err();
    let ImportError::Invalid(problems) = &error else {
        panic!("expected a validation error, got {error}");
    };
    assert_eq!(problems.len(), 1);
    assert!(
        error
            .to_string()
            .contains("bản ghi 2 (1.000002), trường TENTTHC"),
        "{error}"
    );
    assert_eq!(db.procedure_count().await.unwrap(), 0);
    db.close().await;
    test_db.cleanup().await;
    let _ = std::fs::remove_file(file);
});

on_both_databases!(
    an_import_through_one_server_reaches_the_search_of_another,
    |backend| async move {
        // Two app servers: two connections to one database, each with its own search index.
        let (test_db, first) = empty_database(backend).await;
        let second = app::db::Database::connect(&test_db.url).await.unwrap();
        import_file(&first, &demo_data_path()).await.unwrap();
        let search = |db: app::db::Database, query: &'static str| async move {
            let filter = app::domain::procedure::CatalogueFilter::new(query, "", "", "1");
            let page = db.search_catalogue(&filter).await.unwrap();
            page.items.into_iter().map(|i| i.code).collect::<Vec<_>>()
        };
        assert!(
            search(second.clone(), "khai sinh")
                .await
                .contains(&"1.001193".to_owned())
        );
        assert!(
            !search(second.clone(), "chim yến")
                .await
                .contains(&"9.000001".to_owned())
        );

        let file = temp_file(
            r#"[{"MaTTHC": "9.000001", "TENTTHC": "Đăng ký nuôi chim yến",
                "LINHVUCTHUCHIEN": [{"TENLINHVUC": "Nông nghiệp"}]}]"#,
        );
        import_file(&first, &file).await.unwrap();
        assert_eq!(
            search(second.clone(), "chim yến")
                .await
                .first()
                .map(String::as_str),
            Some("9.000001"),
            "the other server's index was rebuilt"
        );
        assert_eq!(
            search(first.clone(), "chim yen")
                .await
                .first()
                .map(String::as_str),
            Some("9.000001")
        );
        second.close().await;
        first.close().await;
        test_db.cleanup().await;
        let _ = std::fs::remove_file(file);
    }
);
