import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectNoAxeViolations, expectNoHorizontalScroll } from './helpers';

// Following a dossier from the receipt's QR address: the timeline, a supplement sent from the
// phone, the rating. Until the staff back office exists, statuses are changed with the
// operator's command `server change-status` on the test server's database (serve.sh).

const PROCEDURE = '2.000635';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a photo of a paper')]);

function changeStatus(code: string, ...args: string[]) {
  const port = process.env.MOTCUA_E2E_PORT || '3100';
  const state = readFileSync(join(process.env.TMPDIR || tmpdir(), `motcua-e2e-${port}.env`), 'utf8');
  const databaseUrl = state.trim().replace(/^DATABASE_URL=/, '');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const server = resolve(root, process.env.MOTCUA_SERVER_BIN || 'target/release/server');
  execFileSync(server, ['change-status', code, ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, MOTCUA_DEMO_DATA: '', RUST_LOG: 'warn' },
  });
}

/** Files an application and returns the status page's address from the receipt's QR link. */
async function fileApplication(page: Page): Promise<{ code: string; statusPath: string }> {
  await page.goto(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen`);
  await page.getByRole('button', { name: 'Bắt đầu nộp hồ sơ' }).click();
  await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Thị Lan');
  await page.getByLabel('Số điện thoại di động').fill('0912345678');
  await page.getByLabel('Số căn cước (CCCD)').fill('001303004567');
  await page.getByLabel('Địa chỉ nơi ở').fill('Thôn Đông, xã Tân Lập');
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  const inputs = page.locator('fieldset.document:has(.badge.required) input[type=file]');
  for (let i = 0; i < (await inputs.count()); i++) {
    await inputs.nth(i).setInputFiles({ name: `giay-${i}.pdf`, mimeType: 'application/pdf', buffer: PDF });
  }
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  await page.getByLabel(/Tôi cam đoan/).check();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expect(page).toHaveURL(/\/giay-hen\?ma=/);
  const code = (await page.locator('.receipt-codes .code').first().textContent()) ?? '';
  const href = (await page.locator('.qr-link').getAttribute('href')) ?? '';
  const url = new URL(href);
  return { code, statusPath: url.pathname + url.search };
}

test.describe('track a dossier', () => {
  test('timeline, supplement from the phone, then a rating', async ({ page }) => {
    const { code, statusPath } = await fileApplication(page);
    await page.goto(statusPath);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tình trạng hồ sơ');
    await expect(page.locator('ol.timeline li')).toHaveCount(1);
    await expect(page.locator('ol.timeline')).toContainText('Mới đăng ký');
    await expect(page.getByText('09******78')).toBeVisible();
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);

    changeStatus(code, '2');
    changeStatus(code, '4');
    changeStatus(code, '5', '--documents', 'Bản sao Giấy khai sinh', '--deadline', '2031-12-31', '--note', 'Thiếu bản sao giấy khai sinh');
    await page.reload();
    await expect(page.locator('ol.timeline li')).toHaveCount(4);
    await expect(page.getByText('31/12/2031')).toBeVisible();
    await page.getByLabel('Bản sao Giấy khai sinh').setInputFiles({ name: 'khai-sinh.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await page.getByRole('button', { name: 'Gửi giấy tờ bổ sung' }).click();
    await expect(page.getByText(/Đã gửi bổ sung: Bản sao Giấy khai sinh \(1 tệp\)/)).toBeVisible();
    await expectNoAxeViolations(page);

    changeStatus(code, '4');
    changeStatus(code, '9', '--pickup', 'Quầy số 1, Trung tâm Phục vụ hành chính công xã');
    await page.reload();
    await expect(page.getByText('Quầy số 1, Trung tâm')).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Chưa hài lòng' }).click();
    await expect(page.getByText('Vui lòng cho biết vì sao bạn chưa hài lòng.')).toBeVisible();
    await page.getByLabel('Vì sao? (bắt buộc nếu chưa hài lòng)').fill('Phải chờ lâu');
    await page.getByRole('button', { name: 'Chưa hài lòng' }).click();
    await expect(page.getByText('Cảm ơn bạn đã đánh giá')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Rất hài lòng' })).toHaveCount(0);

    // A second rating is refused; the first one stands.
    const url = new URL(page.url());
    const again = await page.request.post('/tra-cuu/danh-gia', {
      form: { ma: url.searchParams.get('ma') ?? '', khoa: url.searchParams.get('khoa') ?? '', 'muc-do': '2' },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(409);
    await page.reload();
    await expect(page.getByText('Phải chờ lâu')).toBeVisible();
  });

  test('a wrong key reads like a wrong code', async ({ page }) => {
    const { code, statusPath } = await fileApplication(page);
    await page.goto(`/tra-cuu?ma=${encodeURIComponent(code)}&khoa=ZZZZ-ZZZZ`);
    await expect(page.getByText('Không tìm thấy hồ sơ với mã hồ sơ và khóa tra cứu này')).toBeVisible();
    await page.goto(statusPath.replace(/-\d{4}&/, '-9999&'));
    await expect(page.getByText('Không tìm thấy hồ sơ với mã hồ sơ và khóa tra cứu này')).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
