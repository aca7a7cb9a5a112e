/** `doctor`'s findings as the lines a person reads: per dashboard, what draws, what is empty, why, and the fix. */
import type { DoctorReport, PanelFinding } from './doctor';

const minutes = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`);

function problemLines(panel: PanelFinding): string[] {
  const seen = new Set<string>();
  return panel.problems.flatMap((problem) => {
    const line = `      ${problem.reason}. Fix: ${problem.fix}`;
    if (seen.has(line)) return [];
    seen.add(line);
    return [line];
  });
}

function panelLines(panels: PanelFinding[], noun: string): string[] {
  const draws = panels.filter((panel) => panel.state === 'draws');
  const checked = panels.filter((panel) => panel.state !== 'unchecked');
  const lines = checked.length ? [`  ${draws.length} of ${checked.length} ${noun} draw`] : [];
  for (const panel of panels) {
    if (panel.state === 'empty') lines.push(`    EMPTY  ${panel.title}`, ...problemLines(panel));
    if (panel.state === 'not-on-this-release') {
      lines.push(`    n/a    ${panel.title}: not written by this Flux release`);
    }
  }
  const unchecked = panels.filter((panel) => panel.state === 'unchecked');
  if (unchecked.length) lines.push(`    ${unchecked.length} ${noun} read Loki: not checked (give --loki URL)`);
  return lines;
}

export function reportLines(report: DoctorReport, lokiUnchecked: boolean): string[] {
  const at = new Date(report.at * 1000).toISOString();
  const lines: string[] = [];
  for (const dashboard of report.dashboards) {
    if (!dashboard.panels.length) continue;
    lines.push(`${dashboard.title} (${dashboard.uid}), last ${minutes(dashboard.rangeSeconds)} before ${at}:`);
    lines.push(...panelLines(dashboard.panels, 'panels'));
  }
  lines.push('Alert rules:', ...panelLines(report.alerts, 'alerts').map((line) =>
    line.replace(/ draw$/, ' have their series')));
  for (const mismatch of report.mismatches) lines.push(`MISMATCH ${mismatch.message}. Fix: ${mismatch.fix}`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  if (lokiUnchecked) lines.push('note: the log panels were not checked: give --loki URL');
  lines.push(report.healthy ? 'OK: every panel the installation can fill has data'
    : 'PROBLEMS: some panels will be empty or the configuration does not match the data (see above)');
  return lines;
}
