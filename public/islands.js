// Loads the WebAssembly islands the first time someone touches, types in or chooses a file in
// a form that holds one, not when the page loads: the page is complete HTML and its forms work
// without them, and a phone on 3G should not spend its first seconds on a bundle that a reader
// who only looks at the page never uses (docs/performance.md). An island that starts after the
// citizen has already chosen a file or typed a word picks that up when it starts.
// The bundle's names are those cargo-leptos writes (Cargo.toml: output name "motcua", pkg dir).
// From the moment this script runs, `data-islands` on the page says the islands are coming (the
// style sheet hides the buttons an island replaces); it is taken away again, so those buttons
// come back, if the bundle cannot be loaded, lacks an island or takes longer than GIVE_UP_MS.
(() => {
  const GIVE_UP_MS = 20000;
  const page = document.documentElement;
  page.dataset.islands = "";
  const events = ["pointerdown", "touchstart", "focusin", "keydown", "change"];
  let started = false;
  let running = false;
  // A form sent the plain way before the islands ran: the page is on its way out, and an island
  // starting now would send the same files a second time.
  let sent = false;
  document.addEventListener("submit", () => { sent = true; }, true);

  // While the bundle loads, a file chosen is said to be on its way (the upload island's
  // progress line carries the words).
  function preparing(event) {
    if (running || event.type !== "change" || !(event.target instanceof HTMLInputElement)) return;
    if (event.target.type !== "file" || !event.target.files?.length) return;
    const line = event.target.form?.querySelector(".upload-progress[data-preparing]");
    if (!line) return;
    const words = document.createElement("p");
    words.textContent = line.dataset.preparing;
    line.replaceChildren(words);
  }

  function giveUp(why) {
    if (running) return;
    delete page.dataset.islands;
    for (const line of document.querySelectorAll(".upload-progress[data-preparing]")) line.replaceChildren();
    console.warn("the islands could not be loaded:", why);
  }

  function start(event) {
    const form = event.target instanceof Element ? event.target.closest("form") : null;
    if (started || !form || !form.querySelector("leptos-island")) return;
    started = true;
    for (const name of events) document.removeEventListener(name, start, true);
    document.addEventListener("change", preparing, true);
    preparing(event);
    const late = setTimeout(() => giveUp("too slow"), GIVE_UP_MS);
    // Both files at once: on 3G each round trip is seconds.
    const wasm = fetch("/pkg/motcua.wasm");
    wasm.catch(() => {});
    import("/pkg/motcua.js").then(async (bundle) => {
      await bundle.default({ module_or_path: wasm });
      if (sent) return;
      const islands = [...document.querySelectorAll("leptos-island")];
      const missing = islands.filter((island) => typeof bundle[island.dataset.component] !== "function");
      if (missing.length) throw new Error(`no ${missing.map((island) => island.dataset.component)} in the bundle`);
      clearTimeout(late);
      running = true;
      page.dataset.islands = "";
      bundle.hydrate();
      for (const island of islands) bundle[island.dataset.component](island);
    }).catch(giveUp);
  }

  for (const name of events) {
    document.addEventListener(name, start, { capture: true, passive: true });
  }
})();
