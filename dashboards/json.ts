/** The dashboards as Grafana's classic dashboard JSON, with panel ids assigned. */

export type DashboardJson = Record<string, unknown> & { uid: string; title: string; panels: PanelJson[] };
export type PanelJson = Record<string, unknown> & {
  id?: number;
  type: string;
  panels?: PanelJson[];
  targets?: Array<Record<string, unknown>>;
};

interface Buildable {
  build(): unknown;
}

/**
 * The dashboard as plain JSON (the SDK's objects carry functions) with panel ids 1, 2, 3… in layout order, nested
 * row panels included.
 */
export function toDashboardJson(builder: Buildable): DashboardJson {
  const json = JSON.parse(JSON.stringify(builder.build())) as DashboardJson;
  let id = 0;
  const number = (panels: PanelJson[]) => {
    for (const panel of panels) {
      panel.id = ++id;
      if (panel.panels) number(panel.panels);
    }
  };
  number(json.panels ?? []);
  return json;
}
