//! The database's connections (`app::db::connections`), on each database: work a dropped
//! future left half done is undone before the connection's next holder, waiting holders are
//! served in the order they came, a discarded connection is replaced, and a closed set refuses
//! new work.

mod common;

use std::time::Duration;

use common::TestApp;
use futures_util::FutureExt;

async fn buckets_named(db: &app::db::Database, bucket: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .fetch_one(db.writer())
        .await
        .and_then(|row| sqlx::Row::try_get(&row, 0))
        .unwrap()
}

/// A statement that runs for well over the 100 ms the test waits, on either database.
fn slow_statement(backend: common::Backend) -> &'static str {
    match backend {
        common::Backend::Sqlite => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) \
             SELECT COUNT(*) FROM c"
        }
        common::Backend::Postgres => "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_sleep(1)",
    }
}

on_both_databases!(
    a_transaction_dropped_half_way_is_rolled_back_before_the_next_holder,
    |backend: common::Backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let db = app.db.clone();
        let (written, wrote) = tokio::sync::oneshot::channel();
        // A handler whose client went away: its task is dropped inside a transaction that
        // wrote, without commit or rollback.
        let handler = tokio::spawn(async move {
            let mut writer = db.writer().acquire().await.unwrap();
            let mut tx = writer.begin().await.unwrap();
            sqlx::query(
                "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('left', 1, 1)",
            )
            .execute(&mut *tx)
            .await
            .unwrap();
            written.send(()).unwrap();
            std::future::pending::<()>().await;
        });
        wrote.await.unwrap();
        handler.abort();
        assert!(handler.await.unwrap_err().is_cancelled());

        // On SQLite this reads on the one writer, after the rollback it queued; on PostgreSQL
        // another connection would not see the row anyway, and the next holder is the proof.
        assert_eq!(buckets_named(&app.db, "left").await, 0);
        let mut writer = app.db.writer().acquire().await.unwrap();
        let mut tx = writer.begin().await.unwrap();
        sqlx::query("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('next', 1, 1)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        drop(writer);
        assert_eq!(buckets_named(&app.db, "next").await, 1);
        assert_eq!(buckets_named(&app.db, "left").await, 0);
        app.stop().await;
    }
);

on_both_databases!(
    a_statement_given_up_while_it_runs_leaves_its_connection_usable,
    |backend: common::Backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let slow = slow_statement(backend);
        let mut writer = app.db.writer().acquire().await.unwrap();
        let mut tx = writer.begin().await.unwrap();
        sqlx::query("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('cut', 1, 1)")
            .execute(&mut *tx)
            .await
            .unwrap();
        let given_up = tokio::time::timeout(
            Duration::from_millis(100),
            sqlx::query(slow).fetch_one(&mut *tx),
        )
        .await;
        assert!(given_up.is_err(), "the slow statement was not slow");
        drop(tx);
        drop(writer);

        // The next statements on the same connection (on SQLite, the only writer) work, and
        // the cut transaction's row is gone.
        assert_eq!(buckets_named(&app.db, "cut").await, 0);
        let count: i64 = sqlx::query(slow)
            .fetch_one(app.db.writer())
            .await
            .and_then(|row| sqlx::Row::try_get(&row, 0))
            .unwrap();
        assert!(count >= 1);
        app.stop().await;
    }
);

on_both_databases!(
    holders_waiting_for_the_writer_are_served_in_the_order_they_came,
    |backend: common::Backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        // On PostgreSQL the pool has sixteen connections: take all but one, so that the
        // waiters below queue for one connection there too.
        let mut taken = Vec::new();
        if matches!(backend, common::Backend::Postgres) {
            for _ in 0..15 {
                taken.push(app.db.writer().acquire().await.unwrap());
            }
        }
        let mut holder = app.db.writer().acquire().await.unwrap();
        // Each waiter joins the queue when first polled, in this order.
        let mut waiters: Vec<_> = (0..4)
            .map(|_| Box::pin(app.db.writer().acquire()))
            .collect();
        for waiter in &mut waiters {
            assert!(
                waiter.now_or_never().is_none(),
                "a waiter went past the holder"
            );
        }
        for turn in 0..waiters.len() {
            drop(holder);
            holder = tokio::time::timeout(Duration::from_secs(5), &mut waiters[turn])
                .await
                .unwrap_or_else(|_| panic!("waiter {turn} was not served next"))
                .unwrap();
            for later in &mut waiters[turn + 1..] {
                assert!(later.now_or_never().is_none(), "two holders at once");
            }
        }
        drop(holder);
        drop(waiters);
        drop(taken);
        app.stop().await;
    }
);

on_both_databases!(
    a_discarded_connection_is_replaced,
    |backend: common::Backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let mut writer = app.db.writer().acquire().await.unwrap();
        writer.discard();
        drop(writer);
        // Every reader at once, the writer beside them: each answers.
        let mut held = Vec::new();
        for _ in 0..8 {
            held.push(app.db.reader().acquire().await.unwrap());
        }
        held.push(app.db.writer().acquire().await.unwrap());
        for connection in &mut held {
            let one: i64 = sqlx::query("SELECT CAST(1 AS BIGINT)")
                .fetch_one(&mut **connection)
                .await
                .and_then(|row| sqlx::Row::try_get(&row, 0))
                .unwrap();
            assert_eq!(one, 1);
        }
        drop(held);
        app.stop().await;
    }
);

on_both_databases!(
    closed_connections_refuse_new_work,
    |backend: common::Backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let db = app.db.clone();
        app.stop().await;
        db.close().await;
        assert!(db.writer().acquire().await.is_err());
        assert!(
            sqlx::query("SELECT 1")
                .fetch_one(db.reader())
                .await
                .is_err()
        );
    }
);
