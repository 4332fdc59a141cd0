import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page and fails with a readable list. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const lines = results.violations.map((v) => {
    const first = v.nodes[0];
    const target = first ? first.target.join(' ') : '(no node)';
    const more = v.nodes.length > 1 ? ` (+${v.nodes.length - 1} more)` : '';
    return `- ${v.id} [${v.impact ?? 'n/a'}]: ${v.help} — ${target}${more}`;
  });
  expect(
    lines,
    `axe found ${lines.length} violation(s) on ${page.url()}:\n${lines.join('\n')}`,
  ).toEqual([]);
}

/** The page must not scroll sideways at the current viewport width. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(
    scrollWidth,
    `horizontal scroll on ${page.url()}: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`,
  ).toBeLessThanOrEqual(innerWidth);
}

/** Path plus query of the current URL, e.g. "/thu-tuc?q=khai+sinh". */
export function pathAndQuery(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}
