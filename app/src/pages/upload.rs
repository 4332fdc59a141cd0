//! Makes the upload forms (the documents step, a supplement on the status page) better with
//! JavaScript: large photos are made smaller in the
//! browser before they are sent (phone cameras take 3–8 MB photos; 1600 pixels on the long
//! side keep a document legible at a fraction of the size), each photo goes with a thumbnail of
//! a few kilobytes for the pages that list it, and the upload shows its progress. With
//! `send_on_choice` (the documents step) a file is sent as soon as it is chosen, so the one
//! button left is "continue".
//!
//! An island over the plain multipart form: without JavaScript the form posts as it is.

use leptos::prelude::*;

use crate::domain::feedback::Problem;
use crate::i18n::Texts;

/// The element that shows where an upload stands; it carries the island's settings and words
/// as `data-` attributes.
const PROGRESS_ID: &str = "tien-do-tai-len";

/// The upload form's progress line, and the island that makes the form better.
///
/// The island takes no props: Leptos reads an island's props with `serde_json`, whose code
/// would go into the WebAssembly bundle of every page with an island (docs/performance.md).
/// The settings and words are attributes of the progress line, rendered by the server.
#[component]
pub fn UploadProgress(t: &'static Texts, per_file: u64, send_on_choice: bool) -> impl IntoView {
    view! {
        <div
            id=PROGRESS_ID
            class="upload-progress"
            role="status"
            aria-live="polite"
            data-per-file=per_file.to_string()
            data-send-on-choice=send_on_choice.then_some("")
            data-preparing=t.filing.preparing_upload
            data-shrinking=format!("{}…", t.filing.shrinking)
            data-uploading=t.filing.uploading
            data-failed=t.filing.upload_failed
            data-too-large=t.problem(Problem::FileTooLarge)
        ></div>
        <UploadEnhancer />
    }
}

#[island]
fn UploadEnhancer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    enhance::attach(PROGRESS_ID);
}

#[cfg(feature = "hydrate")]
mod enhance {
    use std::cell::Cell;
    use std::rc::Rc;

