import { test, expect } from '@playwright/test';
import { A4, PROCEDURE, expectNoAxeViolations, expectNoHorizontalScroll, expectSize, fileApplication, printed } from './helpers';

// The period report: server-drawn charts with their tables, a period and scope form that works
// as a plain GET form, the Decision 766 table, and the report as files.
test.describe('statistics', () => {
  test('the period report, its scope and its files, linked from the home page', async ({ page }) => {
    await page.goto('/');
    // On a phone the site's links sit behind one "Menu" control.
    const statistics = page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thống kê' });
    await expect(statistics).toBeHidden();
    await page.locator('.menu > summary').click();
    await statistics.click();
    await expect(page).toHaveURL(/\/thong-ke$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tình hình, kết quả giải quyết thủ tục hành chính');
    await expect(page.getByText('Kỳ chưa kết thúc: số liệu tính đến thời điểm xem.')).toBeVisible();
    // Each chart is an image named by its caption, next to a table with the same figures.
    await expect(page.getByRole('img', { name: 'Hồ sơ phải giải quyết trong kỳ, theo kết quả' })).toBeVisible();
    const processing = page.getByRole('table', { name: 'Tình hình giải quyết' });
    await expect(processing.getByRole('row', { name: /Tổng số phải giải quyết/ })).toBeVisible();
    await expect(processing.getByRole('columnheader', { name: /Kỳ trước/ })).toBeVisible();
    const decision = page.getByRole('table', { name: 'Chấm điểm theo Quyết định 766/QĐ-TTg' });
    await expect(decision.getByRole('row', { name: /1\.4 Hồ sơ được đồng bộ/ })).toContainText('Chưa đo');
    await expect(decision.getByRole('row', { name: /2\.1 / })).toContainText('100 %');
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    // The narrowest phones: every table still fits.
    await page.setViewportSize({ width: 320, height: 740 });
    await expectNoHorizontalScroll(page);
    await page.setViewportSize({ width: 360, height: 740 });

    // A closed year, civil status only: a plain GET form, with or without JavaScript.
    const lastYear = String(new Date().getFullYear() - 1);
    await page.getByLabel('Loại kỳ').selectOption('nam');
    await page.getByLabel('Năm', { exact: true }).selectOption(lastYear);
    await page.getByLabel('Lĩnh vực', { exact: true }).selectOption('Hộ tịch');
    await page.getByRole('button', { name: 'Xem' }).click();
    await expect(page).toHaveURL(new RegExp(`ky=nam&nam=${lastYear}&.*linh-vuc=H`));
    await expect(page.locator('.lead')).toContainText(`01/01/${lastYear} – 31/12/${lastYear}`);
    await expect(page.getByText(`Số liệu tính theo lịch sử hồ sơ đến hết ngày 31/12/${lastYear}`)).toBeVisible();
    await expect(page.getByLabel('Lĩnh vực', { exact: true })).toHaveValue('Hộ tịch');

    const xlsx = await page.getByRole('link', { name: 'Bảng tính Excel (.xlsx)' }).getAttribute('href');
    expect(xlsx).toMatch(/^\/thong-ke\.xlsx\?ky=nam&nam=\d{4}&linh-vuc=/);
    const workbook = await page.request.get(xlsx ?? '');
    expect(workbook.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // A zip: "PK".
    expect((await workbook.body()).subarray(0, 2).toString()).toBe('PK');
    const csv = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const response = await page.request.get(csv ?? '');
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await response.text()).startsWith('\ufeff"Tình hình, kết quả giải quyết thủ tục hành chính"')).toBe(true);
    const json = await (await page.request.get((await page.getByRole('link', { name: 'JSON' }).getAttribute('href')) ?? '')).json();
    expect(json.period.closed).toBe(true);
    expect(json.filter.sector).toBe('Hộ tịch');
  });

  test('one procedure\'s report, from its row, and back to every procedure; printed on A4', async ({ page }) => {
    // A dossier filed online this month: its procedure has a row, as a filing awaiting intake.
    await fileApplication(page);
    await page.goto('/thong-ke');
    await page.getByRole('table', { name: 'Theo thủ tục' }).getByRole('link', { name: 'Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh' }).click();
    await expect(page).toHaveURL(new RegExp(`thu-tuc=${PROCEDURE.replace('.', '\\.')}`));
    await expect(page.getByText('Chỉ thủ tục:')).toContainText(PROCEDURE);
    await expect(page.getByRole('table', { name: 'Theo thủ tục' }).getByRole('row')).toHaveCount(2);
    // The scope stays when the period changes.
    await page.getByLabel('Loại kỳ').selectOption('quy');
    await page.getByRole('button', { name: 'Xem' }).click();
    await expect(page).toHaveURL(new RegExp(`ky=quy.*thu-tuc=${PROCEDURE.replace('.', '\\.')}`));
    await page.getByRole('link', { name: 'Xem mọi thủ tục' }).click();
    await expect(page).not.toHaveURL(/thu-tuc=/);
    await expect(page).toHaveURL(/ky=quy/);
    // Printed, the report is A4 pages without the form, the charts or the links to files.
    const paper = await printed(page);
    expectSize(paper, A4);
    expect(paper.pages).toBeGreaterThan(0);
  });
});
