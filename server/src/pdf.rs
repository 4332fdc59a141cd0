//! A sheet (`app::domain::papers::Sheet`) as a PDF for the archive: the same words as its web
//! page, laid out on its paper size with DejaVu Sans embedded (subset), a font that covers every
//! Vietnamese letter (its `langcover.txt`: Vietnamese 194/194 in Sans and Sans Bold).

use app::domain::papers::{Block, Sheet};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use rustybuzz::ttf_parser;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

const POINTS_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the page size is not valid")]
    Page,
    #[error("the address is too long for a QR code")]
    Qr,
    #[error("a scanned page is not a readable JPEG or PNG picture")]
    Scan,
    #[error("the PDF could not be written: {0:?}")]
    Write(krilla::error::KrillaError),
}

/// One face: what krilla embeds, and the metrics that measure a line before it is drawn.
struct Face {
    font: Font,
    metrics: ttf_parser::Face<'static>,
    bold: bool,
}

impl Face {
    fn load(data: &'static [u8], bold: bool) -> Result<Face, PdfError> {
        Ok(Face {
            font: Font::new(data.into(), 0).ok_or(PdfError::Font)?,
            metrics: ttf_parser::Face::parse(data, 0).map_err(|_| PdfError::Font)?,
            bold,
        })
    }

    /// The advance width of `text` at `size` points (no kerning: DejaVu's Vietnamese letters are
    /// single precomposed glyphs, and a line measured a little wide only wraps a little early).
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.metrics
                    .glyph_index(c)
                    .and_then(|glyph| self.metrics.glyph_hor_advance(glyph))
                    .map_or(f32::from(self.metrics.units_per_em()) / 2.0, f32::from)
            })
            .sum();
        units / f32::from(self.metrics.units_per_em()) * size
    }

    /// `text` broken into lines no wider than `width`; a word wider than a line is cut.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word alone on a line that is still too wide is cut where it must be.
                let mut rest = String::new();
                for c in word.chars() {
                    rest.push(c);
                    if self.width(&rest, size) > width && rest.chars().count() > 1 {
                        rest.pop();
                        lines.push(std::mem::take(&mut rest));
                        rest.push(c);
                    }
                }
                line = rest;
            }
            lines.push(line);
        }
        lines
    }
}

fn line_height(size: f32) -> f32 {
    size * 1.35
}

fn draw(surface: &mut Surface, face: &Face, x: f32, y: f32, size: f32, text: &str) {
    surface.draw_text(
        Point::from_xy(x, y),
        face.font.clone(),
        size,
        text,
        false,
        TextDirection::LeftToRight,
    );
}

/// Where a piece of text goes: the column from `x` of `width`, from `y` down, left-aligned or
/// centred.
#[derive(Clone, Copy)]
struct Place {
    x: f32,
    width: f32,
    y: f32,
    centred: bool,
}

fn stroke_line(surface: &mut Surface, from: (f32, f32), to: (f32, f32)) {
    let mut path = PathBuilder::new();
    path.move_to(from.0, from.1);
    path.line_to(to.0, to.1);
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: rgb::Color::black().into(),
            width: 0.5,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
        surface.set_fill(Some(black()));
    }
}

fn black() -> Fill {
    Fill {
        paint: rgb::Color::black().into(),
        ..Default::default()
    }
}

/// Pages of one size, started as the body needs them.
struct Pages {
    document: Document,
    width: f32,
    height: f32,
}

impl Pages {
    fn start(&mut self) -> Result<krilla::page::Page<'_>, PdfError> {
        let settings = PageSettings::from_wh(self.width, self.height).ok_or(PdfError::Page)?;
        Ok(self.document.start_page_with(settings))
    }
}

