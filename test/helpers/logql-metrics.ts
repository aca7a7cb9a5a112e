/**
 * An instant evaluator of LogQL metric queries over timed log streams, walking the lezer-logql syntax tree: the part of
 * LogQL the log alert rules use (line filters, `json`, label filters, count_over_time with offset, sum by,
 * label_replace, comparisons with a number, and/or/unless). Anything else throws rather than being skipped.
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { logqlParseProblems } from './logql';

export type Labels = Record<string, string>;
export interface LogStream {
  labels: Labels;
  /** Seconds since the epoch, and the line as the shipper sent it. */
  entries: Array<{ ts: number; line: string }>;
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
const fullMatch = (regex: string, value: string) => new RegExp(`^(?:${regex})$`).test(value);

type LineStage = (line: string, labels: Labels) => Labels | undefined;

class Evaluator {
  constructor(
    private readonly text: string,
    private readonly streams: LogStream[],
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
    if (inner.name === 'LabelReplaceExpr') return this.labelReplace(inner);
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
    const matchers = this.matchers(range.getChild('Selector')!);
    const stages = this.pipeline(range.getChild('PipelineExpr'));
    const end = this.at - offset;
    const counts = new Map<string, Sample>();
    for (const stream of this.streams) {
      if (!matchers.every((matches) => matches(stream.labels))) continue;
      for (const entry of stream.entries) {
        if (entry.ts <= end - window || entry.ts > end) continue;
        let labels: Labels | undefined = { ...stream.labels };
        for (const stage of stages) if (labels) labels = stage(entry.line, labels);
        if (!labels) continue;
        const sample = counts.get(key(labels)) ?? { labels, value: 0 };
        sample.value++;
        counts.set(key(labels), sample);
      }
    }
    return [...counts.values()];
  }

  private matchers(selector: SyntaxNode): Array<(labels: Labels) => boolean> {
    const found: SyntaxNode[] = [];
    const walk = (n: SyntaxNode) => {
      for (let child = n.firstChild; child; child = child.nextSibling)
        child.name === 'Matcher' ? found.push(child) : walk(child);
    };
    walk(selector);
    return found.map((matcher) => this.labelMatcher(matcher));
  }

  private labelMatcher(matcher: SyntaxNode): (labels: Labels) => boolean {
    const name = this.source(matcher.getChild('Identifier')!);
    const op = this.source(matcher.getChild('Identifier')!.nextSibling!);
    const value = this.string(matcher.getChild('String')!);
    return (labels) => {
      const actual = labels[name] ?? '';
      if (op === '=') return actual === value;
      if (op === '!=') return actual !== value;
      if (op === '=~') return fullMatch(value, actual);
      if (op === '!~') return !fullMatch(value, actual);
      throw new Error(`unknown matcher operator ${op}`);
    };
  }

  private pipeline(node: SyntaxNode | null): LineStage[] {
    if (!node) return [];
    const stages: LineStage[] = [];
    const walk = (n: SyntaxNode) => {
      for (let child = n.firstChild; child; child = child.nextSibling) {
        if (child.name === 'PipelineExpr' || child.name === 'PipelineStage' || child.name === 'LineFilters')
          walk(child);
        else if (child.name === 'LineFilter') stages.push(this.lineFilter(child));
        else if (child.name === 'LabelParser' && this.source(child) === 'json') stages.push(this.json({}));
        else if (child.name === 'JsonExpressionParser') stages.push(this.json(this.jsonFields(child)));
        else if (child.name === 'LabelFilter') stages.push(this.labelFilter(child));
        else if (child.name !== 'Pipe') this.fail(child);
      }
    };
    walk(node);
    return stages;
  }

  private lineFilter(node: SyntaxNode): LineStage {
    const op = this.source(node.getChild('Filter')!);
    const value = this.string(node.getChild('String')!);
    const test = (line: string) => (op === '|=' || op === '!=' ? line.includes(value) : new RegExp(value).test(line));
    const keep = op === '|=' || op === '|~';
    if (!['|=', '!=', '|~', '!~'].includes(op)) this.fail(node);
    return (line, labels) => (test(line) === keep ? labels : undefined);
  }

  private jsonFields(node: SyntaxNode): Record<string, string> {
    const fields: Record<string, string> = {};
    const walk = (n: SyntaxNode) => {
      for (let child = n.firstChild; child; child = child.nextSibling) {
        if (child.name === 'LabelExtractionExpression')
          fields[this.source(child.getChild('Identifier')!)] = this.string(child.getChild('String')!);
        else walk(child);
      }
    };
    walk(node);
    return fields;
  }

  /** `json` with renames, or every top-level string field; a line that is not JSON gets `__error__`, as in Loki. */
  private json(fields: Record<string, string>): LineStage {
    return (line, labels) => {
      let object: Record<string, unknown>;
      try {
        object = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { ...labels, __error__: 'JSONParserErr' };
      }
      const wanted = Object.keys(fields).length
        ? Object.entries(fields)
        : Object.keys(object).map((k) => [k, k] as [string, string]);
      const extracted = Object.fromEntries(
        wanted.flatMap(([label, field]) => (typeof object[field] === 'string' ? [[label, object[field]]] : [])),
      );
      return { ...labels, ...extracted };
    };
  }

  private labelFilter(node: SyntaxNode): LineStage {
    const matcher = node.getChild('Matcher');
    if (!matcher) return this.fail(node);
    const matches = this.labelMatcher(matcher);
    return (_line, labels) => (matches(labels) ? labels : undefined);
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

  private labelReplace(node: SyntaxNode): Sample[] {
    const [destination, replacement, sourceLabel, regex] = node.getChildren('String').map(this.string);
    const pattern = new RegExp(`^(?:${regex})$`);
    return this.vector(node.getChild('MetricExpr')!).map((sample) => {
      const match = pattern.exec(sample.labels[sourceLabel!] ?? '');
      if (!match) return sample;
      const value = replacement!.replace(/\$(\d+)/g, (_m, group: string) => match[Number(group)] ?? '');
      return { value: sample.value, labels: { ...sample.labels, [destination!]: value } };
    });
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

/** The query's result at `at` (seconds) over the streams; throws on a query that does not parse. */
export function evaluateLogql(expr: string, streams: LogStream[], at: number): Sample[] {
  const problems = logqlParseProblems(expr);
  if (problems.length) throw new Error(`LogQL does not parse: ${problems.join('; ')}`);
  const top = parser.parse(expr).topNode.firstChild!;
  const result = new Evaluator(expr, streams, at).metric(top);
  if (typeof result === 'number') throw new Error('a log alert query must return a vector');
  return result;
}
