/** What a query function returns: the expression, and the legend its grouping labels give. */
export interface Query {
  language: 'promql' | 'logql';
  expr: string;
  /** Grafana legend format, `{{label}}` per grouping label. */
  legend?: string;
}

interface Printable {
  toString(): string;
}

export function promQuery(expr: Printable | string, legendLabels: string[] = [], suffix = ''): Query {
  const legend = legendLabels.map((label) => `{{${label}}}`).join(' ') + suffix;
  return { language: 'promql', expr: expr.toString(), ...(legend ? { legend } : {}) };
}

export function logQuery(expr: string, legendLabels: string[] = []): Query {
  const legend = legendLabels.map((label) => `{{${label}}}`).join(' ');
  return { language: 'logql', expr, ...(legend ? { legend } : {}) };
}