/// The sheet as a PDF: its header, title, body and signatures, on as many pages as the body
/// needs (a table goes on over pages, its header repeated).
pub fn render(sheet: &Sheet) -> Result<Vec<u8>, PdfError> {
    let regular = Face::load(REGULAR, false)?;
    let bold = Face::load(BOLD, true)?;
    let (width_mm, height_mm) = sheet.size.millimetres();
    let (width, height) = (width_mm * POINTS_PER_MM, height_mm * POINTS_PER_MM);
    let margin = 12.0 * POINTS_PER_MM;
    let usable = width - 2.0 * margin;
    let bottom = height - margin;
    let size = if width < 450.0 { 9.5 } else { 10.0 };
    let mut pages = Pages {
        document: Document::new(),
        width,
        height,
    };
    // Each page is drawn as a list of lines first, then painted: a page ends where the next
    // piece does not fit.
    let mut laid_out: Vec<Vec<Piece>> = vec![Vec::new()];
    let mut y = margin;

    // The heading: the issuer on the left, the nation on the right, each centred in its half.
    let half = usable / 2.0;
    let left = Place {
        x: margin,
        width: half - 6.0,
        y,
        centred: true,
    };
    let right = Place {
        x: margin + half,
        width: half,
        y,
        centred: true,
    };
    let page = laid_out.last_mut().expect("a first page");
    let mut left_y = y;
    left_y += page.text(&bold, &sheet.issuer, Place { y: left_y, ..left }, size);
    if let Some(number) = &sheet.number {
        left_y += page.text(&regular, number, Place { y: left_y, ..left }, size);
    }
    let mut right_y = y;
    // The nation's name stays on one line, as on every official paper: smaller on A5.
    let nation_size = (size * 0.9).min(half / bold.width(&sheet.nation, 1.0).max(1.0));
    right_y += page.text(
        &bold,
        &sheet.nation,
        Place {
            y: right_y,
            ..right
        },
        nation_size,
    );
    right_y += page.text(
        &bold,
        &sheet.motto,
        Place {
            y: right_y,
            ..right
        },
        size,
    );
    let motto_width = bold.width(&sheet.motto, size).min(half);
    page.push(Piece::Rule {
        from: (right.x + (half - motto_width) / 2.0, right_y + 1.0),
        to: (right.x + (half + motto_width) / 2.0, right_y + 1.0),
    });
    right_y += 4.0;
    if let Some(dated) = &sheet.dated {
        right_y += page.text(
            &regular,
            dated,
            Place {
                y: right_y,
                ..right
            },
            size,
        );
    }
    y = left_y.max(right_y) + size;
    let form_size = size * 0.85;
    let form_width = regular.width(&sheet.form_label, form_size);
    page.text(
        &regular,
        &sheet.form_label,
        Place {
            x: width - margin - form_width - 1.0,
            width: form_width + 2.0,
            y: y - size,
            centred: false,
        },
        form_size,
    );
    y += size * 0.3;
    let body = Place {
        x: margin,
        width: usable,
        y,
        centred: false,
    };
    y += page.text(
        &bold,
        &sheet.title,
        Place {
            centred: true,
            ..body
        },
        size * 1.15,
    );
    y += size;

    for block in &sheet.blocks {
        match block {
            Block::Line(text) | Block::Strong(text) => {
                let face = if matches!(block, Block::Strong(_)) {
                    &bold
                } else {
                    &regular
                };
                let needed = face.wrap(text, size, usable).len() as f32 * line_height(size);
                if y + needed > bottom {
                    laid_out.push(Vec::new());
                    y = margin;
                }
                let page = laid_out.last_mut().expect("a page");
                y += page.text(face, text, Place { y, ..body }, size) + size * 0.3;
            }
            Block::Items(items) => {
                let indent = 6.0 * POINTS_PER_MM;
                for (index, item) in items.iter().enumerate() {
                    let needed =
                        regular.wrap(item, size, usable - indent).len() as f32 * line_height(size);
                    if y + needed > bottom {
                        laid_out.push(Vec::new());
                        y = margin;
                    }
                    let page = laid_out.last_mut().expect("a page");
                    page.text(
                        &regular,
                        &format!("{}.", index + 1),
                        Place {
                            y,
                            width: indent,
                            ..body
                        },
                        size,
                    );
                    y += page.text(
                        &regular,
                        item,
                        Place {
                            x: margin + indent,
                            width: usable - indent,
                            y,
                            centred: false,
                        },
                        size,
                    );
                }
                y += size * 0.3;
            }
            Block::Table {
                headers,
                rows,
                widths,
            } => {
                let table_size = if headers.len() > 8 {
                    size * 0.75
                } else {
                    size * 0.9
                };
                let total = widths.iter().map(|w| f32::from(*w)).sum::<f32>().max(1.0);
                let columns: Vec<f32> = widths
                    .iter()
                    .map(|w| f32::from(*w) / total * usable)
                    .collect();
                let table = Table {
                    columns: &columns,
                    x: margin,
                    size: table_size,
                };
                if y + table.height(&bold, headers) * 2.0 > bottom {
                    laid_out.push(Vec::new());
                    y = margin;
                }
                y += table.row(laid_out.last_mut().expect("a page"), &bold, headers, y);
                for row in rows {
                    if y + table.height(&regular, row) > bottom {
                        laid_out.push(Vec::new());
                        y = margin;
                        y += table.row(laid_out.last_mut().expect("a page"), &bold, headers, y);
                    }
                    y += table.row(laid_out.last_mut().expect("a page"), &regular, row, y);
                }
                y += size;
            }
        }
    }

    if let Some((url, caption)) = &sheet.qr {
        let side = 62.0;
        if y + side > bottom {
            laid_out.push(Vec::new());
            y = margin;
        }
        let page = laid_out.last_mut().expect("a page");
        page.extend(qr_code(url, margin, y, side)?);
        let beside = Place {
            x: margin + side + 8.0,
            width: usable - side - 8.0,
            y,
            centred: false,
        };
        let used = page.text(&regular, caption, beside, size * 0.85);
        page.text(
            &regular,
            url,
            Place {
                y: y + used,
                ..beside
            },
            size * 0.75,
        );
        y += side + size * 0.5;
    }

    if !sheet.signatures.is_empty() {
        if y + size * 9.0 > bottom {
            laid_out.push(Vec::new());
            y = margin;
        }
        let page = laid_out.last_mut().expect("a page");
        let count = sheet.signatures.len() as f32;
        let column = usable / count.max(2.0);
        // A lone signature goes on the right, where the forms place the signer.
        let first_x = width - margin - column * count;
        y += size;
        for (index, signature) in sheet.signatures.iter().enumerate() {
            let place = Place {
                x: first_x + column * index as f32,
                width: column,
                y,
                centred: true,
            };
            let mut at = y;
            at += page.text(&bold, &signature.role, Place { y: at, ..place }, size);
            at += page.text(
                &regular,
                &signature.hint,
                Place { y: at, ..place },
                size * 0.85,
            );
            at += size * 4.0;
            page.text(&bold, &signature.name, Place { y: at, ..place }, size);
        }
    }

    paint(&mut pages, &laid_out, &regular, &bold)
}

