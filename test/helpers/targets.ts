/** Walks a built dashboard's panels, nested row panels included, and lists every query target with its panel. */

export interface PanelInfo {
  id: number | undefined;
  title: string;
  type: string;
  /** The datasource type the target (or, failing that, its panel) names: `prometheus`, `loki`… */
  datasourceType: string | undefined;
}

export interface TargetWithPanel {
  panel: PanelInfo;
  target: Record<string, unknown>;
}

interface PanelLike {
  id?: unknown;
  title?: unknown;
  type?: unknown;
  datasource?: { type?: unknown } | null;
  targets?: Array<Record<string, unknown>>;
  panels?: PanelLike[];
}

/** Every panel of the dashboard, rows and the panels inside collapsed rows included, in layout order. */
export function allPanels(dashboard: { panels?: unknown }): PanelLike[] {
  const result: PanelLike[] = [];
  const walk = (panels: PanelLike[] | undefined) => {
    for (const panel of panels ?? []) {
      result.push(panel);
      walk(panel.panels);
    }
  };
  walk(dashboard.panels as PanelLike[] | undefined);
  return result;
}

export function allTargets(dashboard: { panels?: unknown }): TargetWithPanel[] {
  return allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      const targetDatasource = target.datasource as { type?: unknown } | undefined;
      // A target's own datasource wins (a server-side expression among a panel's Prometheus queries).
      const datasourceType = targetDatasource?.type ?? panel.datasource?.type;
      return {
        panel: {
          id: typeof panel.id === 'number' ? panel.id : undefined,
          title: String(panel.title ?? ''),
          type: String(panel.type ?? ''),
          datasourceType: typeof datasourceType === 'string' ? datasourceType : undefined,
        },
        target,
      };
    }),
  );
}
