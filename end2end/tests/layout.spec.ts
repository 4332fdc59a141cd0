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

test('the first Tab focuses the skip link', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await expect(skip).toHaveAttribute('href', '#noi-dung');
});
