import { test, expect } from '@playwright/test';
import { fileApplication, openDossier, PASSWORD, serverCommand, signIn, tickChecklist } from './helpers';

// The intake checklist of a dossier filed online: the clerk cannot accept it while a required
// item is unticked (the form comes back naming it); ticked whole, it is accepted and the ticks
// are in the dossier's history.

test('a clerk cannot accept a dossier while a required item of the checklist is unticked', async ({ page, browser }, info) => {
  test.setTimeout(60_000);
  const { code } = await fileApplication(page);
  const clerkName = `kiemtra.${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
  serverCommand(['create-admin', clerkName, 'Phạm Thị Kiểm'], `${PASSWORD}\n`);
  const clerk = await signIn(browser, clerkName);
  await openDossier(clerk, code);
  const accept = clerk.locator('details.action', { has: clerk.locator('summary', { hasText: 'Tiếp nhận hồ sơ' }) });
  await accept.locator('summary').click();
  await expect(accept.locator('fieldset.checklist legend')).toHaveText('Kiểm tra trước khi tiếp nhận');
  const required = accept.locator('fieldset.checklist .choice', { hasText: 'bắt buộc' });
  await expect(required).not.toHaveCount(0);

  // Everything but the first required item.
  await tickChecklist(accept);
  await required.first().locator('input[type=checkbox]').uncheck();
  await accept.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
  const refused = clerk.locator('details.action[open]', { has: clerk.locator('summary', { hasText: 'Tiếp nhận hồ sơ' }) });
  await expect(refused.locator('.error-summary')).toContainText('Chưa đánh dấu điều này');
  await expect(refused.locator('fieldset.checklist .has-error')).toHaveCount(1);
  await expect(clerk.locator('p.lead strong')).toHaveText('Mới đăng ký, chờ cán bộ kiểm tra');

  // Ticked whole: accepted, and the history keeps what was checked.
  await tickChecklist(refused);
  await refused.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
  await expect(clerk.getByRole('status')).toContainText('Đã ghi: Tiếp nhận hồ sơ');
  await expect(clerk.getByText(/Đã kiểm khi tiếp nhận: /)).toBeVisible();
});
