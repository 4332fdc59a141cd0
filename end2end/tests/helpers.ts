import { expect, test, type Browser, type FilePayload, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROCEDURE = '2.000635';

/** The day `days` after today in Vietnam, as typed in a date field and as the pages print it. */
export function daysFromToday(days: number): { iso: string; shown: string } {
  const vietnam = new Date(Date.now() + 7 * 3600 * 1000);
  const day = new Date(Date.UTC(vietnam.getUTCFullYear(), vietnam.getUTCMonth(), vietnam.getUTCDate() + days));
  const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  const two = (n: number) => String(n).padStart(2, '0');
  return { iso: `${y}-${two(m)}-${two(d)}`, shown: `${two(d)}/${two(m)}/${y}` };
}
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** A value serve.sh wrote about the test server (its database, its mail folder). */
function serverState(name: string): string {
  const port = process.env.MOTCUA_E2E_PORT || '3100';
  const state = readFileSync(join(process.env.TMPDIR || tmpdir(), `motcua-e2e-${port}.env`), 'utf8');
  const line = state.split('\n').find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`serve.sh wrote no ${name}`);
  return line.slice(name.length + 1).trim();
}

/** The test server's push service: the subscription it stands for, and what it received
 * (each message decrypted and its VAPID signature checked by Python's http_ece and cryptography). */
export function pushService(): { subscription: { endpoint: string; keys: { p256dh: string; auth: string } }; received: () => Promise<any[]> } {
  const url = serverState('PUSH_URL');
  return {
    subscription: JSON.parse(serverState('PUSH_SUBSCRIPTION')),
    received: async () => (await fetch(`${url}/received`)).json(),
  };
}

/** The messages the test server's SMTP server received, read by Python's email package. */
export function receivedMail(): { subject: string; to: string; text: string; html: string }[] {
  const reader = fileURLToPath(new URL('../../scripts/lib/read_mail.py', import.meta.url));
  return JSON.parse(execFileSync('python3', [reader, serverState('MAIL_DIR')]).toString());
}

/** Runs `server ARGS…` on the test server's database (serve.sh writes where it is). */
export function serverCommand(args: string[], input?: string): string {
  const databaseUrl = serverState('DATABASE_URL');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const server = resolve(root, process.env.MOTCUA_SERVER_BIN || 'target/release/server');
  return execFileSync(server, args, {
    cwd: root,
    input,
    env: { ...process.env, DATABASE_URL: databaseUrl, MOTCUA_DEMO_DATA: '', RUST_LOG: 'warn' },
  }).toString();
}

/**
 * Chooses files for one document of the documents step. With JavaScript they are sent at once
 * (the page comes back listing them); without it they go with the next button, and `upload`
 * presses "Tải lên" to send them now. Waits until the page lists the first file, unless
 * `listed` is false (a file the server refuses).
 */
export async function chooseFiles(
  page: Page,
  input: Locator,
  files: FilePayload | FilePayload[],
  options: { upload?: boolean; listed?: boolean } = {},
) {
  const jsOn = test.info().project.use.javaScriptEnabled !== false;
  // With JavaScript, choosing loads the upload island, which then sends what was chosen.
  await input.setInputFiles(files);
  if (!jsOn && options.upload === false) return;
  if (!jsOn) await page.getByRole('button', { name: 'Tải lên' }).click();
  if (options.listed === false) return;
  const first = Array.isArray(files) ? files[0] : files;
  await expect(page.locator('.file-name', { hasText: first.name }).first()).toBeVisible();
}

/**
 * Files an application and returns its code and the status page's address (the QR link); with
 * `email`, the citizen gives that address and asks to be told by email.
 */
