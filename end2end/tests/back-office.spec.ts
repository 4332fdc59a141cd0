import { test, expect } from '@playwright/test';
import {
  A5,
  act,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  expectSize,
  daysFromToday,
  fileApplication,
  openDossier,
  PASSWORD,
  printed,
  PROCEDURE,
  serverCommand,
  signIn,
} from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

// A deadline a month ahead: the form refuses one that is not after today.
const deadline = daysFromToday(30);

// The whole life of a dossier through the staff pages: the admin (made on the command line)
// adds a clerk and a specialist; a citizen files online; the clerk accepts; the specialist asks
// for a document; the citizen sends it from the status page; the specialist marks the result
// ready; the clerk hands it over; the citizen rates. Then a walk-in at the counter.

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a photo of a paper')]);

test.describe('back office', () => {
  test('a dossier from filing to rating, through the staff pages', async ({ page, browser }, info) => {
    test.setTimeout(120_000); // four people, about forty page loads
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const admin = `quantri.${suffix}`;
    serverCommand(['create-admin', admin, 'Lãnh đạo Trung tâm'], `${PASSWORD}\n`);

    // The admin adds a clerk and a specialist.
    const boss = await signIn(browser, admin);
    await boss.getByRole('link', { name: 'Quản trị' }).first().click();
    for (const [username, name, role] of [
      [`tiepnhan.${suffix}`, 'Nguyễn Thị Lan', 'Tiếp nhận'],
      [`xuly.${suffix}`, 'Trần Văn Bình', 'Xử lý'],
    ]) {
      await boss.getByLabel('Tên đăng nhập').fill(username);
      await boss.getByLabel('Họ và tên').fill(name);
      await boss.locator('#vai-tro').selectOption({ label: role });
      await boss.getByLabel('Mật khẩu ban đầu').fill(PASSWORD);
      await boss.getByRole('button', { name: 'Thêm', exact: true }).click();
      await expect(boss.getByText(`(${username})`)).toBeVisible();
    }
    await expectNoAxeViolations(boss);

    // A citizen files online.
    const { code, statusPath } = await fileApplication(page);

    // The clerk accepts it; the time from the queue to the recorded acceptance is measured.
    const clerk = await signIn(browser, `tiepnhan.${suffix}`);
    const started = Date.now();
    await openDossier(clerk, code);
    await expect(clerk.getByText('Mới đăng ký').first()).toBeVisible();
    await act(clerk, 'Tiếp nhận hồ sơ');
    console.log(`[figure] ${info.project.name}: clerk accepts a dossier in ${Date.now() - started} ms (queue, search, dossier page, action)`);
    await expect(clerk.locator('details.action summary', { hasText: 'Yêu cầu bổ sung giấy tờ' })).toHaveCount(0);
    await expectNoHorizontalScroll(clerk);
    await expectNoAxeViolations(clerk);

    // The specialist processes it and asks for a document.
    const specialist = await signIn(browser, `xuly.${suffix}`);
    await openDossier(specialist, code);
    const file = specialist.locator('ul.files a[target=_blank]').first();
    const response = await specialist.request.get((await file.getAttribute('href')) ?? '');
    expect(response.headers()['content-type']).toBe('application/pdf');
    await act(specialist, 'Chuyển xử lý');
    await act(specialist, 'Yêu cầu bổ sung giấy tờ', async (form) => {
      await form.getByLabel('Giấy tờ cần bổ sung').fill('Bản sao Giấy khai sinh');
      await form.getByLabel('Hạn bổ sung').fill(deadline.iso);
      await form.getByLabel('Ghi chú cho người dân').fill('Thiếu bản sao giấy khai sinh');
    });

    // The citizen sees what is missing and sends it from the phone.
    await page.goto(statusPath);
    await expect(page.getByText(deadline.shown)).toBeVisible();
    await expect(page.locator('.officer-note')).toContainText('Thiếu bản sao giấy khai sinh');
    await page.getByRole('link', { name: 'Gửi giấy tờ bổ sung' }).click();
    await page.getByLabel('Bản sao Giấy khai sinh').setInputFiles({ name: 'khai-sinh.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await page.getByRole('button', { name: 'Gửi giấy tờ bổ sung' }).click();
    await expect(page.getByRole('status')).toContainText('Bản sao Giấy khai sinh (1 tệp)');

    // The specialist sees the supplement, goes on and marks the result ready.
    await specialist.reload();
    await expect(specialist.locator('ul.files .tag', { hasText: 'Bổ sung' })).toBeVisible();
    await act(specialist, 'Chuyển xử lý');
    // A refused form keeps what was typed and says what is missing.
    const ready = specialist.locator('details.action', { has: specialist.locator('summary', { hasText: 'Đã có kết quả' }) });
    await ready.locator('summary').click();
    await ready.getByLabel('Nơi nhận kết quả').fill('Quầy số 1, Trung tâm Phục vụ hành chính công xã');
    await ready.getByRole('button', { name: 'Đã có kết quả' }).click();
    await expect(specialist.getByText('Vui lòng điền mục này.').first()).toBeVisible();
    await act(specialist, 'Đã có kết quả', async (form) => {
      await expect(form.getByLabel('Nơi nhận kết quả')).toHaveValue('Quầy số 1, Trung tâm Phục vụ hành chính công xã');
      await form.getByLabel('Số kết quả (số văn bản, số giấy)').fill('125/GCN-UBND');
    });

    // The citizen learns the result is ready and where to collect it.
    await page.goto(statusPath);
    await expect(page.getByText('125/GCN-UBND')).toBeVisible();
    await expect(page.getByText('Quầy số 1, Trung tâm Phục vụ hành chính công xã')).toBeVisible();

    // The clerk hands it over; the citizen rates.
    await openDossier(clerk, code);
    // Who takes the result is recorded; the applicant is proposed, a relative may come instead.
    await act(clerk, 'Trả kết quả', async (form) => {
      await expect(form.getByLabel('Người nhận kết quả')).toHaveValue('Nguyễn Thị Lan');
      await form.getByLabel('Người nhận kết quả').fill('Trần Văn Nam');
      await form.getByLabel('Số căn cước (CCCD) của người nhận').fill('001203004568');
      await form.getByLabel('Quan hệ với người nộp').fill('Chồng người nộp');
    });
    await expect(clerk.locator('ol.timeline')).toContainText('Người nhận kết quả: Trần Văn Nam (001203004568, Chồng người nộp)');
    // Seven events, and the line of the citizen's supplement among them.
    await expect(clerk.locator('ol.timeline li')).toHaveCount(8);
    await expect(clerk.locator('ol.timeline li.supplement-sent')).toContainText('Người dân gửi bổ sung');
    await page.goto(statusPath);
    await page.getByRole('button', { name: 'Rất hài lòng' }).click();
    await expect(page.getByText('Cảm ơn bạn đã đánh giá')).toBeVisible();
    await openDossier(clerk, code);
    await expect(clerk.getByRole('heading', { name: 'Đánh giá của người dân' })).toBeVisible();
  });

  test('a walk-in at the counter: one page from the search to the printed receipt', async ({ browser }, info) => {
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const admin = `quantri.quay${suffix}`;
    serverCommand(['create-admin', admin, 'Lãnh đạo'], `${PASSWORD}\n`);
    const clerk = await signIn(browser, admin);
    const jsOn = info.project.use.javaScriptEnabled !== false;
    const counts = { taps: 0, loads: 0 };
    clerk.on('framenavigated', (frame) => {
      if (frame === clerk.mainFrame()) counts.loads += 1;
    });
    const tap = async (action: Promise<unknown>) => {
      counts.taps += 1;
      await action;
    };
    await tap(clerk.getByRole('link', { name: 'Tiếp nhận tại quầy' }).first().click());
    // Beside the procedures filed most here (one tap each once dossiers exist), any procedure is
    // found by typing a few words without diacritics (with JavaScript the list follows the
    // typing once its island has loaded, which the first touch of the form starts, and what was
    // typed before it is searched then; without, "Tìm" answers).
    await expect(clerk.locator('form.finder[data-live]')).toHaveCount(0);
    await clerk.getByLabel('Tìm thủ tục').fill('ban sao trich luc ho tich');
    if (jsOn) await expect(clerk.locator('form.finder[data-live]')).toHaveCount(1);
    if (!jsOn) await tap(clerk.getByRole('button', { name: 'Tìm', exact: true }).click());
    await expect(clerk.locator('.finder-count')).toContainText('thủ tục');
    await expectNoAxeViolations(clerk);
    await tap(clerk.locator(`.finder-results a[href$="thu-tuc=${PROCEDURE}"]`).click());
    await expect(clerk.locator('.chosen-procedure')).toContainText('Cấp bản sao Trích lục hộ tịch');

    // One form: the papers with their scans, then the applicant. The identity number is
    // mistyped and nothing ticked: every problem at once, each paper named; the scan is kept.
    const rows = clerk.locator('table.documents tbody tr');
    const firstPaper = (await rows.first().locator('th span').first().textContent()) ?? '';
    await tap(rows.first().locator('input[type=file]').setInputFiles({ name: 'ban-quet.pdf', mimeType: 'application/pdf', buffer: PDF }));
    await clerk.getByLabel('Họ và tên', { exact: true }).fill('Hà Văn Sáu');
    await clerk.getByLabel('Số căn cước (CCCD)').fill('0012030');
    await clerk.getByLabel('Địa chỉ nơi ở').fill('Thôn Tây, xã Tân Lập');
    await expectNoAxeViolations(clerk);
    await tap(clerk.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn' }).click());
    const summary = clerk.getByRole('alert');
    await expect(summary).toContainText('Số căn cước chưa đúng');
    await expect(clerk.getByText('Đã nhận tệp quét: ban-quet.pdf')).toBeVisible();
    await expect(clerk.getByLabel('Địa chỉ nơi ở')).toHaveValue('Thôn Tây, xã Tân Lập');
    await expectNoAxeViolations(clerk);
    // A counter tablet turned upright, or a phone: the one page still fits 320 px.
    await clerk.setViewportSize({ width: 320, height: 740 });
    await expectNoHorizontalScroll(clerk);
    await clerk.setViewportSize({ width: 1280, height: 800 });
    // Every other required paper is named in the summary, if the case has any.
    const required = await rows.locator('.tag').count();
    if (required > 1) await expect(summary).toContainText(': Giấy tờ này bắt buộc nhưng chưa đánh dấu');
    expect(firstPaper.length).toBeGreaterThan(0);

    await clerk.getByLabel('Số căn cước (CCCD)').fill('001203004567');
    for (let i = 1; i < (await rows.count()); i++) {
      await tap(rows.nth(i).locator('input[type=checkbox]').first().check());
    }
    await tap(clerk.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn' }).click());
    await expect(clerk).toHaveURL(/\/can-bo\/giay-hen\?ma=/);
    console.log(`[figures] ${info.project.name} counter intake, staff home to receipt (one refusal on the way): ${counts.taps} taps, ${counts.loads} page loads`);
    await expect(clerk.locator('.receipt-codes .code').first()).toBeVisible();
    await expect(clerk.locator('svg').first()).toBeVisible();
    await expect(clerk.getByText('Hà Văn Sáu')).toBeVisible();
    // Mẫu 01: who received it and room for both signatures; the scanned paper is listed.
    await expect(clerk.locator('.summary div', { hasText: 'Người tiếp nhận' }).locator('dd')).toHaveText('Lãnh đạo');
    await expect(clerk.getByText('NGƯỜI TIẾP NHẬN HỒ SƠ')).toBeVisible();
    await expect(clerk.locator('ul.received-documents li').first()).toContainText(firstPaper.trim());
    // No "sent to the Center" for a walk-in, no promise of a call; the next citizen is one click away.
    await expect(clerk.getByText('Hồ sơ của bạn đã được gửi đến Trung tâm')).toHaveCount(0);
    await expect(clerk.getByText('sẽ gọi điện cho bạn')).toHaveCount(0);
    await expect(clerk.getByRole('link', { name: 'Tiếp nhận hồ sơ tiếp theo' })).toHaveAttribute('href', '/can-bo/tiep-nhan');
    // It prints on one A5 page, and the PDF for the archive is a PDF.
    const receipt = await printed(clerk);
    expect(receipt.pages).toBe(1);
    expectSize(receipt, A5);
    const pdf = await clerk.request.get((await clerk.getByRole('link', { name: 'Tải bản PDF' }).getAttribute('href')) ?? '');
    expect(pdf.headers()['content-type']).toBe('application/pdf');
  });

  test('the admin sees the year as months and enters a Saturday worked', async ({ browser }, info) => {
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const admin = `quantri.lich${suffix}`;
    serverCommand(['create-admin', admin, 'Lãnh đạo'], `${PASSWORD}\n`);
    const page = await signIn(browser, admin);
    await page.goto('/can-bo/quan-tri?nam=2026');
    await expect(page.locator('table.month')).toHaveCount(12);
    await expect(page.locator('table.month caption').first()).toHaveText('Tháng 1 2026');
    // The rule's days and the notice shipped for 2026, each with why.
    const unusual = page.locator('ul.unusual-days');
    await expect(unusual).toContainText('Thứ Hai, 27/04/2026: Nghỉ. Nghỉ bù Giỗ Tổ Hùng Vương');
    await expect(unusual).toContainText('Thứ Bảy, 22/08/2026: Làm việc');
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);

    // One Saturday per browser project, so the two runs do not meet.
    const saturday = info.project.use.javaScriptEnabled === false ? '20/11/2027' : '13/11/2027';
    await page.goto('/can-bo/quan-tri?nam=2027');
    await page.getByLabel('Ngày (ví dụ 02/01/2027)').fill(saturday);
    await page.getByLabel('Làm việc (ví dụ thứ Bảy làm bù)').check();
    await page.getByLabel('Ghi chú').fill('Làm bù');
    await page.getByLabel('Văn bản').fill('Thông báo thử');
    await page.getByRole('button', { name: 'Lưu ngày này' }).click();
    await expect(page).toHaveURL(/nam=2027/);
    const line = page.locator('ul.unusual-days li', { hasText: saturday });
    await expect(line).toContainText(`${saturday}: Làm việc. Làm bù (Thông báo thử)`);
    await line.getByRole('button', { name: /Bỏ, tính theo luật/ }).click();
    await expect(page.locator('ul.unusual-days li', { hasText: saturday })).toHaveCount(0);
  });
});
