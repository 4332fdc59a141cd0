import { test, expect } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';

// The document checklist is an island: with JavaScript the citizen can tick documents and the
// phone remembers them; without it the page shows the same list, with nothing to tick.
test.describe('document checklist', () => {
  test('ticks are counted and survive a reload (JavaScript on), plain list otherwise', async ({ page }, testInfo) => {
    // The page's content policy lets the island's loader run by its nonce; anything it blocks
    // is reported on the console.
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
    if (testInfo.project.use.javaScriptEnabled === false) {
      await expect(boxes).toHaveCount(0);
      await expect(firstCase.getByText(/Đã có \d+\/\d+ giấy tờ/)).toHaveCount(0);
      await expectNoAxeViolations(page);
      return;
    }

    await expect(boxes).toHaveCount(total);
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
    expect(blocked).toEqual([]);
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
