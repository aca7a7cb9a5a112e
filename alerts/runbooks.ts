/**
 * The runbook pages (docs/runbooks/<alert>.md, shipped in the package) as a Grafana dashboard of their own: an index,
 * then one markdown text panel per alert of the configuration, each with the id `runbookPanelId` gives its name, so
 * the alerts' default `runbook_url` opens it in the Grafana the dashboards are delivered to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as text from '@grafana/grafana-foundation-sdk/text';
import { runbookFolder, runbookPage, runbooksDashboard } from '../model';
import { toJsonFile } from '../output';
import { durationText, everyAlert, runbookPanelId, type Alert, type AlertSet } from './alert';

const packageName = 'flux-dashboards';

/** The package's folder, found above this file in the source tree, in lib/ and in the bundled command alike. */
function packageRoot(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName)
      return folder;
    if (dirname(folder) === folder) throw new Error(`no ${packageName} package.json above ${import.meta.url}`);
  }
}

/** Where the runbook pages are, in this checkout or installed package. */
export const runbookPagesFolder = () => join(packageRoot(), runbookFolder);

/** The index page of the runbooks: how to read their placeholders. */
export const runbookIndexPage = 'README.md';

/** A page's text without its `# <alert>` title, which the panel carries. */
const body = (page: string) => page.replace(/^# [^\n]*\n+/, '');

/** The alert's runbook page; an alert without one is refused, naming the file to write. */
export function runbookText(alert: Alert, folder = runbookPagesFolder()): string {
  if (alert.runbook !== undefined) return alert.runbook;
  const path = join(folder, runbookPage(alert.name));
  if (!existsSync(path)) {
    const page = `${runbookFolder}/${runbookPage(alert.name)}`;
    throw new Error(`alert ${alert.name} has no runbook: write ${page} or give the alert \`runbook\``);
  }
  return readFileSync(path, 'utf8');
}

/** The index's table: each alert with its severity, `for` and summary, linking its panel. */
function indexTable(alerts: Alert[]): string {
  const rows = alerts.map(
    (alert) =>
      `| [${alert.name}](?viewPanel=${runbookPanelId(alert.name)}) | ${alert.severity} | ` +
      `${durationText(alert.for)} | ${alert.summary} |`,
  );
  return ['| alert | severity | for | what it means |', '|---|---|---|---|', ...rows].join('\n');
}

const indexHeight = 14;
/** Lines of markdown a panel's height in grid units shows, roughly. */
const linesPerUnit = 1.6;

/** The runbooks dashboard of the configuration's alerts, as Grafana's JSON model. */
export function runbooksDashboardJson(alerts: AlertSet, folder = runbookPagesFolder()) {
  const every = everyAlert(alerts);
  const ids = new Map<number, string>();
  for (const alert of every) {
    const id = runbookPanelId(alert.name);
    const other = ids.get(id);
    if (other && other !== alert.name)
      throw new Error(`alerts ${other} and ${alert.name} share runbook panel id ${id}: rename one`);
    ids.set(id, alert.name);
  }
  // The index page up to its list of pages, which links the repository's docs: the table below takes its place.
  const intro = body(readFileSync(join(folder, runbookIndexPage), 'utf8')).split('\n## ')[0]!;
  const builder = new dashboard.DashboardBuilder(runbooksDashboard.title)
    .uid(runbooksDashboard.uid)
    .description('What each Flux alert means and what to run: the runbook pages of flux-dashboards.')
    .tags(['flux'])
    .editable()
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .variables([])
    .withPanel(
      new text.PanelBuilder()
        .id(1)
        .title('Flux alert runbooks')
        .mode(text.TextMode.Markdown)
        .content(`${intro.trim()}\n\n${indexTable(every)}\n`)
        .gridPos({ x: 0, y: 0, w: 24, h: indexHeight }),
    );
  let y = indexHeight;
  for (const alert of every) {
    const content = body(runbookText(alert, folder));
    const h = Math.max(6, Math.ceil(content.split('\n').length / linesPerUnit) + 2);
    builder.withPanel(
      new text.PanelBuilder()
        .id(runbookPanelId(alert.name))
        .title(alert.name)
        .description(alert.summary)
        .mode(text.TextMode.Markdown)
        .content(content)
        .gridPos({ x: 0, y, w: 24, h }),
    );
    y += h;
  }
  return JSON.parse(JSON.stringify(builder.build())) as { uid: string; title: string; panels: unknown[] };
}

/** The runbooks dashboard as a dashboard file the packaging delivers like the others. */
export function runbooksDashboardFile(alerts: AlertSet, folder = runbookPagesFolder()) {
  return { ...runbooksDashboard, json: toJsonFile(runbooksDashboardJson(alerts, folder)) };
}
