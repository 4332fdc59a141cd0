// Shared by the measuring scripts: starts an online application for 1.004884 (demo data) and
// fills in the applicant, leaving `page` on the documents step.
export async function openDocumentsStep(page, base) {
  await page.goto(`${base}/thu-tuc/1.004884/nop-truc-tuyen`);
  await page.getByRole('button', { name: 'Bắt đầu nộp hồ sơ' }).click();
  await page.getByLabel('Họ và tên', { exact: true }).fill('Nguyễn Thị Lan');
  await page.getByLabel('Số điện thoại di động').fill('0912345678');
  await page.getByLabel('Số căn cước (CCCD)').fill('001303004567');
  await page.getByLabel('Địa chỉ nơi ở').fill('Thôn Đông, xã Tân Lập');
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  await page.waitForURL(/giay-to$/);
}
