/**
 * An instant evaluator of LogQL metric queries over timed Loki entries, walking the lezer-logql syntax tree: the metric
 * part the log alert rules use (count_over_time with offset, sum by, comparisons with a number, and/or/unless). The
 * log query inside each range runs in the evaluator of logql.ts, with Loki's rules (structured metadata is no stream
 * label; a metric query over a line a parser could not read fails). Anything else throws rather than being skipped.
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { logqlParseProblems, LokiQueryError, runLogql, type LokiEntry } from './logql';

export type Labels = Record<string, string>;
/** An entry as Loki stores it, and its time in seconds since the epoch. */
export interface TimedLokiEntry extends LokiEntry {
  ts: number;
}
export interface Sample {
  labels: Labels;
  value: number;
}

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function durationSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) throw new Error(`unsupported duration ${text}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0);
}

const key = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

class Evaluator {
  constructor(
    private readonly text: string,
    private readonly entries: readonly TimedLokiEntry[],
    private readonly at: number,
  ) {}

  private source = (node: SyntaxNode) => this.text.slice(node.from, node.to);
  private string = (node: SyntaxNode) => JSON.parse(this.source(node)) as string;

  private fail(node: SyntaxNode): never {
    throw new Error(`the evaluator does not know ${node.name}: ${this.source(node)}`);
  }

  metric(node: SyntaxNode): Sample[] | number {
    if (node.name === 'Expr' || (node.name === 'MetricExpr' && node.firstChild?.name === 'MetricExpr'))
      return this.metric(node.firstChild!);
    if (node.name !== 'MetricExpr') return this.fail(node);
    const inner = node.firstChild!;
    if (inner.name === 'RangeAggregationExpr') return this.rangeAggregation(inner);
    if (inner.name === 'VectorAggregationExpr') return this.vectorAggregation(inner);
    if (inner.name === 'BinOpExpr') return this.binOp(inner);
    if (inner.name === 'LiteralExpr') return Number(this.source(inner));
    return this.fail(inner);
  }

  private vector(node: SyntaxNode): Sample[] {
    const result = this.metric(node);
    if (typeof result === 'number') throw new Error(`expected a vector: ${this.source(node)}`);
    return result;
  }

  private rangeAggregation(node: SyntaxNode): Sample[] {
    const op = node.getChild('RangeOp')!;
    if (this.source(op) !== 'count_over_time') return this.fail(op);
    const range = node.getChild('LogRangeExpr')!;
    const window = durationSeconds(this.source(range.getChild('Range')!.getChild('Duration')!));
    const offsetNode = range.getChild('OffsetExpr');
    const offset = offsetNode ? durationSeconds(this.source(offsetNode.getChild('Duration')!)) : 0;
    const logQueryEnd = (range.getChild('PipelineExpr') ?? range.getChild('Selector')!).to;
    const logQuery = this.text.slice(range.from, logQueryEnd);
    const end = this.at - offset;
    const inWindow = this.entries.filter((entry) => entry.ts > end - window && entry.ts <= end);
    const result = runLogql(logQuery, inWindow);
    if (result.type !== 'lines') throw new Error(`not a log query: ${logQuery}`);
    const counts = new Map<string, Sample>();
    for (const { labels } of result.lines) {
      if (labels.__error__) {
        throw new LokiQueryError(`pipeline error: '${labels.__error__}' for series: '${JSON.stringify(labels)}'`);
      }
      const sample = counts.get(key(labels)) ?? { labels, value: 0 };
      sample.value++;
      counts.set(key(labels), sample);
    }
    return [...counts.values()];
  }

  private vectorAggregation(node: SyntaxNode): Sample[] {
    const op = this.source(node.getChild('VectorOp')!);
    const grouping = node.getChild('Grouping');
    if (grouping?.getChild('Without')) return this.fail(grouping);
    const labelList = grouping?.getChild('Labels');
    const by = labelList ? this.allIdentifiers(labelList) : [];
    const groups = new Map<string, Sample>();
    for (const sample of this.vector(node.getChild('MetricExpr')!)) {
      const labels = Object.fromEntries(
        by.flatMap((label) => (sample.labels[label] ? [[label, sample.labels[label]]] : [])),
      );
      const group = groups.get(key(labels));
      if (!group) groups.set(key(labels), { labels, value: op === 'count' ? 1 : sample.value });
      else if (op === 'sum') group.value += sample.value;
      else if (op === 'count') group.value += 1;
      else if (op === 'max') group.value = Math.max(group.value, sample.value);
      else if (op === 'min') group.value = Math.min(group.value, sample.value);
      else this.fail(node);
    }
    return [...groups.values()];
  }

  /** `by (a, b, c)` nests its identifiers pairwise. */
  private allIdentifiers(node: SyntaxNode): string[] {
    const nested = node.getChild('Labels');
    return [...(nested ? this.allIdentifiers(nested) : []), ...node.getChildren('Identifier').map(this.source)];
  }

  private binOp(node: SyntaxNode): Sample[] {
    const [left, right] = node.getChildren('Expr');
    const operator = left!.nextSibling!;
    const lhs = this.metric(left!);
    const rhs = this.metric(right!);
    if (['Gtr', 'Gte', 'Lss', 'Lte'].includes(operator.name)) {
      if (typeof lhs === 'number' || typeof rhs !== 'number') return this.fail(node);
      const keep = {
        Gtr: (v: number) => v > rhs,
        Gte: (v: number) => v >= rhs,
        Lss: (v: number) => v < rhs,
        Lte: (v: number) => v <= rhs,
      }[operator.name as 'Gtr'];
      return lhs.filter((sample) => keep(sample.value));
    }
    if (typeof lhs === 'number' || typeof rhs === 'number') return this.fail(node);
    const rightKeys = new Set(rhs.map((sample) => key(sample.labels)));
    if (operator.name === 'Unless') return lhs.filter((sample) => !rightKeys.has(key(sample.labels)));
    if (operator.name === 'And') return lhs.filter((sample) => rightKeys.has(key(sample.labels)));
    if (operator.name === 'Or')
      return [...lhs, ...rhs.filter((sample) => !lhs.some((l) => key(l.labels) === key(sample.labels)))];
    return this.fail(operator);
  }
}

/** The query's result at `at` (seconds) over the entries; throws on a query that does not parse or that Loki fails. */
export function evaluateLogql(expr: string, entries: readonly TimedLokiEntry[], at: number): Sample[] {
  const problems = logqlParseProblems(expr);
  if (problems.length) throw new Error(`LogQL does not parse: ${problems.join('; ')}`);
  const top = parser.parse(expr).topNode.firstChild!;
  const result = new Evaluator(expr, entries, at).metric(top);
  if (typeof result === 'number') throw new Error('a log alert query must return a vector');
  return result;
}
