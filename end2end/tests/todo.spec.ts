import { test, expect } from '@playwright/test';
import { PASSWORD, act, daysFromToday, expectNoAxeViolations, fileApplication, openDossier, serverCommand, signIn, tickChecklist } from './helpers';

// A new clerk's day starts on the to-do list: counts of the work waiting, each a list soonest due
// first; a citizen found by phone number; back from a dossier, the same list.

test.describe('to-do', () => {
  test('the home page counts the work, opens it as a list and the way back keeps it', async ({ page, browser }, info) => {
    test.setTimeout(60_000);
    const { code, statusPath } = await fileApplication(page);
    const clerkName = `tiepnhan.viec${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    serverCommand(['create-admin', clerkName, 'Lê Thị Thu'], `${PASSWORD}\n`);
    const clerk = await signIn(browser, clerkName);
    await clerk.setViewportSize({ width: 1280, height: 800 });

    // The home page: five kinds of work, each with its count.
    const todo = clerk.getByRole('region', { name: 'Việc cần làm' });
    for (const name of ['Chờ tiếp nhận', 'Dân đã gửi bổ sung', 'Chờ trả kết quả', 'Sắp đến hạn', 'Quá hạn']) {
      await expect(todo.getByRole('link', { name: new RegExp(name) })).toBeVisible();
    }
    const waiting = todo.getByRole('link', { name: /Chờ tiếp nhận/ });
    expect(Number(await waiting.locator('.todo-count').textContent())).toBeGreaterThan(0);
    await expectNoAxeViolations(clerk);

    // The list: a table, soonest due first, with the new dossier in it.
    await waiting.click();
    await expect(clerk).toHaveURL(/trang-thai=1/);
    await expect(clerk).toHaveURL(/xep=han/);
    await expect(clerk.getByLabel('Sắp xếp')).toHaveValue('han');
    const table = clerk.locator('table.queue-table');
    await expect(table.getByRole('columnheader', { name: 'Hạn xử lý' })).toBeVisible();
    await expect(table.getByRole('link', { name: code })).toBeVisible();
    const dues = await table.locator('tbody tr td:nth-child(6)').allTextContents();
    const iso = dues.filter((d) => d.trim() !== '').map((d) => d.trim().slice(0, 10).split('/').reverse().join('-'));
    expect([...iso].sort()).toEqual(iso);
    await expectNoAxeViolations(clerk);

    // Into the dossier and back: the same list, not the whole queue.
    await table.getByRole('link', { name: code }).click();
    await clerk.getByRole('link', { name: '← Danh sách hồ sơ' }).click();
    await expect(clerk).toHaveURL(/trang-thai=1/);
    await expect(clerk).toHaveURL(/xep=han/);

    // A citizen at the counter gives a phone number: the search finds the dossier.
    await clerk.goto('/can-bo/ho-so');
    await clerk.getByLabel('Tìm theo mã hồ sơ hoặc tên người nộp').fill('0912 345 678');
    await clerk.getByRole('button', { name: 'Tìm' }).click();
    await expect(clerk.locator('table.queue-table').getByRole('link', { name: code })).toBeVisible();

    // A USB scanner reads the receipt's QR code and types its address: found by the code, and
    // the lookup key goes nowhere.
    await clerk.getByLabel('Tìm theo mã hồ sơ hoặc tên người nộp').fill(new URL(statusPath, clerk.url()).href);
    await clerk.getByRole('button', { name: 'Tìm' }).click();
    await expect(clerk.locator('table.queue-table').getByRole('link', { name: code })).toBeVisible();
    expect(clerk.url()).not.toContain('khoa');
  });

  test('accept and open the next; a supplement request ticks the missing papers from the list', async ({ page, browser }, info) => {
    test.setTimeout(90_000);
    const first = (await fileApplication(page)).code;
    await fileApplication(page);
    const clerkName = `tiepnhan.tiep${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
    serverCommand(['create-admin', clerkName, 'Lê Thị Thu'], `${PASSWORD}\n`);
    const clerk = await signIn(browser, clerkName);
    await clerk.setViewportSize({ width: 1280, height: 800 });
    await openDossier(clerk, first);
    const accept = clerk.locator('details.action', { has: clerk.locator('summary', { hasText: 'Tiếp nhận hồ sơ' }) });
    await accept.locator('summary').click();
    await tickChecklist(accept);
    await accept.getByRole('button', { name: 'Tiếp nhận và mở hồ sơ chờ tiếp nhận tiếp theo' }).click();
    // Another dossier waiting for intake is open, naming the one just accepted.
    await expect(clerk.getByRole('heading', { level: 1 })).not.toContainText(first);
    await expect(clerk.getByRole('status')).toContainText('Đã ghi: Tiếp nhận hồ sơ');
    await expect(clerk.getByRole('status').getByRole('link', { name: first })).toBeVisible();

    // Its papers are incomplete: the missing one is ticked in the procedure's list.
    let ticked = '';
    await act(clerk, 'Yêu cầu bổ sung giấy tờ', async (form) => {
      const list = form.locator('fieldset.picked-documents .choice');
      await expect(list).not.toHaveCount(0);
      ticked = ((await list.first().locator('label').textContent()) ?? '').trim();
      await list.first().getByRole('checkbox').check();
      await form.getByLabel('Hạn bổ sung').fill(daysFromToday(7).iso);
    });
    expect(ticked).not.toBe('');
    await expect(clerk.locator('section[aria-labelledby="qua-trinh"]')).toContainText(ticked);
  });
});
