/**
 * The series families a query reads, found in its syntax tree: each vector selector's metric and the matchers that do
 * not depend on a dashboard variable (those are the user's choice of the moment, not the installation's). A family
 * also says who writes it (the catalogue's source), so an empty one can be blamed on the piece that is missing.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { parser as logParser } from '@grafana/lezer-logql';
import type { SyntaxNodeRef } from '@lezer/common';
import { definitionOf, type MetricSource } from '../model/catalogue';

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Where a family comes from: a catalogued source, the recording rules, or the Loki log pipeline. */
export type FamilySource = MetricSource | 'recording-rule' | 'loki';

export interface SeriesFamily {
  /** The metric (a histogram's `_bucket` as written), or the log stream selector's labels for Loki. */
  metric: string;
  /** The catalogued metric it belongs to (`gotk_reconcile_duration_seconds` for its `_bucket`). */
  catalogued?: string;
  matchers: Matcher[];
  /** Every label a matcher names, those compared with a variable too (`cluster=~"$cluster"`). */
  labels: string[];
  source: FamilySource;
}

const histogramSuffixes = ['_bucket', '_sum', '_count'];

/** The catalogued metric of a series name (a histogram's `_bucket`/`_sum`/`_count` map back to it). */
export function cataloguedMetricOf(name: string): string | undefined {
  if (definitionOf(name)) return name;
  for (const suffix of histogramSuffixes) {
    const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
    if (base && definitionOf(base)?.type === 'histogram') return base;
  }
  return undefined;
}

const unquote = (literal: string) =>
  JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal.startsWith('`')
    ? JSON.stringify(literal.slice(1, -1)) : literal) as string;

/** Grafana variables (`$cluster`, `${namespace}`): a matcher naming one is left out. */
const usesVariable = (value: string) => /\$(\w+|\{[^}]+\})/.test(value);

/** Variables whose value the installation fixes (the Flux namespace), by name: put in, not left out. */
export type FixedVariables = Record<string, string>;

const substituted = (value: string, fixed: FixedVariables) =>
  value.replace(/\$(\w+)|\$\{(\w+)\}/g,
    (whole, bare?: string, braced?: string) => fixed[bare ?? braced ?? ''] ?? whole);

function matchersUnder(
  node: SyntaxNodeRef, text: string, matcherNode: string, labels: string[], fixed: FixedVariables,
): Matcher[] {
  const matchers: Matcher[] = [];
  const cursor = node.node.cursor();
  cursor.iterate((child) => {
    if (child.name !== matcherNode) return undefined;
    const label = child.node.getChild('LabelName') ?? child.node.getChild('Identifier');
    const op = child.node.getChild('MatchOp') ?? child.node.getChild('Eq') ?? child.node.getChild('Neq') ??
      child.node.getChild('Re') ?? child.node.getChild('Nre');
    const value = child.node.getChild('StringLiteral') ?? child.node.getChild('String');
    if (!label || !op || !value) return false;
    const matcher = {
      label: text.slice(label.from, label.to),
      op: text.slice(op.from, op.to) as Matcher['op'],
      value: substituted(unquote(text.slice(value.from, value.to)), fixed),
    };
    labels.push(matcher.label);
    if (!usesVariable(matcher.value)) matchers.push(matcher);
    return false;
  });
  return matchers;
}

/**
 * The families a PromQL expression reads. `recorded` names the recording rules' series, which are read from the
 * rules rather than from a scrape.
 */
export function promqlFamilies(
  expr: string, recorded: ReadonlySet<string> = new Set(), fixed: FixedVariables = {},
): SeriesFamily[] {
  const families: SeriesFamily[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') return undefined;
      const identifier = node.node.getChild('Identifier');
      const metric = identifier ? expr.slice(identifier.from, identifier.to) : '';
      const labels: string[] = [];
      const matchers = matchersUnder(node, expr, 'UnquotedLabelMatcher', labels, fixed);
      const catalogued = cataloguedMetricOf(metric);
      const source: FamilySource = recorded.has(metric)
        ? 'recording-rule' : (catalogued ? definitionOf(catalogued)!.source : 'prometheus');
      families.push({ metric, ...(catalogued ? { catalogued } : {}), matchers, labels, source });
      return false;
    },
  });
  return families;
}

/** The stream selector matchers of a LogQL expression, as one family per selector. */
export function logqlFamilies(expr: string, fixed: FixedVariables = {}): SeriesFamily[] {
  const families: SeriesFamily[] = [];
  logParser.parse(expr).iterate({
    enter: (node) => {
      if (node.name !== 'Selector') return undefined;
      const labels: string[] = [];
      const matchers = matchersUnder(node, expr, 'Matcher', labels, fixed);
      families.push({ metric: '{}', matchers, labels, source: 'loki' });
      return false;
    },
  });
  return families;
}

/** The family as a PromQL selector: `up{container="manager"}`. */
export function selectorOf(family: Pick<SeriesFamily, 'metric' | 'matchers'>, extra: Matcher[] = []): string {
  const matchers = [...family.matchers, ...extra].map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`);
  return `${family.metric}{${matchers.join(',')}}`;
}

/** One key per distinct family, to ask Prometheus once for each. */
export const familyKey = (family: SeriesFamily) => `${family.source}|${selectorOf(family)}`;
