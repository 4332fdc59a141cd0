import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, expectNoHorizontalScroll } from './helpers';

// The public statistics: server-drawn charts with their tables, a period form that works as a
// plain GET form, and the figures as files.
test.describe('statistics', () => {
  test('charts, tables and the period form, linked from the home page', async ({ page }) => {
    await page.goto('/');
    // On a phone the site's links sit behind one "Menu" control.
    const statistics = page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thống kê' });
    await expect(statistics).toBeHidden();
    await page.locator('.menu > summary').click();
    await statistics.click();
    await expect(page).toHaveURL(/\/thong-ke$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thống kê');
    // Each chart is an image named by its caption, next to a table with the same figures.
    await expect(page.getByRole('img', { name: 'Số hồ sơ theo kênh nộp' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Hồ sơ theo kết quả' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Tiếp nhận và số hóa' })).toBeVisible();
    await expect(page.getByRole('row', { name: /Hồ sơ tiếp nhận/ }).first()).toBeVisible();
    await expect(page.getByRole('table', { name: 'Chỉ số và công thức' })).toContainText('× 100');
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);

    await page.getByLabel('Loại kỳ').selectOption('nam');
    await page.getByRole('button', { name: 'Xem' }).click();
    await expect(page).toHaveURL(/ky=nam/);
    await expect(page.locator('.lead')).toContainText('01/01/');
    const csv = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    expect(csv).toMatch(/^\/thong-ke\.csv\?ky=nam&nam=\d{4}$/);
    const response = await page.request.get(csv ?? '');
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await response.text()).startsWith('\ufeffChỉ tiêu,Giá trị')).toBe(true);
  });
});
