// Bytes over the wire on the documents step of online filing, as Chromium receives them
// (compressed, headers left out), JavaScript on, phone viewport:
//   1. first load: the page and what it loads by itself;
//   2. after choosing a small PDF: the upload island's bundle, which the first touch of the form
//      loads (public/islands.js), and the upload itself are added.
// The page_weight.py figure counts only the first; this prints both, so the bundle is never
// left out of the story. Prints figures; asserts nothing.
// Usage: node end2end/measure/island-bytes.mjs BASE_URL
import { chromium } from '../node_modules/playwright/index.mjs';
import { openDocumentsStep } from './documents-step.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
const page = await context.newPage();
await openDocumentsStep(page, base);
const documentsStep = page.url();

// A fresh context with an empty cache, so the documents step is a first load.
await context.close();
const fresh = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
const reader = await fresh.newPage();
const cdp = await fresh.newCDPSession(reader);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
const received = new Map();
cdp.on('Network.responseReceived', (event) => received.set(event.requestId, { url: event.response.url, bytes: 0 }));
cdp.on('Network.loadingFinished', (event) => {
  const entry = received.get(event.requestId);
  if (entry) entry.bytes = event.encodedDataLength;
});
const total = () => [...received.values()].reduce((sum, entry) => sum + entry.bytes, 0);
const list = () => [...received.values()].map((e) => `${new URL(e.url).pathname.replace(/\/ho-so-nhap\/[^/]+/, '/ho-so-nhap/…')} ${e.bytes}`).join(' + ');

await reader.goto(documentsStep, { waitUntil: 'networkidle' });
console.log(`first load: ${total()} bytes (${list()})`);
const before = new Set(received.keys());
await reader.locator('input[type=file]').first().setInputFiles({ name: 'giay.pdf', mimeType: 'application/pdf', buffer: PDF });
await reader.locator('.file-name', { hasText: 'giay.pdf' }).first().waitFor();
await reader.waitForLoadState('networkidle');
const bundle = (url) => /\/pkg\/[^/]+\.(js|wasm)$/.test(new URL(url).pathname);
const island = [...received.entries()].filter(([id, e]) => !before.has(id) && bundle(e.url));
const islandBytes = island.reduce((sum, [, e]) => sum + e.bytes, 0);
console.log(`the upload island, loaded when the file was chosen: ${islandBytes} bytes (${island.map(([, e]) => `${new URL(e.url).pathname} ${e.bytes}`).join(' + ')})`);
const firstLoad = [...received.entries()].filter(([id]) => before.has(id)).reduce((sum, [, e]) => sum + e.bytes, 0);
console.log(`first load and island together: ${firstLoad + islandBytes} bytes`);
await browser.close();
