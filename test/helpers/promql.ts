/**
 * Checks a PromQL expression against the metric catalogue by walking its lezer syntax tree: it parses, names only
 * catalogued metrics and labels, reads counters through rate/irate/increase over Grafana's interval variables, and
 * selects clusters the way the configuration says. Each check reports problems as sentences, so tests can assert both
 * that our queries have none and that a bad query has the expected one.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { catalogue, definitionOf, labelsOf, type MetricName } from '../../model/catalogue';
import { recordedSeries } from '../../alerts/recording';
import { resolveConfig, type Flavor, type ObjectNamespaceLabel } from '../../config';
import { intervalVariableOf, substituteIntervals } from './grafana-variables';


/** The readiness metrics that belong to one flavour: no other flavour's query may read them. */
const readinessFlavorOf: Partial<Record<string, Flavor>> = {
  gotk_resource_info: 'kube-state-metrics',
  flux_resource_info: 'flux-operator',
};

export interface PromqlSettings {
  flavor: Flavor;
  clusterLabel: string | null;
  objectNamespaceLabel: ObjectNamespaceLabel;
  /** The recording rules are on: their series may be read (and only then). */
  recordingRules?: boolean;
}

export interface PromqlCheckOptions {
  /** The query lists clusters itself (the cluster variable): it must not select one. */
  listsClusters?: boolean;
  /** The text is a series selector (`label_values`), never evaluated: counters may stand bare. */
  seriesSelector?: boolean;
}

/** Labels a (sub)expression's series may carry; `exact` when an aggregation fixed them. `null`: unknown, accept any. */
type LabelSet = { kind: 'vector'; labels: Set<string> | null; exact: boolean } | { kind: 'scalar' };

const scalar: LabelSet = { kind: 'scalar' };
const vector = (labels: Iterable<string> | null, exact = false): LabelSet => ({
  kind: 'vector',
  labels: labels ? new Set(labels) : null,
  exact,
});

const histogramSeries = ['bucket', 'sum', 'count'] as const;
const counterFunctions = new Set(['rate', 'irate', 'increase']);
const rateFunctions = new Set(['rate', 'irate']);
const expressionNodes = new Set([
  'AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral', 'OffsetExpr', 'ParenExpr',
  'StepInvariantExpr', 'StringLiteral', 'SubqueryExpr', 'UnaryExpr', 'VectorSelector',
]);

/** The catalogued metric a series name belongs to (a histogram's `_bucket`/`_sum`/`_count` map back to it). */
export function resolveMetric(
  name: string,
): { metric: MetricName; series?: (typeof histogramSeries)[number] } | undefined {
  const definition = definitionOf(name);
  if (definition && definition.type !== 'histogram') return { metric: name as MetricName };
  for (const series of histogramSeries) {
    const base = name.endsWith(`_${series}`) ? name.slice(0, -series.length - 1) : undefined;
    if (base && definitionOf(base)?.type === 'histogram') return { metric: base as MetricName, series };
  }
  return undefined;
}

function isCounterSeries(name: string): boolean {
  const resolved = resolveMetric(name);
  if (!resolved) return name.endsWith('_total');
  return resolved.series !== undefined || catalogue[resolved.metric].type === 'counter';
}

const unquote = (literal: string) =>
  JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1)}"` : literal) as string;

export function parseProblems(expr: string): string[] {
  const problems: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError)
        problems.push(
          `does not parse at offset ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from + 20)}…`,
        );
    },
  });
  return problems;
}

/** The series the recording rules of these settings write, by name, with their labels. */
function recordedUnder(settings: PromqlSettings): Map<string, string[]> {
  const { flavor, clusterLabel, objectNamespaceLabel } = settings;
  const config = resolveConfig({ flavor, clusterLabel, objectNamespaceLabel, recordingRules: true });
  return new Map(recordedSeries(config).map((series) => [series.name, series.labels]));
}

class Analysis {
  readonly problems: string[] = [];
  private readonly recorded: Map<string, string[]>;

  constructor(
    private readonly text: string,
    private readonly settings: PromqlSettings,
    private readonly options: PromqlCheckOptions,
  ) {
    this.recorded = recordedUnder(settings);
  }

