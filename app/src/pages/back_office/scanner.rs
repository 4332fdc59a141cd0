//! Finding a dossier by the QR code of its receipt, read by the counter's camera. An island: it
//! shows its button only once it runs (without JavaScript a USB scanner still types the receipt's
//! address into the search). The code is read in the browser (rqrr, frames drawn on a canvas
//! every few hundred milliseconds); the address it holds goes into the queue's search as a
//! scanner would type it, so the server finds the dossier and drops the lookup key the same way.

use leptos::prelude::*;

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Camera {
    Off,
    Looking,
    /// The browser gave no camera (none there, or not allowed).
    Refused,
}

#[island]
pub fn QrScanner(lang: Lang) -> impl IntoView {
    let s = lang.texts().staff;
    let live = RwSignal::new(false);
    let camera = RwSignal::new(Camera::Off);
    let video = NodeRef::<leptos::html::Video>::new();
    Effect::new(move |_| live.set(true));
    #[cfg(feature = "hydrate")]
    let start = move |_| reading::start(video, camera);
    #[cfg(not(feature = "hydrate"))]
    let start = move |_: leptos::ev::MouseEvent| {};
    view! {
        <div class="qr-scanner" hidden=move || !live.get()>
            <button type="button" class="secondary" on:click=start disabled=move || camera.get() == Camera::Looking>
                {s.scan_with_camera}
            </button>
            <p class="hint" role="status">
                {move || match camera.get() {
                    Camera::Off => "",
                    Camera::Looking => s.scan_hold_receipt,
                    Camera::Refused => s.scan_no_camera,
                }}
            </p>
            <video node_ref=video class="qr-video" muted=true playsinline=true hidden=move || camera.get() != Camera::Looking></video>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod reading {
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        CanvasRenderingContext2d, HtmlCanvasElement, MediaStream, MediaStreamConstraints,
        MediaStreamTrack,
    };

    use super::Camera;
    use crate::domain::back_office::{QueueFilter, code_in_scanned_address};

    /// A frame is read this often while the camera looks.
    const EVERY: Duration = Duration::from_millis(250);
    /// Frames are read at most this wide: a receipt's code held to the camera stays readable,
    /// and a cheap PC reads it in a few milliseconds.
    const READ_WIDTH: u32 = 640;

    pub fn start(video: NodeRef<leptos::html::Video>, camera: RwSignal<Camera>) {
        leptos::task::spawn_local(async move {
            match open_camera().await {
                Ok(stream) => {
                    let Some(element) = video.get_untracked() else {
                        return;
                    };
                    element.set_src_object(Some(&stream));
                    let _ = element.play();
                    camera.set(Camera::Looking);
                    look(element, stream, camera);
                }
                Err(error) => {
                    leptos::logging::warn!("no camera: {error:?}");
                    camera.set(Camera::Refused);
                }
            }
        });
    }

    async fn open_camera() -> Result<MediaStream, wasm_bindgen::JsValue> {
        let constraints = MediaStreamConstraints::new();
        // The back camera of a tablet; a PC's only camera otherwise.
        let video = js_sys::Object::new();
        js_sys::Reflect::set(&video, &"facingMode".into(), &"environment".into())?;
        constraints.set_video(&video);
        let promise = window()
            .navigator()
            .media_devices()?
            .get_user_media_with_constraints(&constraints)?;
        JsFuture::from(promise).await?.dyn_into()
    }

    /// Reads frames until one holds a receipt's code, then stops the camera and searches.
    fn look(video: web_sys::HtmlVideoElement, stream: MediaStream, camera: RwSignal<Camera>) {
        let reader = StoredValue::new_local(None::<IntervalHandle>);
        let handle = set_interval_with_handle(
            move || {
                if let Some(address) = read_frame(&video)
                    && code_in_scanned_address(&address).is_some()
                {
                    if let Some(handle) = reader.get_value() {
                        handle.clear();
                    }
                    stop(&stream);
                    camera.set(Camera::Off);
                    let search = QueueFilter {
                        query: address,
                        ..QueueFilter::default()
                    };
                    let _ = window().location().assign(&crate::paths::queue(&search));
                }
            },
            EVERY,
        );
        match handle {
            Ok(handle) => reader.set_value(Some(handle)),
            Err(error) => leptos::logging::warn!("cannot read frames: {error:?}"),
        }
    }

    fn stop(stream: &MediaStream) {
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                track.stop();
            }
        }
    }

    /// The text of a QR code in the video's current frame, if it shows one.
    fn read_frame(video: &web_sys::HtmlVideoElement) -> Option<String> {
        let (width, height) = (video.video_width(), video.video_height());
        if width == 0 || height == 0 {
            return None;
        }
        let scale = (f64::from(READ_WIDTH) / f64::from(width)).min(1.0);
        let (w, h) = (
            (f64::from(width) * scale) as u32,
            (f64::from(height) * scale) as u32,
        );
        let canvas: HtmlCanvasElement =
            document().create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(w);
        canvas.set_height(h);
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        context
            .draw_image_with_html_video_element_and_dw_and_dh(
                video,
                0.0,
                0.0,
                f64::from(w),
                f64::from(h),
            )
            .ok()?;
        let rgba = context
            .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
            .ok()?
            .data();
        let (w, h) = (w as usize, h as usize);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            let pixel = (y * w + x) * 4;
            let sum =
                u16::from(rgba[pixel]) + u16::from(rgba[pixel + 1]) + u16::from(rgba[pixel + 2]);
            (sum / 3) as u8
        });
        image
            .detect_grids()
            .into_iter()
            .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
    }
}
