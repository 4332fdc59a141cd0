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
use serde::{Deserialize, Serialize};

use crate::domain::feedback::Problem;
use crate::i18n::Texts;

/// The island's words, carried in its props: reading `Lang::texts` in the island would put every
/// translation into the WebAssembly bundle (docs/performance.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadTexts {
    shrinking: String,
    uploading: String,
    failed: String,
    too_large: String,
}

impl UploadTexts {
    pub fn new(t: &Texts) -> UploadTexts {
        UploadTexts {
            shrinking: t.filing.shrinking.to_owned(),
            uploading: t.filing.uploading.to_owned(),
            failed: t.filing.upload_failed.to_owned(),
            too_large: t.problem(Problem::FileTooLarge).to_owned(),
        }
    }
}

/// Where the upload stands, as the island shows it. The server only ever renders `Idle`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Progress {
    Idle,
    Shrinking,
    Sending(u32),
    Failed,
}

#[island]
pub fn UploadProgress(
    texts: UploadTexts,
    form_id: String,
    per_file: u64,
    send_on_choice: bool,
) -> impl IntoView {
    let texts = StoredValue::new(texts);
    let progress = RwSignal::new(Progress::Idle);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let too_large = texts.with_value(|t| t.too_large.clone());
        enhance::attach(&form_id, per_file, send_on_choice, too_large, progress)
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (form_id, per_file, send_on_choice);
    view! {
        <div class="upload-progress" role="status" aria-live="polite">
            {move || texts.with_value(|t| match progress.get() {
                Progress::Idle => ().into_any(),
                Progress::Shrinking => view! { <p>{t.shrinking.clone()}"…"</p> }.into_any(),
                Progress::Sending(percent) => {
                    view! {
                        <p>{format!("{} {percent}%", t.uploading)}</p>
                        <progress max="100" value=percent.to_string()></progress>
                    }
                        .into_any()
                }
                Progress::Failed => view! { <p class="field-error">{t.failed.clone()}</p> }.into_any(),
            })}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod enhance {
    use std::cell::Cell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Blob, CanvasRenderingContext2d, File, FormData, HtmlCanvasElement, HtmlFormElement,
        HtmlInputElement, ImageBitmap, SubmitEvent, XmlHttpRequest,
    };

    use super::Progress;
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

    pub fn attach(
        form_id: &str,
        per_file: u64,
        send_on_choice: bool,
        too_large_message: String,
        progress: RwSignal<Progress>,
    ) {
        let Some(form) = document()
            .get_element_by_id(form_id)
            .and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        // Uploads still on their way: the page is reloaded (to list what arrived) only by the
        // last one to finish, so a file chosen meanwhile is not cut off.
        let in_flight = Rc::new(Cell::new(0u32));
        let too_large_message: Rc<str> = too_large_message.into();
        let target = form.clone();
        let on_submit = Closure::<dyn FnMut(SubmitEvent)>::new(move |event: SubmitEvent| {
            event.prevent_default();
            let form = target.clone();
            let submitter = event.submitter();
            let in_flight = in_flight.clone();
            let too_large_message = too_large_message.clone();
            leptos::task::spawn_local(async move {
                in_flight.set(in_flight.get() + 1);
                let sent = send(&form, submitter, per_file, &too_large_message, progress).await;
                in_flight.set(in_flight.get() - 1);
                match sent {
                    Ok(Some(next)) if in_flight.get() == 0 => {
                        if let Err(error) = window().location().assign(&next) {
                            leptos::logging::warn!("cannot go on: {error:?}");
                        }
                    }
                    Ok(_) => {}
                    Err(error) => {
                        leptos::logging::warn!("upload failed: {error:?}");
                        progress.set(Progress::Failed);
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
        per_file: u64,
        too_large_message: &str,
        progress: RwSignal<Progress>,
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
                    progress.set(Progress::Shrinking);
                    match shrink(&file, &PHOTO).await {
                        Ok(smaller) => (smaller, jpeg_name(&file.name())),
                        Err(_) => (file.clone().into(), file.name()),
                    }
                } else {
                    (file.clone().into(), file.name())
                };
                if blob.size() > per_file as f64 {
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
            progress.set(Progress::Idle);
            for id in too_large {
                show_message(form, &id, too_large_message);
            }
            return Ok(None);
        }
        progress.set(Progress::Sending(0));
        let (status, body) = post(&form.action(), &data, progress).await?;
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
            progress.set(Progress::Idle);
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
    async fn post(
        url: &str,
        data: &FormData,
        progress: RwSignal<Progress>,
    ) -> Result<(u16, String), JsValue> {
        let request = XmlHttpRequest::new()?;
        request.open_with_async("POST", url, true)?;
        request.set_request_header("Accept", "application/json")?;
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
            move |event: web_sys::ProgressEvent| {
                if event.length_computable() && event.total() > 0.0 {
                    let percent = (event.loaded() / event.total() * 100.0).round() as u32;
                    progress.set(Progress::Sending(percent.min(100)));
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
