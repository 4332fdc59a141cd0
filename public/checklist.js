// The procedure page's document checklists (app/src/pages/catalogue/checklist.rs): counts the
// ticks and keeps them on this phone, per procedure and case. Plain script, not an island: the
// page stays HTML plus this file instead of the WebAssembly bundle (docs/performance.md).
'use strict';
for (const list of document.querySelectorAll('[data-checklist]')) {
  const key = list.dataset.checklist;
  const boxes = Array.from(list.querySelectorAll('input[type=checkbox]'));
  const done = list.querySelector('.checklist-done');
  const count = () => { done.textContent = boxes.filter((box) => box.checked).length; };
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(key));
  } catch (_) {
    // Storage switched off or an old value: nothing is remembered, the ticks still count.
  }
  if (Array.isArray(saved) && saved.length === boxes.length) {
    boxes.forEach((box, index) => { box.checked = saved[index] === true; });
  }
  list.addEventListener('change', () => {
    count();
    try {
      localStorage.setItem(key, JSON.stringify(boxes.map((box) => box.checked)));
    } catch (_) {
      // A full or disabled storage only means the ticks are not remembered.
    }
  });
  count();
  for (const hidden of list.querySelectorAll('[hidden]')) hidden.hidden = false;
}
