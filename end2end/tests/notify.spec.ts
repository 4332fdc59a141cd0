import { test, expect } from '@playwright/test';
import { act, expectNoAxeViolations, fileApplication, openDossier, PASSWORD, PROCEDURE, pushService, receivedMail, serverCommand, signIn } from './helpers';

// Telling the citizen without being asked (issue 20): the citizen asks for email when filing,
// a member of staff accepts the dossier, and the message arrives at the test server's SMTP
// server (serve.sh starts one, STARTTLS required) with the link that opens the lookup form
// with the code filled in.

test('a citizen who asked for email is told when the dossier is accepted', async ({ page, browser, baseURL }, info) => {
  test.setTimeout(90_000);
  const email = `lan.${info.project.name.replace(/\W/g, '')}.${Date.now() % 100000}@example.vn`;
  const { code, statusPath } = await fileApplication(page, { email });
  await expect(page.locator('dl').getByText('Thư điện tử (email) ở trên')).toBeVisible();

  // The status page says how the citizen is told, and offers to change it.
  await page.goto(statusPath);
  await expect(page.getByRole('heading', { name: 'Báo tin cho bạn' })).toBeVisible();
  await expectNoAxeViolations(page);

  const admin = `quantri.tin.${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
  serverCommand(['create-admin', admin, 'Lãnh đạo Trung tâm'], `${PASSWORD}\n`);
  const staff = await signIn(browser, admin);
  await openDossier(staff, code);
  await act(staff, 'Tiếp nhận hồ sơ');

  const subject = `Hồ sơ ${code} đã được tiếp nhận`;
  await expect.poll(() => receivedMail().filter((m) => m.subject === subject).length, { timeout: 20_000 }).toBe(1);
  const mail = receivedMail().find((m) => m.subject === subject)!;
  expect(mail.to).toBe(email);
  const link = `${baseURL}/tra-cuu?ma=${code}`;
  expect(mail.text).toContain(link);
  expect(mail.html).toContain(`href="${link}"`);
  // The first message told of the filing itself.
  expect(receivedMail().some((m) => m.subject === `Đã nhận hồ sơ ${code}` && m.to === email)).toBe(true);

  // The link opens the lookup form with the code filled in; the key is the citizen's to type.
  await page.goto(link);
  await expect(page.getByLabel('Mã hồ sơ')).toHaveValue(code);

  // Staff see the messages on the dossier's page.
  await openDossier(staff, code);
  await expect(staff.getByRole('heading', { name: 'Tin nhắn cho công dân' })).toBeVisible();
  await expect(staff.locator('table.messages')).toContainText('Đã tiếp nhận');
  await expect(staff.locator('table.messages')).toContainText('Đã gửi');
});

// Web push needs the browser's push service (Google's for Chromium), which cannot be reached
// from the test machine: the subscription and the encrypted message are tested against a local
// push service in server/tests/notifications_http.rs. Here: the offer shows only with
// JavaScript, and a phone that cannot subscribe is told so in words, the rest of the page intact.
test('the status page offers push only with JavaScript, and says so when the phone cannot', async ({ page, context }, info) => {
  const { statusPath } = await fileApplication(page);
  const offer = page.getByRole('button', { name: 'Báo cho tôi trên điện thoại này' });
  // Offered on the receipt, right after filing, and on the status page.
  await expect(offer).toHaveCount(info.project.use.javaScriptEnabled === false ? 0 : 1);
  await page.goto(statusPath);
  if (info.project.use.javaScriptEnabled === false) {
    await expect(offer).toHaveCount(0);
    await expect(page.locator('.push-offer')).toBeHidden();
    return;
  }
  await expect(offer).toBeVisible();
  await expectNoAxeViolations(page);
  // The service worker that shows messages installs under the site's content policy.
  const installed = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.register('/push-sw.js');
    await navigator.serviceWorker.ready;
    return registration.active?.scriptURL ?? '';
  });
  expect(installed).toMatch(/\/push-sw\.js$/);
  await context.grantPermissions(['notifications']);
  await offer.click();
  await expect(page.getByText('Điện thoại này chưa nhận thông báo được')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'Báo tin cho bạn' })).toBeVisible();
});

// The filing form offers this phone's browser where the browser can take push messages (with
// JavaScript off, never); the receipt then asks the phone for its permission.
test("the filing form offers this phone's browser only with JavaScript", async ({ page }, info) => {
  await page.goto(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen`);
  await page.getByRole('button', { name: 'Bắt đầu nộp hồ sơ' }).click();
  const thisBrowser = page.getByLabel('Thông báo trên trình duyệt của điện thoại này');
  if (info.project.use.javaScriptEnabled === false) {
    await expect(thisBrowser).toBeHidden();
    return;
  }
  await expect(thisBrowser).toBeVisible();
  await expectNoAxeViolations(page);
  await fileApplication(page, { push: true });
  await expect(page.getByText('Bạn đã chọn nhận tin trên trình duyệt của điện thoại này')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Báo cho tôi trên điện thoại này' })).toBeVisible();
});

