import { test, expect } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';

// The document checklist is plain HTML: every document has a checkbox. With JavaScript a small
// script (not the WebAssembly bundle) counts the ticks and the phone remembers them; without it
// the boxes can still be ticked, and nothing claims to be counted or remembered.
test.describe('document checklist', () => {
  test('ticks are counted and survive a reload (JavaScript on), plain boxes otherwise', async ({ page }, testInfo) => {
    // The page's content policy lets the site's own script run; anything it blocks is reported
    // on the console.
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) blocked.push(message.text());
    });
    await page.goto('/thu-tuc/1.001193');
    const firstCase = page.locator('details.case').first();
    const documents = firstCase.locator('ul.documents > li');
    const total = await documents.count();
    expect(total).toBeGreaterThan(1);
    await expect(documents.first()).toContainText(/\S/);

    const boxes = firstCase.getByRole('checkbox');
    await expect(boxes).toHaveCount(total);
    if (testInfo.project.use.javaScriptEnabled === false) {
      await boxes.first().check();
      await expect(boxes.first()).toBeChecked();
      await expect(firstCase.getByText(/Đã có \d+\/\d+ giấy tờ/)).toBeHidden();
      await expect(firstCase.getByText('điện thoại này sẽ nhớ')).toBeHidden();
      await expectNoAxeViolations(page);
      return;
    }

    const progress = firstCase.getByText(`Đã có 0/${total} giấy tờ`);
    await expect(progress).toBeVisible();
    await boxes.first().check();
    await expect(firstCase.getByText(`Đã có 1/${total} giấy tờ`)).toBeVisible();
    await expectNoAxeViolations(page);

    await page.reload();
    const reloaded = page.locator('details.case').first();
    await expect(reloaded.getByRole('checkbox').first()).toBeChecked();
    await expect(reloaded.getByRole('checkbox').nth(1)).not.toBeChecked();
    await expect(reloaded.getByText(`Đã có 1/${total} giấy tờ`)).toBeVisible();
    await expect(reloaded.getByText('điện thoại này sẽ nhớ')).toBeVisible();
    expect(blocked).toEqual([]);
  });

  test('the procedure page loads its checklist script and no WebAssembly', async ({ page }, testInfo) => {
    const loaded: string[] = [];
    page.on('request', (request) => {
      if (['script', 'fetch'].includes(request.resourceType()) || request.url().endsWith('.wasm')) {
        loaded.push(new URL(request.url()).pathname);
      }
    });
    await page.goto('/thu-tuc/1.001193');
    await expect(page.getByRole('checkbox').first()).toBeVisible();
    expect(loaded).toEqual(testInfo.project.use.javaScriptEnabled === false ? [] : ['/checklist.js']);
  });

  test('pages without an island load no script at all', async ({ page }) => {
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (['script', 'fetch'].includes(request.resourceType()) || request.url().endsWith('.wasm')) {
        scripts.push(request.url());
      }
    });
    for (const path of ['/', '/thu-tuc', '/thu-tuc?q=khai+sinh']) {
      await page.goto(path);
    }
    expect(scripts).toEqual([]);
  });
});
