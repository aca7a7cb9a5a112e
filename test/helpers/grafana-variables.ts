/** Substitutes Grafana's template variables in query text, as Grafana does before it sends a query. */
import { intervalsFor } from '../../fixtures/fleet/grafana';

/** A 3-hour dashboard, a full-width panel (1920 px), a 15 s scrape interval, drawn by Grafana's interval code. */
const staticDraw = intervalsFor({ from: 0, to: 3 * 3600 }, 1920, 15);

// Go's time.Duration.String(), which pkg/promlib/models/query.go writes `$__rate_interval` with (75 s: 1m15s).
function goDuration(seconds: number): string {
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return hours ? `${hours}h${minutes}m${rest}s` : minutes ? `${minutes}m${rest}s` : `${rest}s`;
}

/**
 * What Grafana puts in for its global interval variables in that draw. Loki's `$__auto` in a range query is the step,
 * `$__interval` (pkg/tsdb/loki/parse_query.go): the checks accept either there.
 */
export const intervalValues = {
  __rate_interval: goDuration(staticDraw.rateInterval),
  __range: `${staticDraw.range}s`,
  __interval: `${staticDraw.interval}s`,
  __auto: `${staticDraw.interval}s`,
} as const;

export type IntervalVariable = keyof typeof intervalValues;

/** The interval variable a duration Grafana substituted came from, if any. */
export function intervalVariableOf(duration: string): IntervalVariable | undefined {
  return (Object.keys(intervalValues) as IntervalVariable[]).find((name) => intervalValues[name] === duration);
}

interface VariableLike {
  name?: unknown;
  type?: unknown;
  includeAll?: unknown;
  allValue?: unknown;
  query?: unknown;
  current?: { value?: unknown } | null;
}

/**
 * The value each variable of the dashboard takes: All (its allValue, `.*`) where offered, else the current value;
 * datasource variables are not part of query text.
 */
export function variableValues(dashboard: object): Record<string, string> {
  const list = (((dashboard as { templating?: unknown }).templating as { list?: VariableLike[] } | undefined)?.list ??
    []) as VariableLike[];
  const values: Record<string, string> = {};
  for (const variable of list) {
    const name = String(variable.name);
    if (variable.type === 'datasource') continue;
    if (variable.includeAll && typeof variable.allValue === 'string') values[name] = variable.allValue;
    else if (typeof variable.current?.value === 'string') values[name] = variable.current.value;
    else if (variable.type === 'textbox' && typeof variable.query === 'string') values[name] = variable.query;
    else values[name] = '';
  }
  return values;
}

const reference = /\$\{(\w+)(?::\w+)?\}|\$([A-Za-z_]\w*)/g;

/**
 * Replaces `$name`, `${name}` and `${name:format}`. Interval variables always take `intervalValues`; any other name
 * must be in `values` (a query naming a variable its dashboard lacks is an error). `$1` (label_replace) is left alone.
 */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(reference, (_match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (name in intervalValues) return intervalValues[name as IntervalVariable];
    if (!(name in values))
      throw new Error(`query names variable $${name}, which the dashboard does not define: ${text}`);
    return values[name]!;
  });
}

/**
 * Only the interval variables substituted: selections stay `$cluster`, so checks can see which variable a matcher
 * uses.
 */
export function substituteIntervals(text: string): string {
  return text.replace(reference, (match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    return name in intervalValues ? intervalValues[name as IntervalVariable] : match;
  });
}

/** `label_values(selector, label)` split into its parts, or undefined for any other variable query. */
export function parseLabelValues(query: string): { selector: string; label: string } | undefined {
  const match = /^label_values\((.*),\s*([A-Za-z_]\w*)\)$/s.exec(query.trim());
  return match ? { selector: match[1]!, label: match[2]! } : undefined;
}
