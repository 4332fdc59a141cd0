import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, expectNoHorizontalScroll } from './helpers';

test.describe('small screens', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 740 });
  });

  for (const path of ['/', '/thu-tuc', '/thu-tuc/1.001193', '/thu-tuc/2.000884']) {
    test(`${path} has no horizontal scroll at 320 px`, async ({ page }) => {
      await page.goto(path);
      await expectNoHorizontalScroll(page);
      await expectNoAxeViolations(page);
    });
  }
});

test('one menu control on a phone and at 200 % zoom, the links in a row on a wide screen', async ({ page }) => {
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  const menu = page.locator('.menu > summary');
  for (const width of [320, 640]) {
    await page.setViewportSize({ width, height: 740 });
    await page.goto('/');
    await expect(nav.getByRole('link', { name: 'Tra cứu hồ sơ' })).toBeHidden();
    await menu.click();
    const link = nav.getByRole('link', { name: 'Tra cứu hồ sơ' });
    await expect(link).toBeVisible();
    // Each word whole, on one line: no "Thốn g kê".
    expect((await link.boundingBox())?.height ?? 99).toBeLessThan(48);
    await expectNoHorizontalScroll(page);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await expect(menu).toBeHidden();
  await expect(nav.getByRole('link', { name: 'Thống kê' })).toBeVisible();
});

test('the first Tab focuses the skip link', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await expect(skip).toHaveAttribute('href', '#noi-dung');
});
