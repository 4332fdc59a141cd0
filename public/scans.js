// The counter's page scans (app/src/pages/back_office/certification.rs): with JavaScript, each
// photo chosen can be turned by quarter turns, straightened by a few degrees and trimmed at its
// edges before it is sent; the copy then shows the page upright and without the desk around it.
// A page left as it was goes as it was (a JPEG is embedded in the copy untouched). Plain script,
// loaded on this page only: the islands' WebAssembly bundle stays as small as it is.
'use strict';
for (const input of document.querySelectorAll('input[type=file][data-scan-tools]')) {
  const words = JSON.parse(input.dataset.scanTools);
  const form = input.form;
  const list = document.createElement('ol');
  list.className = 'scan-tools';
  input.insertAdjacentElement('afterend', list);
  let pages = [];

  const slider = (label, min, max, step, onInput) => {
    const wrap = document.createElement('label');
    wrap.className = 'scan-slider';
    const text = document.createElement('span');
    const range = document.createElement('input');
    Object.assign(range, { type: 'range', min, max, step, value: 0 });
    const shown = () => { text.textContent = `${label}: ${range.value}`; };
    range.addEventListener('input', () => { shown(); onInput(Number(range.value)); });
    shown();
    wrap.append(text, range);
    return wrap;
  };

  const button = (label, onClick) => {
    const b = document.createElement('button');
    Object.assign(b, { type: 'button', className: 'secondary', textContent: label });
    b.addEventListener('click', onClick);
    return b;
  };

  // The page as it will be sent, on `canvas`, at `scale` of the photo's size.
  const draw = (page, canvas, scale) => {
    const { image, quarter, degrees, trim } = page;
    const angle = (quarter * 90 + degrees) * Math.PI / 180;
    const [w, h] = [image.naturalWidth * scale, image.naturalHeight * scale];
    const [cos, sin] = [Math.abs(Math.cos(angle)), Math.abs(Math.sin(angle))];
    const [turnedW, turnedH] = [w * cos + h * sin, w * sin + h * cos];
    const keep = {
      x: turnedW * trim.left / 100,
      y: turnedH * trim.top / 100,
      w: turnedW * (1 - (trim.left + trim.right) / 100),
      h: turnedH * (1 - (trim.top + trim.bottom) / 100),
    };
    canvas.width = Math.max(1, Math.round(keep.w));
    canvas.height = Math.max(1, Math.round(keep.h));
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.translate(turnedW / 2 - keep.x, turnedH / 2 - keep.y);
    context.rotate(angle);
    context.drawImage(image, -w / 2, -h / 2, w, h);
  };

  const edited = (page) => page.quarter % 4 !== 0 || page.degrees !== 0
    || Object.values(page.trim).some((margin) => margin > 0);

  const card = (page, index) => {
    const item = document.createElement('li');
    const title = document.createElement('p');
    title.textContent = `${words.page} ${index + 1}: ${page.file.name}`;
    const preview = document.createElement('canvas');
    preview.className = 'scan-preview';
    preview.setAttribute('role', 'img');
    preview.setAttribute('aria-label', title.textContent);
    const redraw = () => draw(page, preview, Math.min(1, 480 / Math.max(page.image.naturalWidth, page.image.naturalHeight)));
    const controls = document.createElement('div');
    controls.className = 'scan-controls';
    controls.append(
      button(words.left, () => { page.quarter += 3; redraw(); }),
      button(words.right, () => { page.quarter += 1; redraw(); }),
      slider(words.straighten, -10, 10, 0.5, (value) => { page.degrees = value; redraw(); }),
    );
    for (const [side, label] of [['top', words.top], ['bottom', words.bottom], ['left', words.left_edge], ['right', words.right_edge]]) {
      controls.append(slider(label, 0, 40, 1, (value) => { page.trim[side] = value; redraw(); }));
    }
    item.append(title, preview, controls);
    page.image.addEventListener('load', redraw, { once: true });
    if (page.image.complete) redraw();
    return item;
  };

  input.addEventListener('change', () => {
    for (const page of pages) URL.revokeObjectURL(page.image.src);
    pages = Array.from(input.files)
      .filter((file) => file.type === 'image/jpeg' || file.type === 'image/png')
      .map((file) => {
        const image = new Image();
        image.src = URL.createObjectURL(file);
        return { file, image, quarter: 0, degrees: 0, trim: { top: 0, bottom: 0, left: 0, right: 0 } };
      });
    list.replaceChildren(...pages.map(card));
  });

  let sending = false;
  form.addEventListener('submit', (event) => {
    if (sending || !pages.some(edited) || typeof DataTransfer === 'undefined') return;
    event.preventDefault();
    sending = true;
    prepared()
      .then((files) => { input.files = files; })
      // A page that cannot be redrawn goes as it was chosen: the clerk is never stuck here.
      .catch(() => {})
      .finally(() => form.submit());
  });

  // The page at full size as a JPEG. Encoded at once with `toDataURL`: `toBlob` (and an
  // OffscreenCanvas's `convertToBlob`) encode in the browser's idle time, which a tab that is
  // drawing nothing may not be given for seconds, and the clerk would wait for nothing.
  const redrawn = (page) => {
    const canvas = document.createElement('canvas');
    draw(page, canvas, 1);
    const base64 = canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
    if (!base64) throw new Error('the page could not be redrawn');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new Blob([bytes], { type: 'image/jpeg' });
  };

  // The chosen files, each edited page replaced by its redrawn JPEG, in the same order.
  const prepared = async () => {
    const files = new DataTransfer();
    for (const page of pages) {
      if (!edited(page)) {
        files.items.add(page.file);
        continue;
      }
      const blob = redrawn(page);
      const stem = page.file.name.replace(/\.[^.]*$/, '');
      files.items.add(new File([blob], `${stem}.jpg`, { type: 'image/jpeg' }));
    }
    return files.files;
  };
}
