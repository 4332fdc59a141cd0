import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectNoAxeViolations, expectNoHorizontalScroll, fileApplication, openDossier, PASSWORD, serverCommand, signIn } from './helpers';

// A clerk certifies a two-page original at the counter; the citizen finds the copy on the status
// page with code and key, downloads it, scans the QR code printed in it (pdftoppm draws the page,
// zbarimg reads the code) and sees it verified, then checks the downloaded file on that page.

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../server/tests/fixtures/${name}`, import.meta.url)));

const CHECKS = [
  'Bản chính do cơ quan, tổ chức có thẩm quyền cấp hoặc chứng nhận',
  'Không bị tẩy xóa, sửa chữa, thêm, bớt nội dung',
  'Không bị hư hỏng, cũ nát đến mức không đọc được nội dung',
  'Không đóng dấu mật, không ghi “không được sao chụp”',
  'Nội dung không trái pháp luật, đạo đức xã hội',
  'Nếu là giấy tờ nước ngoài: đã hợp pháp hóa lãnh sự hoặc được miễn',
  'Ảnh chụp đủ mọi trang có thông tin, rõ, đúng thứ tự, đúng với bản chính',
];

/** The address in the QR code on the copy's last page. */
function scanQr(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-copy-'));
  writeFileSync(join(dir, 'copy.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', '150', '-f', '2', '-l', '2', '-png', join(dir, 'copy.pdf'), join(dir, 'page')]);
  const image = execFileSync('ls', [dir]).toString().split('\n').find((name) => name.endsWith('.png'));
  return execFileSync('zbarimg', ['--quiet', '--raw', join(dir, image ?? '')]).toString().trim();
}

test.describe('electronic certified copies', () => {
  test('a clerk certifies a two-page original; the citizen downloads it, scans its QR and sees it verified', async ({ page, browser }, info) => {
    test.setTimeout(90_000);
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const clerkName = `chungthuc.${suffix}`;
    serverCommand(['create-admin', clerkName, 'Trần Văn Cán'], `${PASSWORD}\n`);
    const clerk = await signIn(browser, clerkName);

    const started = Date.now();
    await clerk.getByRole('link', { name: 'Chứng thực bản sao điện tử' }).first().click();
    await clerk.getByLabel('Tên giấy tờ (bản chính)').fill('Bằng tốt nghiệp THPT');
    await clerk.getByLabel('Họ và tên người yêu cầu').fill('Nguyễn Thị Mẫu');
    await clerk.getByLabel('Số định danh cá nhân (CCCD) của người yêu cầu').fill('001208012345');
    await clerk.getByLabel('Số bản giấy in thêm').fill('1');
    await clerk.getByLabel('Ảnh chụp hoặc bản quét các trang của bản chính').setInputFiles([
      { name: 'trang-1.jpg', mimeType: 'image/jpeg', buffer: fixture('original-page-1.jpg') },
      { name: 'trang-2.jpg', mimeType: 'image/jpeg', buffer: fixture('original-page-2.jpg') },
    ]);
    for (const check of CHECKS) await clerk.getByLabel(check).check();
    await clerk.getByRole('button', { name: 'Chứng thực và ký số' }).click();
    const copySection = clerk.locator('section.certified-copy');
    await expect(copySection).toContainText(/Số \d+, quyển số 01\/\d{4}-SCT\/BS/);
    const seconds = (Date.now() - started) / 1000;
    console.log(`time to certify a two-page original at the counter (${info.project.name}): ${seconds.toFixed(2)} s`);
    await expect(copySection).toContainText('2 trang · 2 bản: 8.000 đồng');
    const [code, key] = await clerk.locator('.receipt-codes p.code').allTextContents();

    // The citizen, on their own phone, with the code and key of the receipt.
    await page.goto('/tra-cuu');
    await page.getByLabel('Mã hồ sơ').fill(code);
    await page.getByLabel('Khóa tra cứu').fill(key);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tình trạng hồ sơ');
    const download = page.getByRole('link', { name: 'Tải bản sao (PDF đã ký số)' });
    const answer = await page.request.get((await download.getAttribute('href')) ?? '');
    expect(answer.headers()['content-type']).toBe('application/pdf');
    const pdf = await answer.body();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    console.log(`signed two-page copy: ${pdf.length} bytes`);

    // The QR code printed under the copy's last page leads to its verification page.
    const scanned = scanQr(pdf);
    expect(scanned).toMatch(/\/xac-minh\/[0-9a-f]{20}$/);
    await page.goto(new URL(scanned).pathname);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kiểm tra bản sao chứng thực điện tử');
    await expect(page.getByText('Chữ ký số: Hợp lệ')).toBeVisible();
    const fingerprint = createHash('sha256').update(pdf).digest('hex');
    await expect(page.locator('dd code.fingerprint')).toHaveText(fingerprint);
    await expect(page.getByText('Bằng tốt nghiệp THPT')).toBeVisible();
    await expect(page.getByText('Nguyễn Thị Mẫu')).toHaveCount(0);
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);

    // The file the citizen got checks out there; one byte changed in it does not.
    await page.getByLabel('Tệp bản sao (PDF)').setInputFiles({ name: 'ban-sao.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await expect(page.getByText('Tệp này đúng từng byte với bản sao trong sổ chứng thực.')).toBeVisible();
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 3)] ^= 1;
    await page.getByLabel('Tệp bản sao (PDF)').setInputFiles({ name: 'ban-sao.pdf', mimeType: 'application/pdf', buffer: changed });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await expect(page.getByText(/Tệp này KHÁC bản sao/)).toBeVisible();
    await expect(page.getByText('Chữ ký số: Không hợp lệ: tệp đã bị sửa sau khi ký.')).toBeVisible();

    // Later, the citizen applies online and uses the copy instead of uploading a paper: the two
    // lines the verification page (and the copy, under its QR code) print.
    const reuse = page.locator('section', { has: page.getByRole('heading', { name: 'Dùng bản sao này' }) });
    const number = (await reuse.locator('dd strong').textContent()) ?? '';
    const verificationCode = (await reuse.locator('code.verification-code').textContent()) ?? '';
    expect(number).toMatch(/^\d+\/\d{4}$/);
    const { code: applied } = await fileApplication(page, {
      documents: async (steps) => {
        const paper = steps.locator('fieldset.document', { has: steps.locator('input[type=file]') }).first();
        const offer = paper.locator('details.reuse-copy');
        await offer.locator('summary').click();
        // A wrong code first: refused next to the field, what was typed kept.
        await offer.getByLabel('Số chứng thực').fill(number);
        await offer.getByLabel('Mã xác minh (20 chữ số và chữ cái)').fill('0000 0000 0000 0000 0000');
        await offer.getByRole('button', { name: 'Dùng bản sao này' }).click();
        await expect(steps.getByText('Không tìm thấy bản sao có số và mã xác minh này.').first()).toBeVisible();
        const again = steps.locator('fieldset.document', { has: steps.locator('input[type=file]') }).first().locator('details.reuse-copy');
        await expect(again.getByLabel('Số chứng thực')).toHaveValue(number);
        await again.getByLabel('Mã xác minh (20 chữ số và chữ cái)').fill(verificationCode.toUpperCase());
        await again.getByRole('button', { name: 'Dùng bản sao này' }).click();
        await expect(steps.locator('.file-name', { hasText: `Bản sao chứng thực số ${number.replace('/', '-')}` })).toBeVisible();
        await expect(steps.locator('.uploaded .tag', { hasText: 'Bản sao chứng thực điện tử' })).toBeVisible();
        await expectNoAxeViolations(steps);
        await expectNoHorizontalScroll(steps);
      },
    });

    // The clerk sees the copy in the new dossier, verified against the register.
    await openDossier(clerk, applied);
    await expect(clerk.locator('.linked-copy.verified')).toContainText('Đã xác minh: tệp đúng từng byte với bản trong sổ chứng thực');
    await expect(clerk.locator('.linked-copy')).toContainText('Nguyễn Thị Mẫu · 001208012345');
    await expect(clerk.locator('.linked-copy')).toContainText(/Số \d+, quyển số 01\/\d{4}-SCT\/BS/);

    // The copy turns out to have been certified against the rules: the leader annuls it, and
    // from then on the verification page and the dossier that reused it say so.
    await clerk.getByRole('link', { name: 'Chứng thực bản sao điện tử' }).first().click();
    const row = clerk.locator('table.register tr', { hasText: 'Bằng tốt nghiệp THPT' }).first();
    await row.locator('summary', { hasText: 'Hủy bản sao này' }).click();
    await row.getByLabel('Lý do hủy và số quyết định của Chủ tịch UBND xã').fill('Bản chính bị tẩy xóa; QĐ 12/QĐ-UBND');
    await row.getByRole('button', { name: 'Hủy bản sao' }).click();
    await expect(clerk.getByRole('status')).toContainText(`Đã hủy bản sao: Số ${number.split('/')[0]}, quyển số`);
    await page.goto(new URL(scanned).pathname);
    await expect(page.getByText('Bản sao này đã bị hủy')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Dùng bản sao này' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Danh sách bản sao đã bị hủy' }).click();
    const listed = page.locator('.annulled-copies li', { hasText: 'Bằng tốt nghiệp THPT' }).first();
    await expect(listed).toContainText('Bản chính bị tẩy xóa; QĐ 12/QĐ-UBND');
    await expect(page.getByText('Nguyễn Thị Mẫu')).toHaveCount(0);
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await openDossier(clerk, applied);
    await expect(clerk.locator('.linked-copy.not-verified')).toContainText('CHƯA xác minh được bản sao này');
  });

  test('with JavaScript, the clerk turns and trims the photos before certifying, and the copy shows them so', async ({ browser }, info) => {
    test.skip(info.project.use.javaScriptEnabled === false, 'the scan tools are JavaScript; without it the photos go as they are');
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const clerkName = `quetanh.${suffix}`;
    serverCommand(['create-admin', clerkName, 'Trần Văn Cán'], `${PASSWORD}\n`);
    const clerk = await signIn(browser, clerkName);
    await clerk.goto('/can-bo/chung-thuc');
    await clerk.getByLabel('Tên giấy tờ (bản chính)').fill('Học bạ trung học cơ sở');
    await clerk.getByLabel('Họ và tên người yêu cầu').fill('Lê Văn Quét');
    await clerk.getByLabel('Số định danh cá nhân (CCCD) của người yêu cầu').fill('001208054321');
    await clerk.getByLabel('Ảnh chụp hoặc bản quét các trang của bản chính').setInputFiles([
      { name: 'trang-1.jpg', mimeType: 'image/jpeg', buffer: fixture('original-page-1.jpg') },
      { name: 'trang-2.jpg', mimeType: 'image/jpeg', buffer: fixture('original-page-2.jpg') },
    ]);
    const pages = clerk.locator('ol.scan-tools > li');
    await expect(pages).toHaveCount(2);
    // The first photo was taken sideways; the second shows the desk above the paper.
    await pages.nth(0).getByRole('button', { name: 'Xoay phải ↻' }).click();
    await pages.nth(1).getByLabel(/Cắt bớt mép trên/).fill('20');
    await expectNoAxeViolations(clerk);
    await expectNoHorizontalScroll(clerk);
    for (const check of CHECKS) await clerk.getByLabel(check).check();
    await clerk.getByRole('button', { name: 'Chứng thực và ký số' }).click();
    await expect(clerk.locator('section.certified-copy')).toContainText(/Số \d+, quyển số/);
    const [code, key] = await clerk.locator('.receipt-codes p.code').allTextContents();
    const answer = await clerk.request.get(`/tra-cuu/ban-sao.pdf?ma=${encodeURIComponent(code)}&khoa=${encodeURIComponent(key)}`);
    expect(answer.headers()['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'motcua-scans-'));
    writeFileSync(join(dir, 'copy.pdf'), await answer.body());
    // pdfimages lists the pictures in the copy: page, number, type, width, height, …
    const sizes = execFileSync('pdfimages', ['-list', join(dir, 'copy.pdf')]).toString()
      .split('\n').slice(2).filter((line) => line.trim())
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns[2] === 'image')
      .map((columns) => [Number(columns[3]), Number(columns[4])]);
    // The fixtures are 827 × 1169: the first turned a quarter, the second a fifth shorter.
    expect(sizes[0]).toEqual([1169, 827]);
    expect(sizes[1]).toEqual([827, 935]);
  });
});
