//! The database's connections, handed out in turn: sqlx's pool for PostgreSQL, connections held
//! for good for SQLite.
//!
//! sqlx's pool pings every connection given back to it (`return_to_pool` in sqlx-core 0.8, no
//! option turns it off): a spawned task and a round trip to a SQLite connection's thread after
//! every statement, which the next statement of a busy server queued behind. Measured with a
//! copy of sqlx without it, a status lookup's p99 under the harness fell from 399 to 120 ms
//! (docs/performance.md, "Answers first"). The ping is there for connections across a network,
//! which can be lost, and for futures dropped mid-statement; a SQLite connection is a file
//! handle in this process, and its thread runs the statements it is sent in order, rolling back
//! a transaction whose `BEGIN` nobody heard the answer to, so what a dropped future left behind
//! is finished before the next holder's first statement.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{FutureExt, StreamExt, TryStreamExt};
use sqlx::any::{AnyConnectOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Describe, Either, Execute, Executor, Transaction};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::DbError;

/// How long a statement waits for a connection before it fails, as sqlx's pool did.
const WAIT_FOR_A_CONNECTION: Duration = Duration::from_secs(10);

/// Connections statements run on: `&Connections` runs a statement on one of them, as
/// `&AnyPool` does; [`Connections::acquire`] keeps one for a transaction.
#[derive(Clone, Debug)]
pub enum Connections {
    Pool(AnyPool),
    Held(Arc<Held>),
}

/// Connections opened once and kept, lent one holder at a time. Waiters are served in the order
/// they came (tokio's semaphore is fair), so a writer queued for SQLite's one write connection
/// is not overtaken. The connection given back longest ago is lent first: one whose holder gave
/// up on a statement may still be finishing it on its thread.
#[derive(Debug)]
pub struct Held {
    turns: Arc<Semaphore>,
    idle: Mutex<VecDeque<Slot>>,
    count: u32,
    /// For a connection opened in place of one whose thread stopped.
    options: AnyConnectOptions,
    setup: String,
}

/// One connection, kept until dropped.
pub enum Connection {
    Pooled(PoolConnection<Any>),
    Held(HeldConnection),
}

/// A held connection and whether it is to be dropped instead of given back (a new one is then
/// opened for the next holder). The flag is shared so that `Connection::begin` can still set it
/// while the transaction it began borrows the connection.
#[derive(Debug)]
struct Slot {
    connection: AnyConnection,
    discarded: Arc<AtomicBool>,
}

impl Slot {
    async fn open(options: &AnyConnectOptions, setup: &str) -> Result<Slot, sqlx::Error> {
        let mut connection = <AnyConnection as sqlx::Connection>::connect_with(options).await?;
        connection.execute(setup).await?;
        Ok(Slot {
            connection,
            discarded: Arc::default(),
        })
    }
}

pub struct HeldConnection {
    slot: Option<Slot>,
    home: Arc<Held>,
    /// Released after the connection is back among the idle ones (fields drop after `drop`).
    _turn: OwnedSemaphorePermit,
}

impl Connections {
    /// Opens `count` connections with `options`, each set up by running `setup` (PRAGMAs).
    pub async fn hold(
        options: &AnyConnectOptions,
        count: u32,
        setup: &str,
    ) -> Result<Connections, DbError> {
        let mut idle = VecDeque::with_capacity(count as usize);
        for _ in 0..count {
            idle.push_back(Slot::open(options, setup).await?);
        }
        Ok(Connections::Held(Arc::new(Held {
            turns: Arc::new(Semaphore::new(count as usize)),
            idle: Mutex::new(idle),
            count,
            options: options.clone(),
            setup: setup.to_owned(),
        })))
    }

    /// A connection of one's own, for a transaction: waits for one as a statement would.
    pub async fn acquire(&self) -> Result<Connection, sqlx::Error> {
        match self {
            Connections::Pool(pool) => Ok(Connection::Pooled(pool.acquire().await?)),
            Connections::Held(held) => {
                let turn =
                    tokio::time::timeout(WAIT_FOR_A_CONNECTION, held.turns.clone().acquire_owned())
                        .await
                        .map_err(|_| sqlx::Error::PoolTimedOut)?
                        .map_err(|_| sqlx::Error::PoolClosed)?;
                let idle = held
                    .idle
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .pop_front();
                // Each turn is one connection: with a turn and none idle, one was discarded.
                let slot = match idle {
                    Some(slot) => slot,
                    None => Slot::open(&held.options, &held.setup).await?,
                };
                Ok(Connection::Held(HeldConnection {
                    slot: Some(slot),
                    home: held.clone(),
                    _turn: turn,
                }))
            }
        }
    }

