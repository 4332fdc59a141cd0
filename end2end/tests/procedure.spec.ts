import { test, expect } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';

test.describe('procedure detail', () => {
  test('"Đăng ký khai sinh" shows documents, fees and online submission', async ({ page }) => {
    await page.goto('/thu-tuc/1.001193');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký khai sinh');
    await expect(page.getByRole('heading', { name: 'Giấy tờ cần có' }).first()).toBeVisible();
    await expect(page.getByText('bản chính').first()).toBeVisible();
    await expect(page.getByText('Phí, lệ phí').first()).toBeVisible();
    await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('the multi-case procedure opens its first case only', async ({ page }) => {
    await page.goto('/thu-tuc/1.001193');
    const cases = page.getByRole('main').locator('details').filter({
      has: page.getByText(/^Trường hợp:/),
    });
    expect(await cases.count(), 'several cases').toBeGreaterThan(1);
    await expect(cases.first()).toHaveAttribute('open', '');
    await expect(cases.first().getByRole('heading', { name: 'Giấy tờ cần có' })).toBeVisible();
    await expect(cases.nth(1)).not.toHaveAttribute('open');
    await expect(cases.nth(1).getByRole('heading', { name: 'Giấy tờ cần có' })).toBeHidden();

    // Opening another case by its summary works (native <details>, with or without JS).
    await cases.nth(1).locator(':scope > summary').click();
    await expect(cases.nth(1)).toHaveAttribute('open', '');
    await expect(cases.nth(1).getByRole('heading', { name: 'Giấy tờ cần có' })).toBeVisible();
  });

  test('certified copy shows a fee in đồng and no online submission', async ({ page }) => {
    await page.goto('/thu-tuc/2.000815');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Chứng thực bản sao từ bản chính');
    await expect(page.getByText(/Phí, lệ phí.*\d[\d.]* đồng/).first()).toBeVisible();
    await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test('a catalogue result link reaches the detail page', async ({ page }) => {
    await page.goto('/thu-tuc');
    const link = page.getByRole('main').getByRole('link', { name: 'Đăng ký khai sinh', exact: true });
    await link.click();
    await page.waitForURL('**/thu-tuc/1.001193');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký khai sinh');
  });
});
