import { test, expect } from '@playwright/test';
import {
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  daysFromToday,
  fileApplication,
  serverCommand,
} from './helpers';

// A deadline a month ahead: the form refuses one that is not after today.
const deadline = daysFromToday(30);

// Following a dossier from the receipt's QR address: the timeline, a supplement sent from the
// phone, the rating. Statuses are changed with the operator's command `server change-status`
// on the test server's database (serve.sh); back-office.spec.ts does the same through the
// staff pages.

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a photo of a paper')]);

function changeStatus(code: string, ...args: string[]) {
  serverCommand(['change-status', code, ...args]);
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
    changeStatus(code, '5', '--documents', 'Bản sao Giấy khai sinh', '--deadline', deadline.iso, '--note', 'Thiếu bản sao giấy khai sinh');
    await page.reload();
    await expect(page.locator('ol.timeline li')).toHaveCount(4);
    await expect(page.getByText(deadline.shown)).toBeVisible();
    // "Việc bạn cần làm" opens with the officer's note and what to send; its button opens the
    // page that sends them (the only one with the upload island): a slot per paper, one for others.
    const todo = page.locator('section.todo');
    await expect(todo.locator('.officer-note')).toHaveText('Cán bộ ghi: Thiếu bản sao giấy khai sinh');
    await expect(page.locator('.summary div', { hasText: 'Dự kiến có kết quả' }).locator('dd')).toHaveText('Tạm dừng – chờ bạn bổ sung giấy tờ');
    await todo.getByRole('link', { name: 'Gửi giấy tờ bổ sung' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gửi giấy tờ bổ sung');
    await expect(page.locator('.officer-note')).toHaveText('Cán bộ ghi: Thiếu bản sao giấy khai sinh');
    await expect(page.getByLabel('Giấy tờ khác cán bộ yêu cầu (nếu có)')).toBeVisible();
    await expectNoHorizontalScroll(page);
    await page.setViewportSize({ width: 320, height: 740 });
    await expectNoHorizontalScroll(page);
    await page.setViewportSize({ width: 360, height: 740 });
    await expectNoAxeViolations(page);
    await page.getByLabel('Bản sao Giấy khai sinh').setInputFiles({ name: 'khai-sinh.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await page.getByRole('button', { name: 'Gửi giấy tờ bổ sung' }).click();
    // Sent: back on the status page, which says so and stops asking (more papers stay one tap away).
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tình trạng hồ sơ');
    await expect(todo.getByRole('status')).toContainText('Đã gửi bổ sung – chờ cán bộ xem');
    await expect(todo.getByRole('status')).toContainText('Bản sao Giấy khai sinh (1 tệp)');
    await expect(todo.getByRole('link', { name: 'Gửi giấy tờ bổ sung' })).toHaveCount(0);
    await expect(todo.getByText('Bạn cần gửi thêm các giấy tờ dưới đây')).toHaveCount(0);
    await todo.getByRole('link', { name: 'Gửi thêm giấy tờ' }).click();
    await page.getByLabel('Giấy tờ khác cán bộ yêu cầu (nếu có)').setInputFiles({ name: 'khac.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await page.getByRole('button', { name: 'Gửi giấy tờ bổ sung' }).click();
    await expect(todo.getByRole('status')).toContainText('Giấy tờ khác cán bộ yêu cầu (1 tệp)');
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

  test('the code typed without dots, in lower case, finds the dossier; a code that cannot be one is named', async ({ page }) => {
    const { code, statusPath } = await fileApplication(page);
    const key = new URL(statusPath, 'http://x').searchParams.get('khoa') ?? '';
    await page.goto('/tra-cuu');
    await page.getByLabel('Mã hồ sơ').fill(code.replace(/[.-]/g, '').toLowerCase());
    await page.getByLabel('Khóa tra cứu').fill(key.replace('-', ' ').toLowerCase());
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tình trạng hồ sơ');
    await expect(page.locator('p.code.big')).toHaveText(code);

    await page.goto('/tra-cuu');
    await page.getByLabel('Mã hồ sơ').fill('12345');
    await page.getByLabel('Khóa tra cứu').fill(key);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await expect(page.getByText('Mã hồ sơ chưa đúng dạng')).toBeVisible();
    await expect(page.getByText('Khóa tra cứu chưa đúng dạng')).toHaveCount(0);
    await expect(page.getByLabel('Mã hồ sơ')).toHaveAttribute('aria-invalid', 'true');
    await expectNoAxeViolations(page);
  });
});
