import { test, expect, Page } from '@playwright/test';
import {
  chooseFiles,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  openDossier,
  PASSWORD,
  serverCommand,
  signIn,
} from './helpers';

// The farmer's birth registration for a grandchild, from the home page to the receipt, through
// the e-form: no declaration to print, write or photograph; staff then read the filled form.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** Counts the page loads of the main frame and the taps (clicks, ticks, file picks) made. */
function counter(page: Page) {
  const counts = { loads: 0, taps: 0 };
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) counts.loads += 1;
  });
  return counts;
}

test.describe('e-form', () => {
  test('a grandparent registers a birth without uploading a declaration, and staff read it', async ({ page, browser }, info) => {
    test.setTimeout(90_000);
    const counts = counter(page);
    const tap = async (action: Promise<void>) => {
      counts.taps += 1;
      await action;
    };
    const born = new Date(Date.now() - 12 * 86_400_000);
    const bornIso = born.toISOString().slice(0, 10);

    await page.goto('/');
    await tap(page.getByRole('searchbox').first().fill('khai sinh'));
    await tap(page.getByRole('searchbox').first().press('Enter'));
    await tap(page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click());
    await tap(page.getByRole('link', { name: /Nộp hồ sơ trực tuyến/ }).first().click());
    await tap(page.getByRole('button', { name: 'Bắt đầu nộp hồ sơ' }).click());

    // Step 1: the case and the grandparent, who is the person asking.
    await tap(page.getByLabel(/Đăng ký khai sinh đúng hạn/).check());
    // "Bạn nộp cho ai?": for a grandchild. No proxy fields, no child's identity number asked.
    await expect(page.getByLabel('Họ và tên người nộp thay')).toBeHidden();
    await tap(page.getByLabel(/^Cho con hoặc cháu của tôi/).check());
    await expect(page.getByLabel('Họ và tên người nộp thay')).toBeHidden();
    await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Văn Bảy');
    await page.getByLabel('Số điện thoại di động').fill('0912345678');
    await page.getByLabel('Số căn cước (CCCD)').fill('001303004567');
    await page.getByLabel('Địa chỉ nơi ở').fill('Thôn Đông, xã Tân Lập');
    await tap(page.getByRole('button', { name: 'Lưu và tiếp tục' }).click());

    // Step 2: the declaration's questions, as the official form asks them.
    await expect(page).toHaveURL(/\/to-khai$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bước 2/4: Tờ khai');
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.getByLabel('Quan hệ với người được khai sinh').fill('Ông nội');
    await page.locator('#tre-ho-ten').fill('Nguyễn Minh Khôi');
    await page.locator('#tre-ngay-sinh').fill(bornIso);
    await tap(page.locator('#tre-gioi-tinh-nam').check());
    await page.locator('#tre-dan-toc').fill('Kinh');
    await page.locator('#tre-quoc-tich').fill('Việt Nam');
    await page.getByLabel('Nơi sinh').fill('Trạm y tế xã Tân Lập');
    await page.getByLabel('Quê quán').fill('xã Tân Lập, tỉnh Phú Thọ');
    await page.locator('#me-ho-ten').fill('Trần Thị Lan');
    await page.locator('#me-nam-sinh').fill('1998');
    await page.locator('#me-dan-toc').fill('Kinh');
    await page.locator('#me-quoc-tich').fill('Việt Nam');
    await page.locator('#me-noi-cu-tru').fill('Thôn Đông, xã Tân Lập');
    await tap(page.getByRole('button', { name: 'Lưu và tiếp tục' }).click());

    // Step 3: only the birth certificate to photograph; the declaration and the ID are done.
    await expect(page).toHaveURL(/\/giay-to$/);
    await expect(page.getByText('Đã khai ở bước Tờ khai: không cần tải lên.')).toBeVisible();
    await expect(page.getByText(/Không cần chụp: cán bộ tra cứu theo số căn cước/)).toBeVisible();
    const inputs = page.locator('fieldset.document:has(.badge.required) input[type=file]');
    await expect(inputs).toHaveCount(1);
    await tap(chooseFiles(page, inputs.first(), { name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: PDF }, { upload: false }));
    await tap(page.getByRole('button', { name: 'Lưu và tiếp tục' }).click());

    // Step 4: the answers once more, then submit.
    await expect(page).toHaveURL(/\/kiem-tra$/);
    await expect(page.getByText('Nguyễn Minh Khôi')).toBeVisible();
    await tap(page.getByLabel(/Tôi cam đoan/).check());
    await tap(page.getByRole('button', { name: 'Nộp hồ sơ' }).click());
    await expect(page).toHaveURL(/\/giay-hen\?ma=/);
    await expect(page.getByText('Tờ khai đăng ký khai sinh: khai trực tuyến')).toBeVisible();
    const code = (await page.locator('.receipt-codes .code').first().textContent()) ?? '';
    console.log(`[figures] ${info.project.name} farmer's birth registration, home page to receipt: ${counts.taps} taps, ${counts.loads} page loads`);

    // The citizen reads the declaration from the status page.
    await page.getByRole('link', { name: 'Xem tình trạng hồ sơ' }).click();
    await page.getByRole('link', { name: 'Xem tờ khai bạn đã khai' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('TỜ KHAI ĐĂNG KÝ KHAI SINH');
    await expect(page.getByText('Họ, chữ đệm, tên: Nguyễn Minh Khôi')).toBeVisible();
    await expectNoAxeViolations(page);

    // Staff open the filled declaration from the dossier.
    const clerkName = `tiepnhan.tokhai${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    serverCommand(['create-admin', clerkName, 'Lê Thị Thu'], `${PASSWORD}\n`);
    const clerk = await signIn(browser, clerkName);
    await clerk.setViewportSize({ width: 1280, height: 800 });
    await openDossier(clerk, code);
    await clerk.getByRole('link', { name: /Tờ khai đăng ký khai sinh \(Tờ khai điện tử\)/ }).click();
    await expect(clerk.getByText('Quan hệ với người được khai sinh: Ông nội')).toBeVisible();
    await expect(clerk.getByText(/^Bằng chữ: Ngày /)).toBeVisible();
    await expectNoAxeViolations(clerk);
  });
});
