// Time to upload a 3 MB phone photo on "Slow 3G" (Chrome DevTools' preset: 2 s round trip,
// 400 kbit/s each way), from choosing the photo (JavaScript on: sent at once) or pressing
// "Tải lên" (off) to the documents page listing the file:
// with JavaScript on (the island shrinks the photo first) and off (the photo goes as it is).
// Prints figures; asserts nothing. Usage: node end2end/measure/upload-slow3g.mjs BASE_URL
import { chromium } from '../node_modules/playwright/index.mjs';
import { openDocumentsStep } from './documents-step.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

async function photo() {
  const page = await browser.newPage();
  // Camera-like noise does not compress much.
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 3000;
    canvas.height = 4000;
    const context = canvas.getContext('2d');
    const image = context.createImageData(3000, 4000);
    let seed = 12345;
    for (let i = 0; i < image.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const v = 96 + (seed % 64);
      image.data[i] = v;
      image.data[i + 1] = v;
      image.data[i + 2] = v;
      image.data[i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
    // The lowest JPEG quality that still gives at least 3 MB, like a phone camera's file.
    let blob;
    for (let quality = 0.7; quality <= 1.0; quality += 0.05) {
      blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
      if (blob.size >= 3 * 1024 * 1024) break;
    }
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  });
  await page.close();
  return Buffer.from(base64, 'base64');
}

async function uploadOnce(buffer, javaScriptEnabled) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  // A plain form post on Slow 3G takes minutes: wait as long as it takes.
  page.setDefaultTimeout(300_000);
  await openDocumentsStep(page, base);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  // With JavaScript, choosing the file loads the upload island (its WebAssembly comes over the
  // same slow network, inside the time measured), which shrinks and sends it; without,
  // "Tải lên" sends it.
  const started = Date.now();
  await page.locator('input[type=file]').first().setInputFiles({ name: 'cccd.jpg', mimeType: 'image/jpeg', buffer });
  if (!javaScriptEnabled) await page.getByRole('button', { name: 'Tải lên' }).click();
  const listed = page.locator('ul.uploaded li').first();
  await listed.waitFor({ timeout: 300_000 });
  const seconds = (Date.now() - started) / 1000;
  const stored = (await listed.locator('.hint').textContent()).trim();
  await context.close();
  return { seconds, stored };
}

const buffer = await photo();
console.log(`photo: ${(buffer.length / 1024 / 1024).toFixed(2)} MB, 3000×4000 px; network: Slow 3G (2 s RTT, 400 kbit/s up and down)`);
for (const [label, js] of [['JavaScript on (shrunk in the browser)', true], ['JavaScript off (sent as taken)', false]]) {
  const { seconds, stored } = await uploadOnce(buffer, js);
  console.log(`${label}: ${seconds.toFixed(1)} s until the page lists the file; stored ${stored}`);
}
await browser.close();
