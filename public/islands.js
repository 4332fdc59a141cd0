// Loads the WebAssembly islands the first time someone touches, types in or chooses a file in
// a form that holds one, not when the page loads: the page is complete HTML and its forms work
// without them, and a phone on 3G should not spend its first seconds on a bundle that a reader
// who only looks at the page never uses (docs/performance.md). An island that starts after the
// citizen has already chosen a file or typed a word picks that up when it starts.
// The bundle's names are those cargo-leptos writes (Cargo.toml: output name "motcua", pkg dir).
// While the bundle loads, `data-islands` on the page says it is coming (the style sheet hides the
// buttons an island replaces); it is taken away again if the bundle cannot be loaded.
(() => {
  const page = document.documentElement;
  page.dataset.islands = "";
  const events = ["pointerdown", "touchstart", "focusin", "keydown", "change"];
  let started = false;

  function start(event) {
    const form = event.target instanceof Element ? event.target.closest("form") : null;
    if (started || !form || !form.querySelector("leptos-island")) return;
    started = true;
    for (const name of events) document.removeEventListener(name, start, true);
    // Both files at once: on 3G each round trip is seconds.
    const wasm = fetch("/pkg/motcua.wasm");
    import("/pkg/motcua.js").then(async (bundle) => {
      await bundle.default({ module_or_path: wasm });
      bundle.hydrate();
      for (const island of document.querySelectorAll("leptos-island")) {
        const hydrate = bundle[island.dataset.component];
        if (hydrate) hydrate(island);
      }
    }).catch((error) => {
      delete page.dataset.islands;
      console.warn("the islands could not be loaded", error);
    });
  }

  for (const name of events) {
    document.addEventListener(name, start, { capture: true, passive: true });
  }
})();