// Subscribed from the receipt, the phone gets the next message, encrypted for it and signed.
// Chromium's own push service (Google's) cannot be reached from the test machine, so the one
// call the page makes to it, PushManager.subscribe, answers with the subscription of the local
// push service serve.sh started; the page's script, the service worker, the server's route, its
// worker, the encryption and the VAPID signature are the real ones, and the push service
// decrypts the message with an independent implementation.
test('a phone that subscribed on the receipt receives the decrypted message', async ({ page, context, browser, baseURL }, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, 'web push needs JavaScript');
  test.setTimeout(90_000);
  const push = pushService();
  await page.addInitScript((subscription) => {
    PushManager.prototype.subscribe = async () =>
      ({ endpoint: subscription.endpoint, toJSON: () => subscription }) as unknown as PushSubscription;
  }, push.subscription);
  await context.grantPermissions(['notifications']);
  const { code } = await fileApplication(page, { push: true });
  await page.getByRole('button', { name: 'Báo cho tôi trên điện thoại này' }).click();
  await expect(page.getByText('Bạn đã chọn nhận tin trên trình duyệt của điện thoại này')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Báo cho tôi trên điện thoại này' })).toHaveCount(0);

  const admin = `quantri.day.${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
  serverCommand(['create-admin', admin, 'Lãnh đạo Trung tâm'], `${PASSWORD}\n`);
  const staff = await signIn(browser, admin);
  await openDossier(staff, code);
  await act(staff, 'Tiếp nhận hồ sơ');

  const title = `Hồ sơ ${code} đã được tiếp nhận`;
  await expect.poll(async () => (await push.received()).filter((m) => m.payload?.title === title).length, { timeout: 20_000 }).toBe(1);
  const message = (await push.received()).find((m) => m.payload?.title === title);
  expect(message.error).toBeUndefined();
  expect(message['Content-Encoding']).toBe('aes128gcm');
  expect(message.vapid.sub).toBe('mailto:motcua@xa-thunghiem.gov.vn');
  expect(message.payload.url).toBe(`${baseURL}/tra-cuu?ma=${code}`);
});

// The admin rewrites the words of a kind of message and sees them filled in for a sample
// dossier before saving (a plain form: the same with JavaScript off). Each browser project
// edits its own kind, in English, which no other test sends.
test('the admin previews and saves the words of a message', async ({ browser }, info) => {
  const jsOff = info.project.use.javaScriptEnabled === false;
  const kind = jsOff ? 'Dừng xử lý' : 'Đã rút hồ sơ';
  const admin = `quantri.mau.${info.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
  serverCommand(['create-admin', admin, 'Lãnh đạo Trung tâm'], `${PASSWORD}\n`);
  const page = await signIn(browser, admin);
  await page.getByRole('link', { name: 'Mẫu tin báo cho người dân' }).click();
  await page.locator('ul.template-kinds li', { hasText: kind }).getByRole('link', { name: 'EN' }).click();
  await expect(page.getByText('Đang dùng mẫu có sẵn của chương trình.')).toBeVisible();
  await expectNoAxeViolations(page);

  const sms = page.getByLabel(/^Tin SMS/);
  await sms.fill('Application {code}: {nonsense}. See {link}');
  await page.getByRole('button', { name: 'Lưu mẫu' }).click();
  await expect(page.getByText('Có tên trong ngoặc nhọn không có trong danh sách chỗ trống').first()).toBeVisible();
  await expect(sms).toHaveValue('Application {code}: {nonsense}. See {link}');
  await expectNoAxeViolations(page);

  await sms.fill('Application {code} closed. See {link}');
  await page.getByRole('button', { name: 'Xem trước' }).click();
  const preview = page.locator('section.template-preview');
  await expect(preview).toContainText('Application 000.00.12.H56-261218-0001 closed. See ');
  await page.getByRole('button', { name: 'Lưu mẫu' }).click();
  await expect(page.getByText('Đã lưu mẫu. Tin gửi đi từ bây giờ dùng lời mới.')).toBeVisible();
  await expect(page.getByText('Đang dùng mẫu do quản trị viên sửa.')).toBeVisible();
  await expect(page.getByLabel(/^Tin SMS/)).toHaveValue('Application {code} closed. See {link}');

  await page.getByRole('button', { name: 'Dùng lại mẫu có sẵn' }).click();
  await expect(page.getByText('Đang dùng mẫu có sẵn của chương trình.')).toBeVisible();
});