export async function fileApplication(
  page: Page,
  options: { email?: string; push?: boolean; documents?: (page: Page) => Promise<void> } = {},
): Promise<{ code: string; statusPath: string }> {
  await page.goto(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen`);
  await page.getByRole('button', { name: 'Bắt đầu nộp hồ sơ' }).click();
  await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Thị Lan');
  await page.getByLabel('Số điện thoại di động').fill('0912345678');
  await page.getByLabel('Số căn cước (CCCD)').fill('001303004567');
  await page.getByLabel('Địa chỉ nơi ở').fill('Thôn Đông, xã Tân Lập');
  if (options.email) {
    await page.getByLabel('Thư điện tử (không bắt buộc)').fill(options.email);
    await page.getByLabel('Thư điện tử (email) ở trên').check();
  }
  if (options.push) {
    await page.getByLabel('Thông báo trên trình duyệt của điện thoại này').check();
  }
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  // Its declaration is an e-form (Tờ khai cấp bản sao trích lục hộ tịch).
  await expect(page).toHaveURL(/\/to-khai$/);
  await page.getByLabel('Quan hệ với người được cấp bản sao').fill('Bản thân');
  await page.locator('#loai-viec-khai-sinh').check();
  await page.locator('#ho-ten').fill('Nguyễn Thị Lan');
  await page.locator('#ngay-sinh').fill('1990-05-12');
  await page.getByLabel('Nơi đã đăng ký').fill('Ủy ban nhân dân xã Tân Lập');
  await page.getByLabel('Số lượng bản sao đề nghị cấp').fill('2');
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  // Nothing else is required: one paper is sent anyway, so that staff have a file to look at.
  await expect(page).toHaveURL(/\/giay-to$/);
  if (options.documents) await options.documents(page);
  else await chooseFiles(page, page.locator('input[type=file]').first(), { name: 'giay-uy-quyen.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  await page.getByLabel(/Tôi cam đoan/).check();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expect(page).toHaveURL(/\/giay-hen\?ma=/);
  const code = (await page.locator('.receipt-codes .code').first().textContent()) ?? '';
  const href = (await page.locator('.qr-link').getAttribute('href')) ?? '';
  const url = new URL(href);
  return { code, statusPath: url.pathname + url.search };
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core (default rules, WCAG 2.0/2.1 A and AA tags) on the current page and fails with a
 * readable list of violations: rule id, impact, help text, first offending element.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const jsOff = test.info().project.use.javaScriptEnabled === false;
  const results = jsOff ? await analyzeScriptlessPage(page) : await analyze(page);
  const lines = results.violations.map((v) => {
    const first = v.nodes[0];
    const target = first ? first.target.join(' ') : '(no node)';
    const more = v.nodes.length > 1 ? ` (+${v.nodes.length - 1} more)` : '';
    return `- ${v.id} [${v.impact ?? 'n/a'}]: ${v.help} — ${target}${more}`;
  });
  expect(
    lines,
    `axe found ${lines.length} violation(s) on ${page.url()}:\n${lines.join('\n')}`,
  ).toEqual([]);
}

function analyze(page: Page) {
  return new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
}

/**
 * axe-core cannot run in a page whose scripts are disabled (project "js-off"): Chromium still runs
 * Playwright's evaluations there, but never runs a promise reaction, a microtask or a timer, and
 * axe is asynchronous throughout, so `analyze()` hangs. Instead, the DOM that page built without
 * JavaScript is serialized and served, at the same URL, to a fresh page whose context allows
 * scripts (same viewport, device, locale and cookies) under `Content-Security-Policy:
 * script-src 'none'`, so no page script runs there either; stylesheets and images still load from
 * the server. `<noscript>` contents, which are live markup only when scripting is off, are kept
 * as markup (in a <span>) instead of becoming inert text. axe then audits that replica.
 */
async function analyzeScriptlessPage(page: Page) {
  const html = await page.evaluate(() => {
    const root = document.documentElement.cloneNode(true) as HTMLElement;
    for (const script of Array.from(root.querySelectorAll('script'))) script.remove();
    for (const ns of Array.from(root.querySelectorAll('noscript'))) {
      const span = document.createElement('span');
      span.setAttribute('data-e2e-noscript', '');
      for (const attr of Array.from(ns.attributes)) span.setAttribute(attr.name, attr.value);
      span.append(...Array.from(ns.childNodes));
      ns.replaceWith(span);
    }
    return (document.doctype ? '<!DOCTYPE html>' : '') + root.outerHTML;
  });
  const url = new URL(page.url());
  url.hash = '';
  const browser = page.context().browser();
  if (!browser) throw new Error('expectNoAxeViolations: no browser behind this page');
  const use = test.info().project.use;
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: page.viewportSize(),
    deviceScaleFactor: use.deviceScaleFactor,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    locale: use.locale,
    storageState: await page.context().storageState(),
  });
  try {
    const replica = await context.newPage();
    await replica.route(
      (u) => u.href === url.href,
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': "script-src 'none'" },
          body: html,
        }),
    );
    await replica.goto(url.href, { waitUntil: 'load' });
    return await analyze(replica);
  } finally {
    await context.close();
  }
}

/**
 * The page must not scroll sideways at the current viewport width.
 *
 * Not `scrollWidth <= window.innerWidth`: with mobile emulation (isMobile), Chromium widens
 * innerWidth to the content's width when the content overflows (a 900 px-wide block at 320 px
 * gives innerWidth 908), so that comparison can never fail. The layout viewport
 * (documentElement.clientWidth) and the configured viewport width stay at 320.
 */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    innerWidth: window.innerWidth,
  }));
  const viewportWidth = page.viewportSize()?.width ?? m.clientWidth;
  const limit = Math.min(m.clientWidth, viewportWidth);
  expect(
    m.scrollWidth,
    `horizontal scroll on ${page.url()}: scrollWidth ${m.scrollWidth} > ${limit} ` +
      `(viewport ${viewportWidth}, clientWidth ${m.clientWidth}, innerWidth ${m.innerWidth})`,
  ).toBeLessThanOrEqual(limit);
}

/** Path plus query of the current URL, e.g. "/thu-tuc?q=khai+sinh". */
export function pathAndQuery(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** The password of every staff account the tests make. */
export const PASSWORD = 'một câu mật khẩu dài';

/** A fresh browser context signed in as `username`. */
export async function signIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: test.info().project.use.javaScriptEnabled });
  const page = await context.newPage();
  await page.goto('/can-bo/dang-nhap');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/can-bo$/);
  return page;
}

export async function openDossier(page: Page, code: string) {
  await page.goto('/can-bo/ho-so');
  await page.getByLabel('Tìm theo mã hồ sơ hoặc tên người nộp').fill(code);
  await page.getByRole('button', { name: 'Tìm' }).click();
  await page.getByRole('link', { name: code }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
}

/**
 * Opens the folded form of an action, fills it and sends it; waits for "Đã ghi". The accept
 * form's intake checklist is ticked whole (intake-checklist.spec.ts leaves an item unticked).
 */
export async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void> = async () => {}) {
  const details = page.locator('details.action', { has: page.locator('summary', { hasText: action }) });
  // A refused form comes back open; clicking its summary would fold it.
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await tickChecklist(details);
  await fill(details);
  await details.getByRole('button', { name: action }).click();
  await expect(page.getByRole('status')).toContainText(`Đã ghi: ${action}`);
}

/** What the browser's print to PDF makes of the page: its pages and the first page's size. */
export async function printed(page: Page): Promise<{ pages: number; width: number; height: number }> {
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  const box = pdf.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  return { pages, width: Number(box?.[1]), height: Number(box?.[2]) };
}

export const A5 = { width: 419.5, height: 595.3 };
export const A4 = { width: 595.3, height: 841.9 };

export function expectSize(actual: { width: number; height: number }, expected: { width: number; height: number }) {
  expect(Math.abs(actual.width - expected.width)).toBeLessThan(2);
  expect(Math.abs(actual.height - expected.height)).toBeLessThan(2);
}

/** Ticks every item of an accept form's intake checklist. */
export async function tickChecklist(form: Locator) {
  for (const box of await form.locator('fieldset.checklist input[type=checkbox]').all()) await box.check();
}
