import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, expectNoHorizontalScroll } from './helpers';

// The staff side starts at sign-in: without a session every staff page leads there.
test.describe('staff sign-in', () => {
  test('staff pages lead to sign-in, and a wrong password says so', async ({ page }) => {
    await page.goto('/can-bo');
    await expect(page).toHaveURL(/\/can-bo\/dang-nhap$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cán bộ đăng nhập');
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await page.getByLabel('Tên đăng nhập').fill('khong.co.ai');
    await page.getByLabel('Mật khẩu').fill('không phải mật khẩu');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page.getByRole('alert')).toHaveText('Sai tên đăng nhập hoặc mật khẩu.');
    await expect(page.getByLabel('Tên đăng nhập')).toHaveValue('khong.co.ai');
    await expect(page.getByLabel('Mật khẩu')).toHaveValue('');
  });
});
