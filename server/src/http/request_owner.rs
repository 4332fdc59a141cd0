//! Each request keeps its own reactive owner, as if the owner were task-local.
//!
//! Leptos keeps "the current owner", whose contexts `use_context` reads (a page's
//! `ResponseOptions`, its nonce, the request's parts), in a thread-local. leptos_axum renders
//! every page under `Owner::new_root`, which *sets* that thread-local and never puts the old
//! value back, so after a page's first poll the tokio worker thread keeps pointing at the page's
//! owner while the page is still being rendered. Whatever runs next on that thread and creates
//! an `Owner::new()` becomes the page's child: leptos_axum's static-file fallback does (since
//! leptos PR #4394), finds the page's `ResponseOptions` through its parent, and
//! `extend_response` *takes* the headers out of it onto the file's answer. The page then went
//! out with its status but without its content policy, `Cache-Control`, `Referrer-Policy` or
//! `Location` (issue 13; see docs/architecture.md).
//!
//! The cure at the depth of the cause: every poll of a request's future and of its response
//! body starts with this request's own owner (or none) in the thread-local and ends by taking
//! it back out, restoring what was there before. No request can then see another's owner,
//! whichever thread polls it, and leptos's own code that reads the thread-local after an await
//! (the nonce in `from_app`) sees its own request again.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::reactive::owner::Owner;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Middleware: runs the rest of the stack, and the body it answers with, under the request's
/// own reactive owner.
pub async fn keep_owner_per_request(request: Request, next: Next) -> Response {
    let response = OwnedByRequest::new(Box::pin(next.run(request))).await;
    response.map(|body| Body::new(OwnedByRequest::new(body)))
}

/// A future or a body whose polls see only the owner the request itself set.
struct OwnedByRequest<T> {
    inner: T,
    owner: Option<Owner>,
}

impl<T> OwnedByRequest<T> {
    fn new(inner: T) -> Self {
        OwnedByRequest { inner, owner: None }
    }

    /// Runs one poll with this request's owner current, then keeps whatever owner the poll
    /// left current for the next one and puts the thread back as it was.
    fn poll_with_own_owner<R>(&mut self, poll: impl FnOnce(&mut T) -> R) -> R {
        let outer = take_current_owner();
        if let Some(owner) = self.owner.take() {
            owner.set();
        }
        let result = poll(&mut self.inner);
        self.owner = take_current_owner();
        if let Some(outer) = outer {
            outer.set();
        }
        result
    }
}

/// The thread's current owner, which is no longer current afterwards.
fn take_current_owner() -> Option<Owner> {
    let current = Owner::current()?;
    current.clone().unset();
    Some(current)
}

impl<F: Future + Unpin> Future for OwnedByRequest<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.get_mut()
            .poll_with_own_owner(|inner| Pin::new(inner).poll(cx))
    }
}

impl HttpBody for OwnedByRequest<Body> {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        self.get_mut()
            .poll_with_own_owner(|body| Pin::new(body).poll_frame(cx))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A future that leaves a new root owner current, as leptos_axum's page rendering does.
    struct SetsARoot;

    impl Future for SetsARoot {
        type Output = Owner;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Owner> {
            Poll::Ready(Owner::new_root(None))
        }
    }

    #[test]
    fn an_owner_set_by_a_request_does_not_stay_on_the_thread() {
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut request = OwnedByRequest::new(SetsARoot);
        let Poll::Ready(root) = Pin::new(&mut request).poll(&mut cx) else {
            panic!("ready at once")
        };
        assert!(Owner::current().is_none(), "the root leaked to the thread");
        assert_eq!(
            request.owner,
            Some(root),
            "the request keeps it for its next poll"
        );

        // Without the wrapper the root stays current: this is the leak being guarded against.
        let Poll::Ready(leaked) = Pin::new(&mut SetsARoot).poll(&mut cx) else {
            panic!("ready at once")
        };
        assert_eq!(Owner::current(), Some(leaked.clone()));
        leaked.unset();
    }

    #[test]
    fn the_thread_gets_its_own_owner_back() {
        let outer = Owner::new_root(None);
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut request = OwnedByRequest::new(SetsARoot);
        let _ = Pin::new(&mut request).poll(&mut cx);
        assert_eq!(Owner::current(), Some(outer.clone()));
        outer.unset();
    }
}
