import { test, expect, chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoAxeViolations, fileApplication, PASSWORD, serverCommand } from './helpers';

// A citizen shows the receipt at the counter; the clerk holds its QR code to the counter's camera
// and the queue opens on the dossier. Chromium's fake camera plays a picture of that very code,
// drawn from the receipt page's own QR (its SVG squares), so the island reads a real frame.

/** The dark modules of the receipt's QR code, from its SVG (4 units a module, 16 of margin). */
function qrModules(svg: string): { size: number; dark: Array<[number, number]> } {
  const viewBox = svg.match(/viewBox="0 0 (\d+) (\d+)"/);
  const width = Number(viewBox?.[1] ?? 0);
  const dark: Array<[number, number]> = [];
  for (const m of svg.matchAll(/M(\d+) (\d+)h4v4/g)) {
    dark.push([(Number(m[1]) - 16) / 4, (Number(m[2]) - 16) / 4]);
  }
  return { size: (width - 32) / 4, dark };
}

/** A one-frame Y4M video (640×480, 4:2:0) of the code, black on white with a quiet zone. */
function y4m(code: { size: number; dark: Array<[number, number]> }): Buffer {
  const [w, h] = [640, 480];
  const module = Math.floor(400 / (code.size + 8));
  const left = Math.floor((w - code.size * module) / 2);
  const top = Math.floor((h - code.size * module) / 2);
  const luma = Buffer.alloc(w * h, 235);
  for (const [mx, my] of code.dark) {
    for (let y = 0; y < module; y++) {
      luma.fill(16, (top + my * module + y) * w + left + mx * module, (top + my * module + y) * w + left + (mx + 1) * module);
    }
  }
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F5:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma]);
}

test('a clerk finds a dossier by showing its receipt to the camera', async ({ page }, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, 'the camera needs the island; without JavaScript a USB scanner types the address (todo.spec)');
  const { code } = await fileApplication(page);
  const svg = await page.locator('.qr-code').innerHTML();
  const video = join(tmpdir(), `motcua-qr-${Date.now()}.y4m`);
  writeFileSync(video, y4m(qrModules(svg)));

  const admin = `quantri.camera${Date.now() % 100000}`;
  serverCommand(['create-admin', admin, 'Lãnh đạo'], `${PASSWORD}\n`);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    const context = await browser.newContext({ baseURL: info.project.use.baseURL, viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const clerk = await context.newPage();
    await clerk.goto('/can-bo/dang-nhap');
    await clerk.getByLabel('Tên đăng nhập').fill(admin);
    await clerk.getByLabel('Mật khẩu').fill(PASSWORD);
    await clerk.getByRole('button', { name: 'Đăng nhập' }).click();
    await clerk.goto('/can-bo/ho-so');
    const scan = clerk.getByRole('button', { name: 'Quét mã QR trên giấy hẹn bằng camera' });
    await expect(scan).toBeVisible();
    await expectNoAxeViolations(clerk);
    await scan.click();
    // The queue searches what the camera read: found by the code, and the lookup key never
    // stays in the address.
    await expect(clerk).toHaveURL(/[?&]q=/, { timeout: 15_000 });
    expect(decodeURIComponent(clerk.url())).toContain(code);
    expect(clerk.url()).not.toContain('khoa');
    await expect(clerk.locator('table.queue-table').getByRole('link', { name: code })).toBeVisible();
  } finally {
    await browser.close();
  }
});
