import { test, expect } from '@playwright/test';
import {
  act,
  daysFromToday,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  A4,
  A5,
  expectSize,
  fileApplication,
  openDossier,
  PASSWORD,
  printed,
  serverCommand,
  signIn,
} from './helpers';

// The forms of Circular 03/2025 as people print them: the citizen's supplement request
// (Mẫu 02) from the status page, the control slip (Mẫu 06) after a hand-over between two
// members of staff, and the tracking book (Mẫu 07), each through the browser's own print to PDF.

test.describe('papers', () => {
  test('a supplement request, the control slip and the tracking book print as the circular sets them', async ({ page, browser }, info) => {
    test.setTimeout(90_000);
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const clerkName = `tiepnhan.phieu${suffix}`;
    const colleagueName = `xuly.phieu${suffix}`;
    serverCommand(['create-admin', clerkName, 'Lê Thị Thu'], `${PASSWORD}\n`);
    serverCommand(['create-admin', colleagueName, 'Trần Văn Bình'], `${PASSWORD}\n`);
    const deadline = daysFromToday(10);

    // An online dossier is incomplete: the clerk sends it back for completion at intake.
    const { code, statusPath } = await fileApplication(page);
    const clerk = await signIn(browser, clerkName);
    await openDossier(clerk, code);
    await act(clerk, 'Yêu cầu bổ sung giấy tờ', async (form) => {
      await form.getByLabel('Giấy tờ cần bổ sung').fill('Tờ khai có chữ ký của người đi khai');
      await form.getByLabel('Hạn bổ sung').fill(deadline.iso);
      await form.getByLabel('Ghi chú cho người dân').fill('Tờ khai chưa ký');
    });

    // The citizen opens Mẫu 02 from the status page; it prints on one A5 page.
    await page.goto(statusPath);
    await page.getByRole('link', { name: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu số 02)' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    await expect(page.getByText('Tờ khai có chữ ký của người đi khai')).toBeVisible();
    await expect(page.getByText(`Hạn gửi bổ sung: ${deadline.shown}`)).toBeVisible();
    await expect(page.locator('.signature-name')).toHaveText('Lê Thị Thu');
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    const supplement = await printed(page);
    expect(supplement.pages).toBe(1);
    expectSize(supplement, A5);
    const pdfLink = page.getByRole('link', { name: 'Tải bản PDF' });
    const pdf = await page.request.get((await pdfLink.getAttribute('href')) ?? '');
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // The clerk accepts it once completed and hands it to a colleague: the slip has two rows.
    await openDossier(clerk, code);
    await act(clerk, 'Tiếp nhận hồ sơ');
    await act(clerk, 'Chuyển cho cán bộ khác', async (form) => {
      await form.getByLabel('Cán bộ nhận hồ sơ').selectOption({ label: `Trần Văn Bình (${colleagueName})` });
      await form.getByLabel('Ghi chú khi giao (không gửi cho người dân)').fill('Đủ giấy tờ');
    });
    await expect(clerk.getByText('Đang giữ hồ sơ: Trần Văn Bình')).toBeVisible();
    await clerk.getByRole('link', { name: 'Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)' }).click();
    await expect(clerk.getByRole('heading', { level: 1 })).toHaveText('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    const rows = clerk.locator('table.sheet-table tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('Lê Thị Thu');
    await expect(rows.nth(1)).toContainText('Trần Văn Bình');
    await expect(rows.nth(1)).toContainText('Đủ giấy tờ');
    await expectNoAxeViolations(clerk);
    const slip = await printed(clerk);
    expect(slip.pages).toBe(1);
    expectSize(slip, A4);

    // Staff print Mẫu 02 from the dossier page too.
    await openDossier(clerk, code);
    await clerk.getByRole('link', { name: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu số 02)' }).click();
    await expect(clerk.getByText('Tờ khai chưa ký')).toBeVisible();
    const staffCopy = await printed(clerk);
    expect(staffCopy.pages).toBe(1);
    expectSize(staffCopy, A5);

    // The tracking book lists the dossier, prints in landscape and exports a spreadsheet.
    await clerk.getByRole('link', { name: 'Sổ theo dõi hồ sơ (Mẫu 07)' }).click();
    await expect(clerk.getByRole('heading', { level: 1 })).toHaveText('SỔ THEO DÕI HỒ SƠ');
    await expect(clerk.locator('table.sheet-table')).toContainText(code);
    await expectNoAxeViolations(clerk);
    const book = await printed(clerk);
    expectSize(book, { width: A4.height, height: A4.width });
    const sheet = await clerk.request.get((await clerk.getByRole('link', { name: 'Tải bảng tính (.xlsx)' }).getAttribute('href')) ?? '');
    expect(sheet.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((await sheet.body()).subarray(0, 2).toString()).toBe('PK');
  });

  test('a refusal and a stop notice reach the citizen and print on one A5 page each', async ({ page, browser }, info) => {
    test.setTimeout(90_000);
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const officer = `lanhdao.phieu${suffix}`;
    serverCommand(['create-admin', officer, 'Phạm Văn Đức'], `${PASSWORD}\n`);
    const staff = await signIn(browser, officer);
    const papers = [
      { title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', link: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu số 03)', reason: 'Việc này thuộc thẩm quyền của huyện' },
      { title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', link: 'Thông báo dừng giải quyết hồ sơ (Mẫu số 05)', reason: 'Người nộp xin dừng để bổ sung sau' },
    ];
    for (const [index, paper] of papers.entries()) {
      const { code, statusPath } = await fileApplication(page);
      await openDossier(staff, code);
      const reason = async (form: ReturnType<typeof staff.locator>) => {
        await form.getByLabel('Lý do (người dân sẽ đọc)').fill(paper.reason);
      };
      if (index === 0) {
        await act(staff, 'Không tiếp nhận', reason);
      } else {
        await act(staff, 'Tiếp nhận hồ sơ');
        await act(staff, 'Chuyển xử lý');
        await act(staff, 'Dừng xử lý', reason);
      }
      await page.goto(statusPath);
      await page.getByRole('link', { name: paper.link }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(paper.title);
      await expect(page.getByText(paper.reason)).toBeVisible();
      await expect(page.locator('.signature-name')).toHaveText('Phạm Văn Đức');
      const sheet = await printed(page);
      expect(sheet.pages).toBe(1);
      expectSize(sheet, A5);
    }
  });

  test('an apology (Mẫu 04) tells the citizen the new date and prints on one A5 page', async ({ page, browser }, info) => {
    const suffix = `${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    const officer = `lanhdao.xinloi${suffix}`;
    serverCommand(['create-admin', officer, 'Vũ Thị Hằng'], `${PASSWORD}\n`);
    const staff = await signIn(browser, officer);
    // A one-working-day procedure is always within a working day of its due date: an apology
    // may be given at once (Decree 118/2025, Art. 19(6)).
    const { code, statusPath } = await fileApplication(page);
    const newDate = daysFromToday(12);
    await openDossier(staff, code);
    await act(staff, 'Tiếp nhận hồ sơ');
    await act(staff, 'Xin lỗi và hẹn lại ngày trả', async (form) => {
      await form.getByLabel('Ngày hẹn mới').fill(newDate.iso);
      await form.getByLabel('Lời xin lỗi (người dân sẽ đọc)').fill('Hồ sơ phải xác minh thêm ở xã nơi đăng ký trước đây.');
    });
    await page.goto(statusPath);
    await page.getByRole('link', { name: 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Mẫu số 04)' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
    await expect(page.getByText(`hẹn trả kết quả vào ngày ${newDate.shown}`)).toBeVisible();
    await expect(page.getByText('Hồ sơ phải xác minh thêm ở xã nơi đăng ký trước đây.')).toBeVisible();
    await expect(page.locator('.signature-name')).toHaveText('Vũ Thị Hằng');
    await expectNoAxeViolations(page);
    const sheet = await printed(page);
    expect(sheet.pages).toBe(1);
    expectSize(sheet, A5);
  });
});
