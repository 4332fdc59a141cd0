import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, pathAndQuery } from './helpers';

const SEARCH_LABEL = 'Bạn cần làm thủ tục gì?';

/** The result list: the first list inside <main> (ul.procedure-list). */
function results(page: Page) {
  return page.getByRole('main').getByRole('list').first();
}

function firstResult(page: Page) {
  return results(page).getByRole('link').first();
}

test.describe('search', () => {
  test('home page search finds "Đăng ký khai sinh" from an unaccented query', async ({ page }) => {
    await page.goto('/');
    await expectNoAxeViolations(page);

    const field = page.getByRole('searchbox', { name: SEARCH_LABEL });
    await expect(field).toBeVisible();
    await expect(field).toHaveAttribute('name', 'q');
    await expect(field).toHaveAttribute('type', 'search');
    await expect(page.getByRole('button', { name: 'Tìm', exact: true })).toBeVisible();

    await field.fill('dang ky khai sinh');
    await field.press('Enter');

    await page.waitForURL((url) => url.pathname === '/thu-tuc');
    expect(pathAndQuery(page)).toBe('/thu-tuc?q=dang+ky+khai+sinh');
    await expect(firstResult(page)).toHaveText('Đăng ký khai sinh');
    // The query is kept in the field.
    await expect(page.getByRole('searchbox', { name: SEARCH_LABEL })).toHaveValue('dang ky khai sinh');
    await expectNoAxeViolations(page);
  });

  test('clicking "Tìm" submits the search too', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('searchbox', { name: SEARCH_LABEL }).fill('dang ky khai sinh');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/thu-tuc');
    expect(pathAndQuery(page)).toBe('/thu-tuc?q=dang+ky+khai+sinh');
    await expect(firstResult(page)).toHaveText('Đăng ký khai sinh');
  });

  for (const q of ['ĐĂNG KÝ KHAI SINH', 'khai sinh', 'birth certificate']) {
    test(`query "${q}" ranks "Đăng ký khai sinh" first`, async ({ page }) => {
      await page.goto(`/thu-tuc?q=${encodeURIComponent(q)}`);
      await expect(firstResult(page)).toHaveText('Đăng ký khai sinh');
      await expectNoAxeViolations(page);
    });
  }

  test('a nonsense query says nothing was found', async ({ page }) => {
    await page.goto('/thu-tuc?q=xyzxyz');
    await expect(page.getByText('Không tìm thấy thủ tục nào.')).toBeVisible();
    await expect(page.getByRole('main').getByRole('link', { name: 'Đăng ký khai sinh' })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test('the sector filter keeps only "Chứng thực" procedures', async ({ page }) => {
    await page.goto('/thu-tuc');
    await expectNoAxeViolations(page);

    await page.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Chứng thực' });
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('linh-vuc') === 'Chứng thực');

    const names = await results(page).getByRole('link').allTextContents();
    expect(names.length, 'the "Chứng thực" sector has procedures').toBeGreaterThan(0);
    for (const name of names) {
      expect(name.trim(), `"${name}" is not a Chứng thực procedure`).toMatch(/^(Chứng thực|Cấp bản sao)/);
    }
    // The select remembers the choice.
    await expect(page.getByLabel('Lĩnh vực', { exact: true })).toHaveValue('Chứng thực');
    await expectNoAxeViolations(page);
  });
});
