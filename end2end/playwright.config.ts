import { defineConfig } from '@playwright/test';

const PORT = process.env.MOTCUA_E2E_PORT || '3100';
const externalBaseURL = process.env.MOTCUA_E2E_BASE_URL;
const baseURL = externalBaseURL || `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1, // 2-core machine
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    launchOptions: {
      // Debian's chromium; `npx playwright install` cannot download browsers here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    // A small phone.
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'vi-VN',
  },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true } },
    { name: 'js-off', use: { javaScriptEnabled: false } },
  ],
  // Start our own server on a fresh database unless told to test an existing one.
  webServer: externalBaseURL
    ? undefined
    : {
        command: 'bash ./serve.sh',
        url: `http://127.0.0.1:${PORT}/healthz`,
        timeout: 120_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
