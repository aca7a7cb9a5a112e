/**
 * The preview page: a scene (../scene.ts) drawn as Grafana lays out a dashboard, every panel in Grafana's PanelChrome
 * and drawn by its @grafana/ui component. The driver (../browser.ts) calls `drawScene` and waits for `ready`.
 */
import '@fontsource/inter/latin-400.css';
import '@fontsource/inter/latin-500.css';
import * as data from '@grafana/data';
import type { GrafanaTheme2 } from '@grafana/data';
import { GlobalStyles, PanelChrome, ThemeContext } from '@grafana/ui';
import { Component, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { gridBox, type Scene, type ScenePanel } from '../scene';
import { NoData, panelComponents } from './panels';

declare global {
  interface Window {
    drawScene(scene: Scene): Promise<void>;
  }
}

/** Grafana's PanelChrome header is 32 px high (theme.spacing.gridSize * 4). */
class PanelBoundary extends Component<{ children: ReactNode }, { error?: string }> {
  override state: { error?: string } = {};
  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  override render() {
    if (this.state.error !== undefined)
      return (
        <div className="preview-error" data-panel-error={this.state.error}>
          {this.state.error}
        </div>
      );
    return this.props.children;
  }
}

function RowHeader({ panel, theme }: { panel: ScenePanel; theme: GrafanaTheme2 }) {
  const collapsed = panel.row?.collapsed === true;
  const count = panel.row?.panels ?? 0;
  return (
    <div className="preview-row" style={{ color: theme.colors.text.primary, fontSize: theme.typography.h5.fontSize }}>
      {/* Drawn, not a glyph: no system font decides how it looks. */}
      <svg className="preview-row-chevron" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
        <path d={collapsed ? 'M3 1 L8 5 L3 9 Z' : 'M1 3 L9 3 L5 8 Z'} fill="currentColor" />
      </svg>
      <span className="preview-row-title">{panel.title}</span>
      {collapsed && (
        <span className="preview-row-count" style={{ color: theme.colors.text.secondary }}>
          ({count} {count === 1 ? 'panel' : 'panels'})
        </span>
      )}
    </div>
  );
}

function Placeholder({ panel, theme }: { panel: ScenePanel; theme: GrafanaTheme2 }) {
  return (
    <div
      className="preview-placeholder"
      data-placeholder={panel.placeholder?.reason}
      style={{ borderColor: theme.colors.border.medium, color: theme.colors.text.secondary }}
    >
      <strong>Not drawn in this preview</strong>
      <span>{panel.placeholder?.reason}</span>
    </div>
  );
}

function PanelContent(props: { panel: ScenePanel; theme: GrafanaTheme2; width: number; height: number; scene: Scene }) {
  const { panel, theme, width, height, scene } = props;
  if (panel.placeholder) return <Placeholder panel={panel} theme={theme} />;
  if (panel.error !== undefined) return <NoData panel={panel} />;
  const Drawn = panelComponents[panel.type]!;
  const from = data.dateTime(scene.timeRange.from);
  const to = data.dateTime(scene.timeRange.to);
  const timeRange = { from, to, raw: { from: 'now-30m', to: 'now' } };
  return <Drawn panel={panel} theme={theme} width={width} height={height} timeRange={timeRange} />;
}

function Dashboard({ scene, theme }: { scene: Scene; theme: GrafanaTheme2 }) {
  const boxes = scene.panels.map((panel) => gridBox(panel.gridPos, scene.width));
  const height = Math.max(0, ...boxes.map((box) => box.top + box.height));
  return (
    <div className="preview-dashboard" style={{ width: scene.width }}>
      <header className="preview-header">
        <h1 style={{ fontSize: theme.typography.h4.fontSize }}>{scene.title}</h1>
        <div className="preview-variables">
          {scene.variables.map(({ label, value }) => (
            <span key={label} className="preview-variable" style={{ borderColor: theme.colors.border.medium }}>
              <span style={{ color: theme.colors.text.secondary }}>{label}</span> {value || ' '}
            </span>
          ))}
          <span className="preview-variable" style={{ borderColor: theme.colors.border.medium }}>
            Last 30 minutes (UTC)
          </span>
        </div>
      </header>
      <div className="preview-grid" style={{ height }}>
        {scene.panels.map((panel, index) => {
          const box = boxes[index]!;
          return (
            <div
              key={`${panel.id}-${index}`}
              className="preview-panel"
              data-panel-title={panel.title}
              data-panel-type={panel.type}
              data-panel-state={panel.placeholder ? 'placeholder' : panel.error !== undefined ? 'error' : 'drawn'}
              data-panel-problem={panel.error}
              style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
            >
              {panel.row ? (
                <RowHeader panel={panel} theme={theme} />
              ) : (
                <PanelChrome
                  width={box.width}
                  height={box.height}
                  title={panel.title}
                  statusMessage={panel.error}
                  description={undefined}
                >
                  {(innerWidth, innerHeight) => (
                    <div className="preview-content" style={{ width: innerWidth, height: innerHeight }}>
                      <PanelBoundary>
                        <PanelContent
                          panel={panel} theme={theme} width={innerWidth} height={innerHeight} scene={scene}
                        />
                      </PanelBoundary>
                    </div>
                  )}
                </PanelChrome>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

const root = createRoot(document.getElementById('root')!);

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

window.drawScene = async (scene: Scene) => {
  const theme = data.createTheme({ colors: { mode: scene.theme } });
  document.body.style.background = theme.colors.background.canvas;
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <Dashboard scene={scene} theme={theme} />
    </ThemeContext.Provider>,
  );
  await document.fonts.ready;
  // uPlot and the table measure and draw after React commits: a few frames let them settle.
  for (let frame = 0; frame < 5; frame++) await nextFrame();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await nextFrame();
};