    /// sqlx's pool, on PostgreSQL: for a transaction that must outlive the call that opened it.
    pub fn shared_pool(&self) -> Option<&AnyPool> {
        match self {
            Connections::Pool(pool) => Some(pool),
            Connections::Held(_) => None,
        }
    }

    /// Waits for every connection to be given back, then closes them; statements after it fail.
    pub async fn close(&self) {
        match self {
            Connections::Pool(pool) => pool.close().await,
            Connections::Held(held) => {
                let Ok(all) = held.turns.acquire_many(held.count).await else {
                    return; // already closed
                };
                held.turns.close();
                drop(all);
                let idle = std::mem::take(
                    &mut *held
                        .idle
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner()),
                );
                for slot in idle {
                    let _ = sqlx::Connection::close(slot.connection).await;
                }
            }
        }
    }
}

impl Connection {
    pub async fn begin(&mut self) -> Result<Transaction<'_, Any>, sqlx::Error> {
        let discarded = self.discarded_flag();
        let begun = sqlx::Connection::begin(&mut **self).await;
        if let (Err(sqlx::Error::WorkerCrashed), Some(discarded)) = (&begun, discarded) {
            discarded.store(true, Ordering::Relaxed);
        }
        begun
    }

    fn discarded_flag(&self) -> Option<Arc<AtomicBool>> {
        match self {
            Connection::Pooled(_) => None,
            Connection::Held(held) => held.slot.as_ref().map(|slot| slot.discarded.clone()),
        }
    }

    /// Closes this connection when it is given back; the next holder gets a new one. sqlx's
    /// SQLite thread stops for good in a few cases (a failed rollback of a `BEGIN` nobody heard,
    /// a panic), after which every statement fails with `WorkerCrashed`: sqlx's pool found such
    /// a connection with its ping, we find it by the first statement that fails so.
    pub fn discard(&mut self) {
        if let Some(discarded) = self.discarded_flag() {
            discarded.store(true, Ordering::Relaxed);
        }
    }

    /// `result`, having discarded this connection if it says the connection's thread stopped.
    fn judged<T>(&mut self, result: Result<T, sqlx::Error>) -> Result<T, sqlx::Error> {
        if matches!(result, Err(sqlx::Error::WorkerCrashed)) {
            self.discard();
        }
        result
    }
}

impl std::ops::Deref for Connection {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            Connection::Pooled(pooled) => pooled,
            Connection::Held(held) => &held.slot.as_ref().expect("held until dropped").connection,
        }
    }
}

impl std::ops::DerefMut for Connection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Connection::Pooled(pooled) => pooled,
            Connection::Held(held) => {
                &mut held.slot.as_mut().expect("held until dropped").connection
            }
        }
    }
}

impl Drop for HeldConnection {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take()
            && !slot.discarded.load(Ordering::Relaxed)
        {
            self.home
                .idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push_back(slot);
        }
    }
}

impl<'c> Executor<'c> for &'_ Connections {
    type Database = Any;

    /// The rows are read to the end before the first is passed on: the connection is given back
    /// when the statement is done, not when its reader stops reading.
    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::stream::BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let connections = self.clone();
        futures_util::stream::once(async move {
            let mut connection = connections.acquire().await?;
            let rows = connection.fetch_many(query).try_collect::<Vec<_>>().await;
            connection.judged(rows)
        })
        .map_ok(|results| futures_util::stream::iter(results.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::future::BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let connections = self.clone();
        async move {
            let mut connection = connections.acquire().await?;
            let row = connection.fetch_optional(query).await;
            connection.judged(row)
        }
        .boxed()
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> futures_util::future::BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>>
    where
        'c: 'e,
    {
        let connections = self.clone();
        async move {
            let mut connection = connections.acquire().await?;
            let statement = connection.prepare_with(sql, parameters).await;
            connection.judged(statement)
        }
        .boxed()
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> futures_util::future::BoxFuture<'e, Result<Describe<Any>, sqlx::Error>>
    where
        'c: 'e,
    {
        let connections = self.clone();
        async move {
            let mut connection = connections.acquire().await?;
            let described = connection.describe(sql).await;
            connection.judged(described)
        }
        .boxed()
    }
}
