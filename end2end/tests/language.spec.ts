import { test, expect } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';

test('switching to English and back keeps the page', async ({ page }) => {
  await page.goto('/thu-tuc');
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Danh mục thủ tục');

  await page.getByRole('link', { name: 'English', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Procedure catalogue');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(new URL(page.url()).pathname).toBe('/thu-tuc');
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Tiếng Việt', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Danh mục thủ tục');
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  expect(new URL(page.url()).pathname).toBe('/thu-tuc');
});
