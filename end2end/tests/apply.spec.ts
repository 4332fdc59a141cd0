import { test, expect, type Page, type Route } from '@playwright/test';
import { chooseFiles, expectNoAxeViolations, expectNoHorizontalScroll } from './helpers';

// Online filing without an account, on a phone, with JavaScript on (the upload island sends the
// files and shrinks large photos) and off (plain multipart forms with post/redirect/get).

/** Fully online, one case, several documents (demo data). */
const PROCEDURE = '1.004884';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a photo of a paper')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'binary');

async function startApplication(page: Page): Promise<string> {
  await page.goto(`/thu-tuc/${PROCEDURE}`);
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await expect(page).toHaveURL(new RegExp(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen$`));
  await page.getByRole('button', { name: 'Bắt đầu nộp hồ sơ' }).click();
  await expect(page).toHaveURL(/\/ho-so-nhap\/[0-9A-Z]{16}\/nguoi-nop$/);
  const code = (await page.locator('.resume-box .code').textContent()) ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  return code;
}

async function fillApplicant(page: Page, phone = '0912 345 678') {
  await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Thị Lan');
  await page.getByLabel('Số điện thoại di động').fill(phone);
  await page.getByLabel('Số căn cước (CCCD)').fill('001303004567');
  await page.getByLabel('Địa chỉ nơi ở').fill('Thôn Đông, xã Tân Lập');
}

/** File inputs of the documents a citizen must upload. */
function requiredInputs(page: Page) {
  return page.locator('fieldset.document:has(.badge.required) input[type=file]');
}

test.describe('apply online', () => {
  test('apply with two files and get a receipt with code, appointment date and QR', async ({ page }) => {
    await startApplication(page);
    await expectNoAxeViolations(page);
    await fillApplicant(page);
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page).toHaveURL(/\/giay-to$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bước 2/3: Giấy tờ');
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);

    const inputs = requiredInputs(page);
    const count = await inputs.count();
    expect(count).toBeGreaterThan(0);
    // With JavaScript each choice is sent at once; without, they all go with the one button.
    await chooseFiles(page, inputs.first(), [
      { name: 'mat-truoc.jpg', mimeType: 'image/jpeg', buffer: JPEG },
      { name: 'mat-sau.pdf', mimeType: 'application/pdf', buffer: PDF },
    ], { upload: false });
    for (let i = 1; i < count; i++) {
      await chooseFiles(page, inputs.nth(i), { name: `giay-${i}.pdf`, mimeType: 'application/pdf', buffer: PDF }, { upload: false });
    }
    await expect(page.getByRole('button', { name: 'Lưu và tiếp tục' })).toHaveClass(/primary/);
    // With JavaScript it is the only button; the files listed fit a 320 px screen.
    if (test.info().project.use.javaScriptEnabled !== false) {
      await expect(page.getByRole('button', { name: 'Tải lên' })).toBeHidden();
      await page.setViewportSize({ width: 320, height: 740 });
      await expectNoHorizontalScroll(page);
      await expectNoAxeViolations(page);
      await page.setViewportSize({ width: 360, height: 740 });
    }
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page).toHaveURL(/\/kiem-tra$/);
    // The check page names each file, with a small picture of each photo.
    await expect(page.getByText('2 tệp')).toBeVisible();
    await expect(page.locator('.uploaded .file-name', { hasText: 'mat-truoc.jpg' })).toBeVisible();
    await expect(page.locator('.uploaded .file-name', { hasText: 'mat-sau.pdf' })).toBeVisible();
    await expect(page.getByText('Nguyễn Thị Lan')).toBeVisible();
    await expectNoAxeViolations(page);

    await page.getByLabel(/Tôi cam đoan/).check();
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await expect(page).toHaveURL(/\/giay-hen\?ma=/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    await expect(page.locator('.receipt-codes .code').first()).toHaveText(/^000\.00\.00\.H00-\d{6}-\d{4}$/);
    await expect(page.locator('.receipt-codes .code').nth(1)).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // The appointment has an hour and a date (Mẫu 01).
    const appointment = page.locator('.summary div', { hasText: 'Hẹn trả kết quả' }).locator('dd');
    await expect(appointment).toHaveText(/^\d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}$/);
    await expect(page.locator('.qr-code svg')).toBeVisible();
    await expect(page.locator('.qr-link')).toHaveAttribute('href', /\/tra-cuu\?ma=.+&khoa=/);
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);

    // The QR code's address opens the dossier's status page, and so does the big button above
    // the fold.
    const href = (await page.locator('.qr-link').getAttribute('href')) ?? '';
    const receiptPath = new URL(page.url()).pathname + new URL(page.url()).search;
    await page.goto(new URL(href).pathname + new URL(href).search);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tình trạng hồ sơ');
    await page.goto(receiptPath);
    const button = page.getByRole('link', { name: 'Xem tình trạng hồ sơ' });
    const box = await button.boundingBox();
    expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThan(740);
    await button.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tình trạng hồ sơ');
    await expect(page.locator('.summary div', { hasText: 'Dự kiến có kết quả' }).locator('dd')).toHaveText(/^\d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}$/);
  });

  test('a draft survives a reload and reopens from its resume code', async ({ page }) => {
    const code = await startApplication(page);
    await fillApplicant(page);
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page).toHaveURL(/\/giay-to$/);
    await chooseFiles(page, requiredInputs(page).first(), { name: 'cccd.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await page.reload();
    await expect(page.locator('.file-name', { hasText: 'cccd.jpg' })).toBeVisible();

    // Another day, another device: type the code from paper.
    await page.context().clearCookies();
    await page.goto('/tiep-tuc');
    await page.getByLabel('Mã tiếp tục').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Làm tiếp' }).click();
    await expect(page).toHaveURL(/\/nguoi-nop$/);
    await expect(page.getByLabel('Họ và tên', { exact: true })).toHaveValue('Nguyễn Thị Lan');
    await expect(page.getByLabel('Số điện thoại di động')).toHaveValue('0912345678');
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page.locator('.file-name', { hasText: 'cccd.jpg' })).toBeVisible();
  });

  test('bad input shows its error next to the field and keeps the rest', async ({ page }) => {
    await startApplication(page);
    await fillApplicant(page, '0123');
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page.locator('.error-summary')).toContainText('Số di động chưa đúng');
    await expect(page.locator('#dien-thoai-loi')).toBeVisible();
    await expect(page.getByLabel('Họ và tên', { exact: true })).toHaveValue('Nguyễn Thị Lan');
    await expect(page.getByLabel('Số điện thoại di động')).toHaveValue('0123');
    await expectNoAxeViolations(page);
    await page.getByLabel('Số điện thoại di động').fill('0912 345 678');
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page).toHaveURL(/\/giay-to$/);

    // A good file first, then a program named like a photo: refused by its content.
    const inputs = requiredInputs(page);
    await chooseFiles(page, inputs.first(), { name: 'tot.pdf', mimeType: 'application/pdf', buffer: PDF });
    await chooseFiles(page, inputs.nth(1), { name: 'anh.jpg', mimeType: 'image/jpeg', buffer: EXE }, { listed: false });
    await expect(page.getByText('Tệp này không phải ảnh JPG, PNG hay tệp PDF').first()).toBeVisible();
    await expect(page.locator('.file-name', { hasText: 'tot.pdf' })).toBeVisible();
    await page.reload();
    await expect(page.locator('.file-name', { hasText: 'tot.pdf' })).toBeVisible();
    await expect(page.locator('.file-name', { hasText: 'anh.jpg' })).toHaveCount(0);

    // A good file and a bad one sent together (without JavaScript; with it each choice goes
    // alone): the good one is kept, the bad one named.
    await chooseFiles(page, inputs.first(), { name: 'cung-luc.pdf', mimeType: 'application/pdf', buffer: PDF }, { upload: false, listed: test.info().project.use.javaScriptEnabled !== false });
    await chooseFiles(page, inputs.nth(1), { name: 'hong.jpg', mimeType: 'image/jpeg', buffer: EXE }, { listed: false });
    await expect(page.getByText('Tệp này không phải ảnh JPG, PNG hay tệp PDF').first()).toBeVisible();
    await page.reload();
    await expect(page.locator('.file-name', { hasText: 'cung-luc.pdf' })).toBeVisible();
    await expect(page.locator('.file-name', { hasText: 'hong.jpg' })).toHaveCount(0);
  });

  test('the upload island is fetched when a file is chosen, not with the page; if it cannot be, the plain form still sends', async ({ page }, testInfo) => {
    const jsOn = testInfo.project.use.javaScriptEnabled !== false;
    const bundle: string[] = [];
    page.on('request', (request) => {
      if (/\/pkg\/motcua\.(js|wasm)$/.test(request.url())) bundle.push(request.url());
    });
    await startApplication(page);
    await fillApplicant(page);
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page).toHaveURL(/\/giay-to$/);
    await page.waitForLoadState('networkidle');
    // Reading the page costs no WebAssembly, with JavaScript or without.
    expect(bundle).toEqual([]);
    if (!jsOn) {
      await chooseFiles(page, requiredInputs(page).first(), { name: 'khong-js.pdf', mimeType: 'application/pdf', buffer: PDF });
      expect(bundle).toEqual([]);
      return;
    }
    // With JavaScript the "Tải lên" button waits hidden: a chosen file is sent at once.
    await expect(page.getByRole('button', { name: 'Tải lên' })).toBeHidden();
    await chooseFiles(page, requiredInputs(page).first(), { name: 'mot.pdf', mimeType: 'application/pdf', buffer: PDF });
    expect(bundle.some((url) => url.endsWith('.wasm'))).toBe(true);

    // A slow network: while the bundle comes, the choice is said to be on its way.
    const slowBundle = async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    };
    await page.route(/\/pkg\/motcua\.wasm$/, slowBundle);
    await page.reload();
    await requiredInputs(page).nth(1).setInputFiles({ name: 'cham.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect(page.getByText('Đang chuẩn bị gửi tệp đã chọn…')).toBeVisible();
    await expect(page.locator('.file-name', { hasText: 'cham.pdf' })).toBeVisible();

    // Every other paper, then one more file chosen and "Lưu và tiếp tục" pressed before the
    // bundle has come: the form goes the plain way, and the island, arriving meanwhile, does
    // not send the file a second time nor bring the citizen back.
    const count = await requiredInputs(page).count();
    for (let i = 2; i < count; i++) {
      await chooseFiles(page, requiredInputs(page).nth(i), { name: `giay-${i}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    }
    await page.reload();
    // The plain post is slower still, so the bundle arrives while it is on its way.
    const slowPost = async (route: Route) => {
      if (route.request().isNavigationRequest() && route.request().method() === 'POST') {
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
      await route.continue();
    };
    await page.route(/\/giay-to$/, slowPost);
    await requiredInputs(page).first().setInputFiles({ name: 'vua-chon.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page).toHaveURL(/\/kiem-tra$/, { timeout: 10_000 });
    await expect(page.locator('.uploaded .file-name', { hasText: 'vua-chon.pdf' })).toHaveCount(1);
    await page.unroute(/\/giay-to$/, slowPost);
    await page.unroute(/\/pkg\/motcua\.wasm$/, slowBundle);

    // A network that drops the bundle: the button comes back and sends the file as a form would.
    await page.goBack();
    await expect(page).toHaveURL(/\/giay-to$/);
    await page.route(/\/pkg\/motcua\.(js|wasm)$/, (route) => route.abort());
    await page.reload();
    await requiredInputs(page).nth(1).setInputFiles({ name: 'hai.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect(page.getByRole('button', { name: 'Tải lên' })).toBeVisible();
    await expect(page.getByText('Đang chuẩn bị gửi tệp đã chọn…')).toBeHidden();
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await expect(page.locator('.file-name', { hasText: 'hai.pdf' })).toBeVisible();
    await expect(page.locator('.file-name', { hasText: 'mot.pdf' })).toBeVisible();
  });

  test('large photos are made smaller in the browser before upload (JavaScript on)', async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, 'needs the upload island');
    await startApplication(page);
    await fillApplicant(page);
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await expect(page).toHaveURL(/\/giay-to$/);
    // A 3000×4000 camera-like photo of random noise (does not compress): several megabytes.
    const photo = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 3000;
      canvas.height = 4000;
      const context = canvas.getContext('2d')!;
      const image = context.createImageData(3000, 4000);
      for (let i = 0; i < image.data.length; i += 4) {
        const v = (i * 2654435761) % 251;
        image.data[i] = v;
        image.data[i + 1] = (v * 7) % 256;
        image.data[i + 2] = (v * 13) % 256;
        image.data[i + 3] = 255;
      }
      context.putImageData(image, 0, 0);
      const blob: Blob = await new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.95));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
      return btoa(binary);
    });
    const original = Buffer.from(photo, 'base64');
    expect(original.length).toBeGreaterThan(2_000_000);
    await chooseFiles(page, requiredInputs(page).first(), { name: 'cccd.jpg', mimeType: 'image/jpeg', buffer: original });
    // Sent at once, and listed with a small picture made in the browser.
    await expect(page.locator('ul.uploaded li img.thumb').first()).toBeVisible();
    const listed = page.locator('ul.uploaded li').first();
    await expect(listed).toContainText('cccd.jpg');
    const size = (await listed.locator('.hint').textContent()) ?? '';
    const kilobytes = size.endsWith('MB') ? parseFloat(size.replace(',', '.')) * 1024 : parseInt(size, 10);
    expect(kilobytes).toBeLessThan(original.length / 1024 / 2);
  });
});
