import { test, expect } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';

for (const path of ['/thu-tuc/9.999999', '/khong-co-trang-nay']) {
  test(`${path} answers 404 with a way home`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response, 'navigation response').not.toBeNull();
    expect(response!.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeVisible();
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Về trang chủ' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect(page.getByRole('searchbox', { name: 'Bạn cần làm thủ tục gì?' })).toBeVisible();
  });
}
