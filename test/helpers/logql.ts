/** Checks a LogQL expression by walking its lezer syntax tree: it parses, and reads the streams the configuration names. */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { intervalVariableOf, substituteIntervals } from './grafana-variables';

export interface LogqlSettings {
  clusterLabel: string | null;
  /** Stream labels the log shipper writes (namespace and controller labels of the Loki preset). */
  streamLabels: string[];
}

export interface LogqlReport {
  problems: string[];
  /** Labels a metric query's result keeps (its `by` labels); null for log queries and ungrouped metrics. */
  resultLabels: Set<string> | null;
}

/** The Matcher nodes under a node (a selector's matchers nest pairwise). */
function matchersOf(node: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === 'Matcher') found.push(child);
    else found.push(...matchersOf(child));
  }
  return found;
}

export function logqlParseProblems(text: string): string[] {
  const problems: string[] = [];
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) problems.push(`does not parse at offset ${node.from}: …${text.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
    },
  });
  return problems;
}

export function checkLogql(expr: string, settings: LogqlSettings): LogqlReport {
  const text = substituteIntervals(expr);
  const problems = logqlParseProblems(text);
  if (problems.length) return { problems, resultLabels: null };
  const tree = parser.parse(text);
  const source = (node: SyntaxNode) => text.slice(node.from, node.to);
  const allowed = new Set([...settings.streamLabels, ...(settings.clusterLabel ? [settings.clusterLabel] : [])]);
  let resultLabels: Set<string> | null = null;
  const extracted = new Set<string>();
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.name === 'LabelExtractionExpression') extracted.add(source(node.getChild('Identifier')!));
      if (node.name === 'Selector') {
        const labels = matchersOf(node).map((matcher) => ({
          label: source(matcher.getChild('Identifier')!),
          op: source(matcher.getChild('Identifier')!.nextSibling!),
          value: JSON.parse(source(matcher.getChild('String')!)) as string,
        }));
        for (const { label } of labels) if (!allowed.has(label)) problems.push(`stream label ${label} is not written by the configured Loki shipper in \`${source(node)}\``);
        const cluster = labels.filter((m) => m.label === settings.clusterLabel || m.label === 'cluster');
        if (settings.clusterLabel) {
          if (!cluster.some((m) => m.label === settings.clusterLabel && m.op === '=~' && m.value === '$cluster')) problems.push(`stream selector lacks ${settings.clusterLabel}=~"$cluster": \`${source(node)}\``);
        } else if (cluster.length) problems.push(`stream selector has a cluster matcher without a cluster label: \`${source(node)}\``);
      }
      if (node.name === 'Range') {
        const window = source(node.getChild('Duration') ?? node).replace(/^\[|\]$/g, '');
        const variable = intervalVariableOf(window);
        if (variable !== '__auto' && variable !== '__interval') problems.push(`LogQL range [${window}] is not $__auto or $__interval`);
      }
      if (node.name === 'VectorAggregationExpr' && node.parent?.parent?.name === 'Expr') {
        const grouping = node.getChild('Grouping');
        resultLabels = grouping ? new Set(grouping.getChild('Labels')?.getChildren('Identifier').map(source) ?? []) : new Set();
      }
    },
  });
  const grouped: Set<string> = resultLabels ?? new Set();
  for (const label of grouped) {
    if (!allowed.has(label) && !extracted.has(label)) problems.push(`sum by (${label}): neither a stream label nor a field the query extracts`);
  }
  if (/\[\s*\d/.test(expr)) problems.push(`fixed range window in \`${expr}\`: use $__auto`);
  return { problems, resultLabels };
}
