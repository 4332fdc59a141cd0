import { test, expect } from '@playwright/test';
import {
  PASSWORD,
  PROCEDURE,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  fileApplication,
  serverCommand,
  signIn,
} from './helpers';

// A province's installation serves several communes (serve.sh adds xã Bình An beside the
// default center): a citizen picks theirs by name, or arrives on its own link, and what they
// file goes to that commune's center.

const BINH_AN = 'Trung tâm Phục vụ hành chính công xã Bình An';

test.describe('pick a commune', () => {
  test('by its name typed without diacritics, then file with its center', async ({ page }) => {
    await page.goto('/');
    await page.locator('.center-switch').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chọn xã của bạn');
    await page.getByLabel('Tên xã hoặc phường').fill('binh an');
    await page.getByRole('button', { name: 'Tìm xã' }).click();
    await expect(page.locator('.center-list li')).toHaveCount(1);
    await expectNoHorizontalScroll(page);
    await page.setViewportSize({ width: 320, height: 740 });
    await expectNoHorizontalScroll(page);
    await page.setViewportSize({ width: 360, height: 740 });
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: BINH_AN }).click();
    // Home, with the commune named in the header and its address and days on the page.
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('.brand-center')).toHaveText(BINH_AN);
    await expect(page.getByText('Thôn 2, xã Bình An')).toBeVisible();
    await expect(page.getByText('Thứ Hai, Thứ Ba, Thứ Tư, Thứ Năm, Thứ Sáu, Thứ Bảy')).toBeVisible();
    await expectNoAxeViolations(page);

    const { code } = await fileApplication(page);
    expect(code).toMatch(/^000\.00\.13\.H56-\d{6}-\d{4}$/);
    await expect(page.locator('.receipt-center')).toHaveText(BINH_AN);

    // The picker marks the commune chosen.
    await page.goto('/xa');
    await expect(page.locator('a[aria-current="true"]')).toHaveText(BINH_AN);
  });

  test("the commune's own link goes on to the page after it", async ({ page }) => {
    await page.goto('/xa/xa-binh-an/thu-tuc?q=khai%20sinh');
    await expect(page).toHaveURL(/\/thu-tuc\?q=khai%20sinh$/);
    await expect(page.locator('.brand-center')).toHaveText(BINH_AN);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Danh mục thủ tục');
    const response = await page.goto('/xa/khong-co-xa-nay');
    expect(response?.status()).toBe(404);
  });

  test('a procedure the commune does not receive: its citizens are told, the others file', async ({ page, browser }, info) => {
    // Bình An's administrator says the center does not receive it…
    const admin = `quantri.binhan.${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    serverCommand(['create-admin', admin, 'Lãnh đạo xã Bình An', '--center', 'xa-binh-an'], `${PASSWORD}\n`);
    const boss = await signIn(browser, admin);
    await boss.goto('/can-bo/quan-tri');
    await boss.getByLabel('Thủ tục', { exact: true }).last().selectOption(PROCEDURE);
    await boss.getByRole('button', { name: 'Không nhận thủ tục này' }).click();
    await expect(boss.getByRole('button', { name: /Nhận lại/ })).toHaveCount(1);

    // …so its citizens read why instead of the button to file online,
    await page.goto(`/xa/xa-binh-an/thu-tuc/${PROCEDURE}`);
    await expect(page.locator('.brand-center')).toHaveText(BINH_AN);
    await expect(page.getByText('Trung tâm của xã bạn chọn không nhận thủ tục này', { exact: false })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' })).toHaveCount(0);
    await expectNoAxeViolations(page);
    // while the default commune's citizens (who picked none) still file it.
    const elsewhere = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled });
    const visitor = await elsewhere.newPage();
    await visitor.goto(`/thu-tuc/${PROCEDURE}`);
    await expect(visitor.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' })).toBeVisible();
    await elsewhere.close();

    // Received again.
    await boss.getByRole('button', { name: /Nhận lại/ }).click();
    await expect(boss.getByRole('button', { name: /Nhận lại/ })).toHaveCount(0);
    await page.goto(`/thu-tuc/${PROCEDURE}`);
    await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' })).toBeVisible();
    await boss.context().close();
  });
});