/// Paints the laid-out pages, one PDF page each, and finishes the document.
fn paint(
    pages: &mut Pages,
    laid_out: &[Vec<Piece>],
    regular: &Face,
    bold: &Face,
) -> Result<Vec<u8>, PdfError> {
    for pieces in laid_out {
        let mut page = pages.start()?;
        let mut surface = page.surface();
        surface.set_fill(Some(black()));
        for piece in pieces {
            match piece {
                Piece::Text {
                    bold: is_bold,
                    x,
                    y,
                    size,
                    text,
                } => {
                    let face = if *is_bold { bold } else { regular };
                    draw(&mut surface, face, *x, *y, *size, text);
                }
                Piece::Rule { from, to } => stroke_line(&mut surface, *from, *to),
                Piece::Square { x, y, side } => {
                    let mut path = PathBuilder::new();
                    if let Some(square) = Rect::from_xywh(*x, *y, *side, *side) {
                        path.push_rect(square);
                    }
                    if let Some(path) = path.finish() {
                        surface.draw_path(&path);
                    }
                }
                Piece::Picture {
                    image,
                    x,
                    y,
                    width,
                    height,
                } => {
                    if let Some(size) = Size::from_wh(*width, *height) {
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(image.clone(), size);
                        surface.pop();
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    let document = std::mem::take(&mut pages.document);
    document.finish().map_err(PdfError::Write)
}

/// A certified copy to draw: the scanned pages of the original, each with its footer, and the
/// certification under the last one, with the QR code of the public verification page.
pub struct CopySheet<'a> {
    /// Each page's scan (JPEG or PNG) and its footer line.
    pub pages: Vec<(&'a [u8], String)>,
    pub statement: &'a [String],
    pub verification_url: &'a str,
    pub verification_caption: &'a str,
}

/// Room at the foot of every page of a copy for its footer line.
const FOOTER_ROOM: f32 = 16.0;

/// The copy as a PDF of A4 pages: each scan as large as fits (kept in proportion, centred), the
/// last one smaller to leave room for the certification box. JPEG scans are embedded as they
/// are, without decoding or re-compressing.
pub fn certified_copy(sheet: &CopySheet<'_>) -> Result<Vec<u8>, PdfError> {
    let regular = Face::load(REGULAR, false)?;
    let bold = Face::load(BOLD, true)?;
    let (width, height) = (210.0 * POINTS_PER_MM, 297.0 * POINTS_PER_MM);
    let margin = 10.0 * POINTS_PER_MM;
    let usable = width - 2.0 * margin;
    let size = 9.5;
    let qr_side = 76.0;
    let text_x = margin + qr_side + 12.0;
    let text_width = usable - qr_side - 18.0;

    // The certification box: its height is what its words need, and at least the QR code's.
    let mut box_pieces = Vec::new();
    let mut words_height = 0.0;
    for (index, line) in sheet.statement.iter().enumerate() {
        let face = if index == 0 { &bold } else { &regular };
        words_height += box_pieces.text(
            face,
            line,
            Place {
                x: text_x,
                width: text_width,
                y: words_height,
                centred: false,
            },
            size,
        );
    }
    words_height += box_pieces.text(
        &regular,
        sheet.verification_caption,
        Place {
            x: text_x,
            width: text_width,
            y: words_height + 2.0,
            centred: false,
        },
        size * 0.8,
    );
    // The address too, for whoever cannot scan the code.
    words_height += box_pieces.text(
        &regular,
        sheet.verification_url,
        Place {
            x: text_x,
            width: text_width,
            y: words_height,
            centred: false,
        },
        size * 0.75,
    );
    let box_height = words_height.max(qr_side) + 16.0;

    let count = sheet.pages.len();
    let mut laid_out = Vec::with_capacity(count);
    for (index, (scan, footer)) in sheet.pages.iter().enumerate() {
        let last = index + 1 == count;
        let image = scan_image(scan)?;
        let (pixels_wide, pixels_high) = image.size();
        let area_height =
            height - 2.0 * margin - FOOTER_ROOM - if last { box_height + 8.0 } else { 0.0 };
        let scale =
            (usable / pixels_wide.max(1) as f32).min(area_height / pixels_high.max(1) as f32);
        let (drawn_width, drawn_height) = (pixels_wide as f32 * scale, pixels_high as f32 * scale);
        let mut page = vec![Piece::Picture {
            image,
            x: margin + (usable - drawn_width) / 2.0,
            y: margin,
            width: drawn_width,
            height: drawn_height,
        }];
        page.text(
            &regular,
            footer,
            Place {
                x: margin,
                width: usable,
                y: height - margin - FOOTER_ROOM + 4.0,
                centred: true,
            },
            7.5,
        );
        if last {
            let top = margin + drawn_height + 8.0;
            let (left, right, bottom) = (margin, width - margin, top + box_height);
            for (from, to) in [
                ((left, top), (right, top)),
                ((right, top), (right, bottom)),
                ((right, bottom), (left, bottom)),
                ((left, bottom), (left, top)),
            ] {
                page.push(Piece::Rule { from, to });
            }
            page.extend(qr_code(
                sheet.verification_url,
                margin + 8.0,
                top + 8.0,
                qr_side,
            )?);
            page.extend(box_pieces.iter().map(|piece| piece.moved_down(top + 8.0)));
        }
        laid_out.push(page);
    }
    let mut pages = Pages {
        document: Document::new(),
        width,
        height,
    };
    paint(&mut pages, &laid_out, &regular, &bold)
}

fn scan_image(scan: &[u8]) -> Result<Image, PdfError> {
    let data = scan.to_vec().into();
    if scan.starts_with(b"\xFF\xD8\xFF") {
        Image::from_jpeg(data, true)
    } else {
        Image::from_png(data, true)
    }
    .map_err(|_| PdfError::Scan)
}

/// The dark modules of a QR code of `text`, a square of `side` points from (`x`, `y`).
fn qr_code(text: &str, x: f32, y: f32, side: f32) -> Result<Vec<Piece>, PdfError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| PdfError::Qr)?;
    let modules = code.width();
    let cell = side / modules as f32;
    Ok(code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, colour)| **colour == qrcode::Color::Dark)
        .map(|(index, _)| Piece::Square {
            x: x + (index % modules) as f32 * cell,
            y: y + (index / modules) as f32 * cell,
            side: cell,
        })
        .collect())
}

/// What a page holds, laid out before it is painted.
enum Piece {
    Text {
        bold: bool,
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Rule {
        from: (f32, f32),
        to: (f32, f32),
    },
    /// A filled square: a module of a QR code.
    Square {
        x: f32,
        y: f32,
        side: f32,
    },
    /// A scanned page, its top left corner at (`x`, `y`).
    Picture {
        image: Image,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
}

trait PageContent {
    fn push(&mut self, piece: Piece);

    /// Wrapped text in its place; returns the height used.
    fn text(&mut self, face: &Face, text: &str, place: Place, size: f32) -> f32 {
        let mut used = 0.0;
        for line in face.wrap(text, size, place.width) {
            let offset = if place.centred {
                (place.width - face.width(&line, size)).max(0.0) / 2.0
            } else {
                0.0
            };
            used += line_height(size);
            self.push(Piece::Text {
                bold: face.bold,
                x: place.x + offset,
                y: place.y + used - size * 0.3,
                size,
                text: line,
            });
        }
        used
    }
}

impl Piece {
    /// The same piece `by` points lower.
    fn moved_down(&self, by: f32) -> Piece {
        match self {
            Piece::Text {
                bold,
                x,
                y,
                size,
                text,
            } => Piece::Text {
                bold: *bold,
                x: *x,
                y: y + by,
                size: *size,
                text: text.clone(),
            },
            Piece::Rule { from, to } => Piece::Rule {
                from: (from.0, from.1 + by),
                to: (to.0, to.1 + by),
            },
            Piece::Square { x, y, side } => Piece::Square {
                x: *x,
                y: y + by,
                side: *side,
            },
            Piece::Picture {
                image,
                x,
                y,
                width,
                height,
            } => Piece::Picture {
                image: image.clone(),
                x: *x,
                y: y + by,
                width: *width,
                height: *height,
            },
        }
    }
}

impl PageContent for Vec<Piece> {
    fn push(&mut self, piece: Piece) {
        Vec::push(self, piece);
    }
}

/// A table's columns and type size.
struct Table<'a> {
    columns: &'a [f32],
    x: f32,
    size: f32,
}

impl Table<'_> {
    const PAD: f32 = 2.0;

    fn height(&self, face: &Face, cells: &[String]) -> f32 {
        let lines = cells
            .iter()
            .zip(self.columns)
            .map(|(cell, column)| face.wrap(cell, self.size, column - 2.0 * Self::PAD).len())
            .max()
            .unwrap_or(1);
        lines as f32 * line_height(self.size) + 2.0 * Self::PAD
    }

    /// A row with its cell borders; returns its height.
    fn row(&self, page: &mut Vec<Piece>, face: &Face, cells: &[String], y: f32) -> f32 {
        let height = self.height(face, cells);
        let right = self.x + self.columns.iter().sum::<f32>();
        page.push(Piece::Rule {
            from: (self.x, y),
            to: (right, y),
        });
        page.push(Piece::Rule {
            from: (self.x, y + height),
            to: (right, y + height),
        });
        let mut x = self.x;
        for (cell, column) in cells.iter().zip(self.columns) {
            page.push(Piece::Rule {
                from: (x, y),
                to: (x, y + height),
            });
            let place = Place {
                x: x + Self::PAD,
                width: column - 2.0 * Self::PAD,
                y: y + Self::PAD,
                centred: false,
            };
            page.text(face, cell, place, self.size);
            x += column;
        }
        page.push(Piece::Rule {
            from: (x, y),
            to: (x, y + height),
        });
        height
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::papers::{PageSize, Signature};

    fn sheet(blocks: Vec<Block>) -> Sheet {
        Sheet {
            size: PageSize::A5,
            form_label: "Mẫu số 02".into(),
            issuer: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ".into(),
            number: Some("Số: 1/2025".into()),
            nation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            motto: "Độc lập - Tự do - Hạnh phúc".into(),
            dated: Some("Ngày 10 tháng 11 năm 2025".into()),
            title: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ".into(),
            blocks,
            qr: None,
            signatures: vec![Signature {
                role: "NGƯỜI HƯỚNG DẪN".into(),
                hint: "(Ký và ghi rõ họ tên)".into(),
                name: "Nguyễn Thị Lan".into(),
            }],
        }
    }

    /// The number of pages the PDF's page tree declares (`/Type/Pages/Count N`).
    fn page_count(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        let after = text
            .split("/Type/Pages/Count ")
            .nth(1)
            .expect("a page tree");
        after
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("a page count")
    }

    #[test]
    fn every_vietnamese_letter_has_a_glyph_in_both_faces() {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        for face in [
            Face::load(REGULAR, false).unwrap(),
            Face::load(BOLD, true).unwrap(),
        ] {
            for c in letters.chars().chain(letters.to_uppercase().chars()) {
                assert!(face.metrics.glyph_index(c).is_some(), "{c}");
            }
        }
    }

    #[test]
    fn lines_wrap_within_the_width_and_keep_every_word() {
        let face = Face::load(REGULAR, false).unwrap();
        let text =
            "Sau khi xem xét, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau";
        let lines = face.wrap(text, 10.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|line| face.width(line, 10.0) <= 120.0));
        assert_eq!(lines.join(" "), text);
        let long = face.wrap("KHÔNGCÓKHOẢNGTRẮNGNÀOCẢTRONGCHUỖINÀY", 10.0, 40.0);
        assert!(long.len() > 1 && long.iter().all(|line| face.width(line, 10.0) <= 40.0));
    }

    #[test]
    fn a_short_form_is_one_page_and_a_long_table_goes_on() {
        let pdf = render(&sheet(vec![
            Block::Line("Hồ sơ của: Nguyễn Văn An".into()),
            Block::Items(vec!["Tờ khai đăng ký khai sinh".into()]),
            Block::Strong("Hạn gửi bổ sung: 20/11/2025".into()),
        ]))
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(page_count(&pdf), 1);
        let rows = (0..80)
            .map(|i| vec![i.to_string(), "Lê Thị Hoa".into(), "Trần Minh".into()])
            .collect();
        let long = render(&sheet(vec![Block::Table {
            headers: vec!["TT".into(), "Người giao".into(), "Người nhận".into()],
            rows,
            widths: vec![1, 3, 3],
        }]))
        .unwrap();
        assert!(page_count(&long) > 1, "{}", page_count(&long));
    }
}