  private source(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private problem(node: SyntaxNode, message: string) {
    this.problems.push(`${message} (in \`${this.source(node).slice(0, 160)}\`)`);
  }

  private expressions(node: SyntaxNode | null): SyntaxNode[] {
    const children: SyntaxNode[] = [];
    for (let child = node?.firstChild ?? null; child; child = child.nextSibling) {
      if (expressionNodes.has(child.name)) children.push(child);
    }
    return children;
  }

  private labelNames(grouping: SyntaxNode | null): string[] {
    return grouping ? grouping.getChildren('LabelName').map((label) => this.source(label)) : [];
  }

  /** Checks that every label is among the expression's labels; says which are not. */
  private requireLabels(node: SyntaxNode, labels: string[], input: LabelSet, what: string) {
    if (input.kind === 'scalar') {
      if (labels.length) this.problem(node, `${what} ${labels.join(', ')} of a scalar`);
      return;
    }
    if (!input.labels) return;
    const missing = labels.filter((label) => !input.labels!.has(label));
    if (missing.length)
      this.problem(
        node,
        `${what} label(s) ${missing.join(', ')} that the series do not carry ` +
          `(they have ${[...input.labels].sort().join(', ')})`,
      );
  }

  labelsOf(node: SyntaxNode): LabelSet {
    switch (node.name) {
      case 'PromQL':
      case 'ParenExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'UnaryExpr':
      case 'SubqueryExpr': {
        const [inner] = this.expressions(node);
        return inner ? this.labelsOf(inner) : scalar;
      }
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        return scalar;
      case 'VectorSelector':
        return this.selector(node);
      case 'MatrixSelector':
        return this.matrix(node);
      case 'FunctionCall':
        return this.functionCall(node);
      case 'AggregateExpr':
        return this.aggregation(node);
      case 'BinaryExpr':
        return this.binary(node);
      default:
        this.problem(node, `unexpected syntax ${node.name}`);
        return vector(null);
    }
  }

  private selector(node: SyntaxNode): LabelSet {
    const identifier = node.getChild('Identifier');
    const matchers = node.getChild('LabelMatchers');
    const matched = (matchers?.getChildren('UnquotedLabelMatcher') ?? []).map((matcher) => ({
      label: this.source(matcher.getChild('LabelName')!),
      op: this.source(matcher.getChild('MatchOp')!),
      value: unquote(this.source(matcher.getChild('StringLiteral')!)),
    }));
    if (matchers?.getChild('QuotedLabelMatcher')) this.problem(node, 'quoted label names are not used by this package');
    this.clusterMatcher(node, matched);
    if (!identifier) {
      this.problem(node, 'selector without a metric name');
      return vector(null);
    }
    const name = this.source(identifier);
    const recorded = this.recorded.get(name);
    if (recorded) {
      if (!this.settings.recordingRules) this.problem(node, `${name} is recorded, but the recording rules are off`);
      const unknown = matched.map((m) => m.label).filter((label) => !recorded.includes(label));
      if (unknown.length) this.problem(node, `${name} has no label(s) ${unknown.join(', ')}: its rule drops them`);
      return vector(recorded);
    }
    const resolved = resolveMetric(name);
    if (!resolved) {
      this.problem(
        node,
        definitionOf(name)
          ? `histogram ${name} is read through its _bucket, _sum or _count series`
          : `metric ${name} is not in model/catalogue.ts`,
      );
      return vector(null);
    }
    const definition = catalogue[resolved.metric];
    if ('removed' in definition && this.settings.flavor !== 'legacy')
      this.problem(node, `${name} is no longer written by Flux: only the legacy flavour may read it`);
    const owner = readinessFlavorOf[resolved.metric];
    if (owner && owner !== this.settings.flavor) {
      this.problem(
        node,
        `the ${this.settings.flavor} flavour never reads ${resolved.metric}, the ${owner} flavour's readiness`,
      );
    }
    if (isCounterSeries(name) && !this.options.seriesSelector) this.counterContext(node, name);
    const labels = labelsOf(resolved.metric, this.settings);
    if (resolved.series === 'bucket') labels.push('le');
    const unknown = matched.map((m) => m.label).filter((label) => !labels.includes(label));
    if (unknown.length) this.problem(node, `${name} has no label(s) ${unknown.join(', ')} under this configuration`);
    return vector(labels);
  }

  private clusterMatcher(node: SyntaxNode, matched: Array<{ label: string; op: string; value: string }>) {
    const { clusterLabel } = this.settings;
    const clusterMatchers = matched.filter((m) => m.label === 'cluster' || m.label === clusterLabel);
    if (!clusterLabel || this.options.listsClusters) {
      if (clusterMatchers.length)
        this.problem(
          node,
          clusterLabel ? 'the cluster list must not select a cluster' : 'a cluster matcher without a cluster label',
        );
      return;
    }
    const ok =
      clusterMatchers.length === 1 &&
      clusterMatchers[0]!.label === clusterLabel &&
      clusterMatchers[0]!.op === '=~' &&
      clusterMatchers[0]!.value === '$cluster';
    if (!ok) this.problem(node, `selector lacks ${clusterLabel}=~"$cluster"`);
  }

  /** A counter (or histogram series) must be the range argument of rate/irate/increase. */
  private counterContext(node: SyntaxNode, name: string) {
    const matrix = node.parent?.name === 'MatrixSelector' ? node.parent : null;
    const call = matrix?.parent?.name === 'FunctionCallBody' ? matrix.parent.parent : null;
    const functionName = call?.name === 'FunctionCall' ? this.source(call.getChild('FunctionIdentifier')!) : undefined;
    if (!functionName || !counterFunctions.has(functionName))
      this.problem(node, `counter ${name} outside rate/irate/increase`);
  }

  private matrix(node: SyntaxNode): LabelSet {
    const [inner] = this.expressions(node);
    const duration = node.getChild('DurationExpr') ?? node.getChild('NumberDurationLiteralInDurationContext');
    const window = duration ? this.source(duration) : '';
    const call = node.parent?.name === 'FunctionCallBody' ? node.parent.parent : null;
    const functionName = call?.name === 'FunctionCall' ? this.source(call.getChild('FunctionIdentifier')!) : '';
    const variable = intervalVariableOf(window);
    if (rateFunctions.has(functionName) && variable !== '__rate_interval')
      this.problem(node, `${functionName} window [${window}] is not $__rate_interval`);
    else if (!variable) this.problem(node, `fixed window [${window}]: use $__rate_interval or $__range`);
    return inner ? this.labelsOf(inner) : vector(null);
  }

  private functionCall(node: SyntaxNode): LabelSet {
    const name = this.source(node.getChild('FunctionIdentifier')!);
    const args = this.expressions(node.getChild('FunctionCallBody'));
    const argLabels = args.map((arg) => this.labelsOf(arg));
    const firstVector = argLabels.find((labels) => labels.kind === 'vector') ?? vector([]);
    switch (name) {
      case 'label_replace': {
        const [input, destination, , sourceLabel] = argLabels;
        const literal = (index: number) =>
          args[index]?.name === 'StringLiteral' ? unquote(this.source(args[index]!)) : undefined;
        const [destinationName, sourceName] = [literal(1), literal(3)];
        if (
          !input ||
          input.kind !== 'vector' ||
          !destination ||
          !sourceLabel ||
          destinationName === undefined ||
          sourceName === undefined
        ) {
          this.problem(node, 'label_replace needs a vector and four string literals');
          return vector(null);
        }
        this.requireLabels(node, [sourceName], input, 'label_replace reads');
        return input.labels ? vector([...input.labels, destinationName], input.exact) : vector(null);
      }
      case 'histogram_quantile': {
        const input = argLabels[1] ?? vector(null);
        this.requireLabels(node, ['le'], input, 'histogram_quantile needs');
        if (input.kind === 'vector' && input.labels)
          return vector(
            [...input.labels].filter((label) => label !== 'le'),
            input.exact,
          );
        return vector(null);
      }
      case 'vector':
        return vector([], true);
      case 'scalar':
      case 'time':
        return scalar;
      default:
        return firstVector;
    }
  }

  private aggregation(node: SyntaxNode): LabelSet {
    const op = this.source(node.getChild('AggregateOp')!);
    const args = this.expressions(node.getChild('FunctionCallBody'));
    const inputs = args.map((arg) => this.labelsOf(arg));
    const input = inputs[inputs.length - 1] ?? vector(null);
    const modifier = node.getChild('AggregateModifier');
    const grouping = this.labelNames(modifier?.getChild('GroupingLabels') ?? null);
    const without = modifier?.getChild('Without') !== null && modifier?.getChild('Without') !== undefined;
    this.requireLabels(node, grouping, input, `${op} ${without ? 'without' : 'by'}`);
    if (input.kind === 'scalar') return scalar;
    if (['topk', 'bottomk', 'limitk', 'limit_ratio'].includes(op)) return input;
    const added = op === 'count_values' && args[0]?.name === 'StringLiteral' ? [unquote(this.source(args[0]))] : [];
    if (!modifier) return vector(added, true);
    if (without)
      return input.labels
        ? vector([...input.labels].filter((label) => !grouping.includes(label)).concat(added))
        : vector(null);
    return vector([...grouping, ...added], true);
  }

  private binary(node: SyntaxNode): LabelSet {
    const [lhsNode, rhsNode] = this.expressions(node);
    const lhs = lhsNode ? this.labelsOf(lhsNode) : vector(null);
    const rhs = rhsNode ? this.labelsOf(rhsNode) : vector(null);
    const setOperator = ['And', 'Or', 'Unless'].find((name) => node.getChild(name));
    if (lhs.kind === 'scalar' && rhs.kind === 'scalar') return scalar;
    if (lhs.kind === 'scalar') return rhs;
    if (rhs.kind === 'scalar') return lhs;
    const matching = node.getChild('MatchingModifierClause');
    const groupings = matching?.getChildren('GroupingLabels') ?? [];
    const matchLabels = this.labelNames(groupings[0] ?? null);
    const extraLabels = this.labelNames(groupings[1] ?? null);
    if (matching?.getChild('On')) {
      this.requireLabels(node, matchLabels, lhs, 'on() matches left-hand');
      this.requireLabels(node, matchLabels, rhs, 'on() matches right-hand');
    } else if (matching?.getChild('Ignoring')) {
      const union = lhs.labels && rhs.labels ? vector([...lhs.labels, ...rhs.labels]) : vector(null);
      this.requireLabels(node, matchLabels, union, 'ignoring() names');
    } else if (!setOperator && lhs.exact && rhs.exact && lhs.labels && rhs.labels) {
      const same = lhs.labels.size === rhs.labels.size && [...lhs.labels].every((label) => rhs.labels!.has(label));
      if (!same)
        this.problem(
          node,
          `one-to-one match of series grouped differently: (${[...lhs.labels]}) vs (${[...rhs.labels]})`,
        );
    }
    if (matching?.getChild('GroupLeft')) {
      this.requireLabels(node, extraLabels, rhs, 'group_left copies right-hand');
      return lhs.labels ? vector([...lhs.labels, ...extraLabels], lhs.exact) : vector(null);
    }
    if (matching?.getChild('GroupRight')) {
      this.requireLabels(node, extraLabels, lhs, 'group_right copies left-hand');
      return rhs.labels ? vector([...rhs.labels, ...extraLabels], rhs.exact) : vector(null);
    }
    if (setOperator === 'Or') {
      return lhs.labels && rhs.labels
        ? vector([...lhs.labels].filter((label) => rhs.labels!.has(label)))
        : vector(null);
    }
    return lhs;
  }
}

export interface PromqlReport {
  problems: string[];
  /** Labels every result series carries; null when the check could not tell. */
  resultLabels: Set<string> | null;
}

/**
 * Checks an expression as written in a dashboard (with `$__rate_interval`, `$cluster`…). Parsing is checked on the
 * interval-substituted text; the label and window checks read the same tree.
 */
export function checkPromql(expr: string, settings: PromqlSettings, options: PromqlCheckOptions = {}): PromqlReport {
  const text = substituteIntervals(expr);
  const problems = parseProblems(text);
  if (problems.length) return { problems, resultLabels: null };
  if (/\[\s*\d/.test(expr)) problems.push(`fixed range window in \`${expr}\`: use $__rate_interval or $__range`);
  const analysis = new Analysis(text, settings, options);
  const result = analysis.labelsOf(parser.parse(text).topNode);
  return {
    problems: [...problems, ...analysis.problems],
    resultLabels: result.kind === 'vector' ? result.labels : new Set(),
  };
}

/** The `{{label}}` references of a legend format. */
export function legendLabels(legend: string): string[] {
  return [...legend.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)].map((match) => match[1]!);
}