    use leptos::prelude::{document, window};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Blob, CanvasRenderingContext2d, Element, File, FormData, HtmlCanvasElement,
        HtmlFormElement, HtmlInputElement, ImageBitmap, SubmitEvent, XmlHttpRequest,
    };

    use crate::domain::filing::field;

    /// A document's photo: legible, a fraction of a camera's size. Photos whose file is above
    /// `SHRINK_ABOVE_BYTES` are redrawn so, as JPEG.
    const PHOTO: Shrink = Shrink {
        long_side: 1600.0,
        quality: 0.82,
    };
    /// A thumbnail: a few kilobytes, enough to see which paper it is.
    const THUMBNAIL: Shrink = Shrink {
        long_side: 160.0,
        quality: 0.7,
    };
    const SHRINK_ABOVE_BYTES: f64 = 1_000_000.0;

    struct Shrink {
        long_side: f64,
        quality: f64,
    }

    /// Where an upload stands, shown in the progress line.
    enum Progress {
        Idle,
        Shrinking,
        Sending(u32),
        Failed,
    }

    /// The progress line, with the settings and words the server wrote on it.
    #[derive(Clone)]
    struct Line {
        element: Element,
        per_file: f64,
    }

    impl Line {
        fn word(&self, name: &str) -> String {
            self.element.get_attribute(name).unwrap_or_default()
        }

        fn sending_words(&self, percent: u32) -> String {
            format!("{} {percent}%", self.word("data-uploading"))
        }

        fn show(&self, progress: Progress) {
            // An upload under way moves its bar at every step but rewrites its words, which
            // the live region reads out, only at each quarter.
            if let Progress::Sending(percent) = progress
                && let Ok(Some(bar)) = self.element.query_selector("progress")
            {
                let before: u32 = bar
                    .get_attribute("value")
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(0);
                let _ = bar.set_attribute("value", &percent.to_string());
                if before / 25 != percent / 25
                    && let Ok(Some(words)) = self.element.query_selector("p")
                {
                    words.set_text_content(Some(&self.sending_words(percent)));
                }
                return;
            }
            self.element.set_text_content(None);
            let document = document();
            let paragraph = |text: String| {
                let paragraph = document.create_element("p").ok()?;
                paragraph.set_text_content(Some(&text));
                self.element.append_child(&paragraph).ok()?;
                Some(paragraph)
            };
            match progress {
                Progress::Idle => {}
                Progress::Shrinking => {
                    paragraph(self.word("data-shrinking"));
                }
                Progress::Sending(percent) => {
                    paragraph(self.sending_words(percent));
                    if let Ok(bar) = document.create_element("progress") {
                        let _ = bar.set_attribute("max", "100");
                        let _ = bar.set_attribute("value", &percent.to_string());
                        let _ = self.element.append_child(&bar);
                    }
                }
                Progress::Failed => {
                    if let Some(paragraph) = paragraph(self.word("data-failed")) {
                        paragraph.set_class_name("field-error");
                    }
                }
            }
        }
    }

    pub fn attach(progress_id: &str) {
        let document = document();
        let Some(element) = document.get_element_by_id(progress_id) else {
            return;
        };
        // The line is inside the form it makes better.
        let Some(form) = element
            .closest("form")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let send_on_choice = element.has_attribute("data-send-on-choice");
        let per_file = element
            .get_attribute("data-per-file")
            .and_then(|bytes| bytes.parse().ok())
            .unwrap_or(f64::INFINITY);
        let line = Line { element, per_file };
        // Uploads still on their way: the page is reloaded (to list what arrived) only by the
        // last one to finish, so a file chosen meanwhile is not cut off.
        let in_flight = Rc::new(Cell::new(0u32));
        let target = form.clone();
        let on_submit = Closure::<dyn FnMut(SubmitEvent)>::new(move |event: SubmitEvent| {
            event.prevent_default();
            let form = target.clone();
            let submitter = event.submitter();
            let in_flight = in_flight.clone();
            let line = line.clone();
            wasm_bindgen_futures::spawn_local(async move {
                in_flight.set(in_flight.get() + 1);
                let sent = send(&form, submitter, &line).await;
                in_flight.set(in_flight.get() - 1);
                match sent {
                    Ok(Some(next)) if in_flight.get() == 0 => {
                        if let Err(error) = window().location().assign(&next) {
                            web_sys::console::warn_1(&error);
                        }
                    }
                    Ok(_) => {}
                    Err(error) => {
                        web_sys::console::warn_1(&error);
                        line.show(Progress::Failed);
                    }
                }
            });
        });
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        on_submit.forget();
        if send_on_choice {
            send_when_chosen(&form);
        }
    }

    /// Each file input sends its files as soon as they are chosen, through the form's upload
    /// button (then hidden by the style sheet: `data-send-on-choice`).
    fn send_when_chosen(form: &HtmlFormElement) {
        let selector = format!(
            "button[name='{}'][value='{}']",
            field::STEP_ACTION,
            field::UPLOAD
        );
        let Some(button) = form
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let _ = form.set_attribute("data-send-on-choice", "");
        let target = form.clone();
        let pressed = button.clone();
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let chose_files = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .is_some_and(|input| {
                    input.type_() == "file" && input.files().is_some_and(|f| f.length() > 0)
                });
            if chose_files {
                let _ = target.request_submit_with_submitter(Some(&pressed));
            }
        });
        let _ = form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
        // Files chosen before the island ran are sent now.
        let chosen_before = form
            .query_selector_all("input[type=file]")
            .ok()
            .is_some_and(|inputs| {
                (0..inputs.length()).any(|index| {
                    inputs
                        .item(index)
                        .and_then(|n| n.dyn_into::<HtmlInputElement>().ok())
                        .and_then(|input| input.files())
                        .is_some_and(|files| files.length() > 0)
                })
            });
        if chosen_before {
            let _ = form.request_submit_with_submitter(Some(&button));
        }
    }

    /// Sends the form: the address to go to next when the server took it, `None` when it named
    /// problems (shown next to their fields) or a file was too large to send.
    async fn send(
        form: &HtmlFormElement,
        submitter: Option<web_sys::HtmlElement>,
        line: &Line,
    ) -> Result<Option<String>, JsValue> {
        clear_messages(form);
        let data = FormData::new_with_form(form)?;
        if let Some(button) = submitter
            && let (Some(name), Some(value)) =
                (button.get_attribute("name"), button.get_attribute("value"))
        {
            data.append_with_str(&name, &value)?;
        }
        let inputs = form.query_selector_all("input[type=file]")?;
        let mut too_large = Vec::new();
        for index in 0..inputs.length() {
            let Some(input) = inputs
                .item(index)
                .and_then(|n| n.dyn_into::<HtmlInputElement>().ok())
            else {
                continue;
            };
            let Some(files) = input.files().filter(|files| files.length() > 0) else {
                continue;
            };
            let name = input.name();
            data.delete(&name);
            for position in 0..files.length() {
                let Some(file) = files.get(position) else {
                    continue;
                };
                let (blob, file_name) = if is_large_photo(&file) {
                    line.show(Progress::Shrinking);
                    match shrink(&file, &PHOTO).await {
                        Ok(smaller) => (smaller, jpeg_name(&file.name())),
                        Err(_) => (file.clone().into(), file.name()),
                    }
                } else {
                    (file.clone().into(), file.name())
                };
                if blob.size() > line.per_file {
                    too_large.push(input.id());
                }
                data.append_with_blob_and_filename(&name, &blob, &file_name)?;
                // Right after its photo, which is how the server pairs them. A photo the
                // browser cannot draw goes without one.
                if is_photo(&file)
                    && let Ok(thumbnail) = shrink(&file, &THUMBNAIL).await
                {
                    let thumbnail_field = format!("{}{name}", field::THUMBNAIL_PREFIX);
                    data.append_with_blob_and_filename(
                        &thumbnail_field,
                        &thumbnail,
                        "anh-nho.jpg",
                    )?;
                }
            }
            // Sent once: a file chosen later in another input goes without these again.
            input.set_value("");
        }
        if !too_large.is_empty() {
            line.show(Progress::Idle);
            let message = line.word("data-too-large");
            for id in too_large {
                show_message(form, &id, &message);
            }
            return Ok(None);
        }
        line.show(Progress::Sending(0));
        let (status, body) = post(&form.action(), &data, line).await?;
        // The browser's own JSON parser: serde_json's `Value` would add its code to the bundle.
        let reply = js_sys::JSON::parse(&body).unwrap_or(JsValue::NULL);
        let member = |name: &str| {
            js_sys::Reflect::get(&reply, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
        };
        if let Some(target) = member("redirect").as_string() {
            return Ok(Some(target));
        }
        let problems = member("problems");
        if problems.is_object() {
            line.show(Progress::Idle);
            for entry in js_sys::Object::entries(problems.unchecked_ref()).iter() {
                let entry: js_sys::Array = entry.unchecked_into();
                if let Some(field) = entry.get(0).as_string() {
                    show_message(form, &field, &entry.get(1).as_string().unwrap_or_default());
                }
            }
            return Ok(None);
        }
        Err(JsValue::from_str(&format!("unexpected answer {status}")))
    }

    fn is_photo(file: &File) -> bool {
        matches!(file.type_().as_str(), "image/jpeg" | "image/png")
    }

    fn is_large_photo(file: &File) -> bool {
        is_photo(file) && file.size() > SHRINK_ABOVE_BYTES
    }

    fn jpeg_name(name: &str) -> String {
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        format!("{stem}.jpg")
    }

    /// Redraws a photo with its long side at most `to.long_side` pixels, as JPEG.
    async fn shrink(file: &File, to: &Shrink) -> Result<Blob, JsValue> {
        let bitmap: ImageBitmap = JsFuture::from(window().create_image_bitmap_with_blob(file)?)
            .await?
            .dyn_into()?;
        let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
        let scale = (to.long_side / width.max(height)).min(1.0);
        let (w, h) = ((width * scale).round(), (height * scale).round());
        let canvas: HtmlCanvasElement = document().create_element("canvas")?.dyn_into()?;
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let context: CanvasRenderingContext2d = canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2d context"))?
            .dyn_into()?;
        context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)?;
        bitmap.close();
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            let done = Closure::once_into_js(move |blob: JsValue| {
                if blob.is_null() {
                    let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("toBlob gave nothing"));
                } else {
                    let _ = resolve.call1(&JsValue::NULL, &blob);
                }
            });
            let _ = canvas.to_blob_with_type_and_encoder_options(
                done.unchecked_ref(),
                "image/jpeg",
                &JsValue::from_f64(to.quality),
            );
        });
        JsFuture::from(promise).await?.dyn_into()
    }

    /// Sends the form data, reporting upload progress; resolves with status and body.
    async fn post(url: &str, data: &FormData, line: &Line) -> Result<(u16, String), JsValue> {
        let request = XmlHttpRequest::new()?;
        request.open_with_async("POST", url, true)?;
        request.set_request_header("Accept", "application/json")?;
        let line = line.clone();
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
            move |event: web_sys::ProgressEvent| {
                if event.length_computable() && event.total() > 0.0 {
                    let percent = (event.loaded() / event.total() * 100.0).round() as u32;
                    line.show(Progress::Sending(percent.min(100)));
                }
            },
        );
        request
            .upload()?
            .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        let finished = {
            let request = request.clone();
            js_sys::Promise::new(&mut |resolve, reject| {
                request.set_onload(Some(resolve.unchecked_ref()));
                request.set_onerror(Some(reject.unchecked_ref()));
                request.set_onabort(Some(reject.unchecked_ref()));
            })
        };
        request.send_with_opt_form_data(Some(data))?;
        JsFuture::from(finished).await?;
        drop(on_progress);
        Ok((
            request.status()?,
            request.response_text()?.unwrap_or_default(),
        ))
    }

    /// Shows a message above the field with this id, as the server-rendered page would.
    fn show_message(form: &HtmlFormElement, id: &str, message: &str) {
        let document = document();
        let Ok(paragraph) = document.create_element("p") else {
            return;
        };
        paragraph.set_class_name("field-error js-message");
        paragraph.set_text_content(Some(message));
        let anchor = document
            .get_element_by_id(id)
            .or_else(|| form.first_element_child());
        if let Some(anchor) = anchor {
            let _ = anchor.set_attribute("aria-invalid", "true");
            let _ = anchor.insert_adjacent_element("beforebegin", &paragraph);
        }
    }

    fn clear_messages(form: &HtmlFormElement) {
        if let Ok(old) = form.query_selector_all(".js-message") {
            for index in 0..old.length() {
                if let Some(node) = old
                    .item(index)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                {
                    node.remove();
                }
            }
        }
    }
}
