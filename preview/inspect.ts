/** What each panel of a drawn scene shows, read back from the page: the browser test's view of a dashboard. */
import type { Page } from 'playwright-core';

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface ShownPanel {
  title: string;
  type: string;
  /** `drawn`, `placeholder` (a type no component draws) or `error` (a query or transformation failed). */
  state: string;
  problem?: string;
  /** An error a component threw while drawing. */
  thrown?: string;
  placeholder?: string;
  /** The panel's "no data" text, when it shows one. */
  noData?: string;
  box: Box;
  /** Elements of the panel drawn outside its box (outside any scrolling table or legend). */
  overflowing: string[];
  /** The table's column headers, in order. */
  headers: string[];
  tableRows: number;
  /** The stat's figures. */
  figures: string[];
  /** A uPlot canvas was drawn. */
  plotted: boolean;
  legend?: { box: Box; items: string[]; scrollWidth: number; clientWidth: number };
}

/** Reads every panel of the drawn page. */
export function shownPanels(page: Page): Promise<ShownPanel[]> {
  return page.evaluate(() => {
    const boxOf = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    };
    const inside = (inner: { left: number; top: number; right: number; bottom: number }, outer: typeof inner) =>
      inner.left >= outer.left - 1 && inner.top >= outer.top - 1 && inner.right <= outer.right + 1 &&
      inner.bottom <= outer.bottom + 1;
    return [...document.querySelectorAll<HTMLElement>('.preview-panel')].map((element) => {
      const box = boxOf(element);
      const legendElement = element.querySelector('[data-testid="data-testid viz-layout-legend"]');
      // Rows of a table and items of a legend may scroll inside their own box, as in Grafana.
      const scrolling = '[role="grid"], [data-testid="data-testid viz-layout-legend"]';
      const scrolls = (candidate: Element) => Boolean(candidate.parentElement?.closest(scrolling));
      const overflowing = [...element.querySelectorAll('*')]
        .filter((candidate) => !scrolls(candidate))
        .filter((candidate) => {
          const rect = candidate.getBoundingClientRect();
          return rect.width > 0 && rect.height > 0 && !inside(boxOf(candidate), box);
        })
        .map((candidate) => `${candidate.tagName.toLowerCase()}: ${candidate.textContent?.slice(0, 40)}`);
      return {
        title: element.dataset.panelTitle ?? '',
        type: element.dataset.panelType ?? '',
        state: element.dataset.panelState ?? '',
        problem: element.dataset.panelProblem,
        thrown: element.querySelector('[data-panel-error]')?.getAttribute('data-panel-error') ?? undefined,
        placeholder: element.querySelector('[data-placeholder]')?.getAttribute('data-placeholder') ?? undefined,
        noData: element.querySelector('[data-no-data]')?.textContent ?? undefined,
        box,
        overflowing,
        headers: [...element.querySelectorAll('[role="columnheader"]')].map((header) => header.textContent ?? ''),
        tableRows: Math.max(0, element.querySelectorAll('[role="row"]').length - 1),
        figures: [...element.querySelectorAll('.preview-figure')]
          .map((figure) => figure.textContent ?? ''),
        plotted: element.querySelector('.uplot canvas') !== null,
        legend: legendElement
          ? {
              box: boxOf(legendElement),
              // One series icon per item, in list and table legends alike.
              items: [...legendElement.querySelectorAll('[data-testid="series-icon"]')].map(
                (icon) => icon.closest('tr, [data-testid^="data-testid VizLegend series"]')?.textContent ?? '',
              ),
              scrollWidth: legendElement.scrollWidth,
              clientWidth: legendElement.clientWidth,
            }
          : undefined,
      };
    });
  });
}
