/**
 * Checks a LogQL expression by walking its lezer syntax tree: it parses, and reads the streams the configuration
 * names.
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import type { Config } from '../../config';
import { logsScope } from '../../queries/scope';
import { intervalVariableOf, parseLabelValues, substituteIntervals } from './grafana-variables';

export interface LogqlSettings {
  clusterLabel: string | null;
  /** Stream labels the log shipper writes (namespace and controller labels of the Loki preset). */
  streamLabels: string[];
  /** Labels the shipper writes as structured metadata: filterable after the selector, never in it. */
  structuredMetadata?: string[];
}

/** What the configuration says its log pipeline writes. */
export function lokiSettings(config: Config): LogqlSettings {
  const { loki } = logsScope(config);
  const inStream = loki.controllerLabelIn === 'stream';
  return {
    clusterLabel: config.clusterLabel,
    streamLabels: [loki.namespaceLabel, ...(inStream ? [loki.controllerLabel] : [])],
    structuredMetadata: inStream ? [] : [loki.controllerLabel],
  };
}

/** Loki's parser stages: each marks a line it cannot parse with `__error__`. */
const parserNodes = new Set(['JsonExpressionParser', 'LogfmtParser', 'LabelParser', 'LogfmtExpressionParser']);

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

function descendantNames(node: SyntaxNode): string[] {
  const names: string[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) names.push(child.name, ...descendantNames(child));
  return names;
}

export function logqlParseProblems(text: string): string[] {
  const problems: string[] = [];
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError)
        problems.push(
          `does not parse at offset ${node.from}: …${text.slice(Math.max(0, node.from - 20), node.from + 20)}…`,
        );
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
  const metadata = new Set(settings.structuredMetadata ?? []);
  let resultLabels: Set<string> | null = null;
  const extracted = new Set<string>();
  const filtered: string[] = [];
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      const identifier = () => source(node.getChild('Identifier')!);
      if (node.name === 'LabelExtractionExpression' || node.name === 'LabelFormatMatcher') extracted.add(identifier());
      if (node.name === 'Matcher' && node.parent?.name === 'LabelFilter') filtered.push(identifier());
      if (node.name === 'LogRangeExpr') {
        const stages = descendantNames(node);
        const errorDropped = /\|\s*__error__\s*=\s*""/.test(source(node));
        if (stages.some((name) => parserNodes.has(name)) && !errorDropped) {
          const advice = 'keeps lines it cannot parse (add | __error__="")';
          problems.push(`metric query over a parser stage ${advice}: \`${source(node)}\``);
        }
      }
      if (node.name === 'Selector') {
        const labels = matchersOf(node).map((matcher) => ({
          label: source(matcher.getChild('Identifier')!),
          op: source(matcher.getChild('Identifier')!.nextSibling!),
          value: JSON.parse(source(matcher.getChild('String')!)) as string,
        }));
        for (const { label } of labels) {
          const where = `\`${source(node)}\``;
          if (metadata.has(label)) {
            problems.push(
              `${label} is structured metadata, not a stream label: filter it after the selector in ${where}`,
            );
          } else if (!allowed.has(label)) {
            problems.push(`stream label ${label} is not written by the configured Loki shipper in ${where}`);
          }
        }
        const cluster = labels.filter((m) => m.label === settings.clusterLabel || m.label === 'cluster');
        if (settings.clusterLabel) {
          if (!cluster.some((m) => m.label === settings.clusterLabel && m.op === '=~' && m.value === '$cluster'))
            problems.push(`stream selector lacks ${settings.clusterLabel}=~"$cluster": \`${source(node)}\``);
        } else if (cluster.length)
          problems.push(`stream selector has a cluster matcher without a cluster label: \`${source(node)}\``);
      }
      if (node.name === 'Range') {
        const window = source(node.getChild('Duration') ?? node).replace(/^\[|\]$/g, '');
        const variable = intervalVariableOf(window);
        if (variable !== '__auto' && variable !== '__interval')
          problems.push(`LogQL range [${window}] is not $__auto or $__interval`);
      }
      if (node.name === 'VectorAggregationExpr' && node.parent?.parent?.name === 'Expr') {
        const grouping = node.getChild('Grouping');
        resultLabels = grouping
          ? new Set(grouping.getChild('Labels')?.getChildren('Identifier').map(source) ?? [])
          : new Set();
      }
    },
  });
  for (const label of filtered) {
    if (!allowed.has(label) && !metadata.has(label) && !extracted.has(label) && label !== '__error__') {
      problems.push(`label filter on ${label}: not a stream label, structured metadata or a field the query extracts`);
    }
  }
  const grouped: Set<string> = resultLabels ?? new Set();
  for (const label of grouped) {
    if (!allowed.has(label) && !extracted.has(label))
      problems.push(`sum by (${label}): neither a stream label nor a field the query extracts`);
  }
  if (/\[\s*\d/.test(expr)) problems.push(`fixed range window in \`${expr}\`: use $__auto`);
  return { problems, resultLabels };
}

/**
 * A small LogQL evaluator over log entries, standing in for Loki with the rules the dashboards depend on:
 * - the stream selector sees stream labels only; structured metadata is filterable after it, like any label;
 * - `| json` marks a line it cannot parse `__error__="JSONParserErr"`, and a metric query over any sample that
 *   still carries `__error__` fails as a whole (Loki: "pipeline error");
 * - `label_values` lists stream labels only, never structured metadata;
 * - a selector needs one matcher that does not match the empty value.
 * It knows the stages the dashboards use and refuses any other, so an unknown stage is an error, never a skip.
 */
export interface LokiEntry {
  line: string;
  stream: Record<string, string>;
  metadata: Record<string, string>;
}

export class LokiQueryError extends Error {
  override name = 'LokiQueryError';
}

type Op = '=' | '!=' | '=~' | '!~';
interface LabelMatcher { label: string; op: Op; value: string }

type Stage =
  | { type: 'line'; op: '|=' | '!=' | '|~' | '!~'; text: string }
  | { type: 'json'; fields: Record<string, string> }
  | { type: 'logfmt'; fields: Record<string, string> }
  | { type: 'lineFormat'; template: string }
  | { type: 'labels'; anyOf: LabelMatcher[] }
  | { type: 'format'; label: string; regex: RegExp; source: string; replacement: string };

const quotedString = '"((?:[^"\\\\]|\\\\.)*)"';
const unquote = (text: string) => JSON.parse(`"${text}"`) as string;
const matcherPattern = new RegExp(`^\\s*([A-Za-z_]\\w*)\\s*(=~|!~|!=|=)\\s*${quotedString}\\s*`);

/** Loki's label matching: regexes match the whole value; a missing label is the empty value. */
function matches(matcher: LabelMatcher, value: string | undefined): boolean {
  const actual = value ?? '';
  const positive = matcher.op === '=~' || matcher.op === '=';
  const regex = matcher.op === '=~' || matcher.op === '!~';
  // RE2's leading `(?i)` (case-insensitive), which JavaScript spells as a flag.
  const caseless = regex && matcher.value.startsWith('(?i)');
  const pattern = caseless ? matcher.value.slice('(?i)'.length) : matcher.value;
  const equal = regex ? new RegExp(`^(?:${pattern})$`, caseless ? 'i' : '').test(actual) : actual === matcher.value;
  return equal === positive;
}

function parseMatchers(text: string): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  let rest = text.trim();
  while (rest.length) {
    const m = matcherPattern.exec(rest);
    if (!m) throw new LokiQueryError(`cannot read the matchers at: ${rest}`);
    matchers.push({ label: m[1]!, op: m[2] as Op, value: unquote(m[3]!) });
    rest = rest.slice(m[0].length).replace(/^,\s*/, '');
  }
  return matchers;
}

function parseSelector(query: string): { matchers: LabelMatcher[]; rest: string } {
  const m = /^\s*\{([^}]*)\}\s*/.exec(query);
  if (!m) throw new LokiQueryError(`no stream selector in ${query}`);
  const matchers = parseMatchers(m[1]!);
  if (!matchers.some((matcher) => !matches(matcher, ''))) {
    const rule = 'queries require at least one regexp or equality matcher that does not have an empty-compatible value';
    throw new LokiQueryError(`${rule}: ${m[0]}`);
  }
  return { matchers, rest: query.slice(m[0].length) };
}

const stagePatterns: Array<[RegExp, (m: RegExpExecArray) => Stage]> = [
  [
    new RegExp(`^(\\|=|!=|\\|~|!~)\\s*${quotedString}\\s*`),
    (m) => ({ type: 'line', op: m[1] as '|=', text: unquote(m[2]!) }),
  ],
  [
    /^\|\s*json\s+((?:\w+="[^"]*"(?:,\s*)?)+)\s*/,
    (m) => {
      const fields = [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((field) => [field[1]!, field[2]!]);
      return { type: 'json', fields: Object.fromEntries(fields) };
    },
  ],
  [
    /^\|\s*logfmt\s+((?:\w+="[^"]*"(?:,\s*)?)+)\s*/,
    (m) => {
      const fields = [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((field) => [field[1]!, field[2]!]);
      return { type: 'logfmt', fields: Object.fromEntries(fields) };
    },
  ],
  [/^\|\s*line_format\s+`([^`]*)`\s*/, (m) => ({ type: 'lineFormat', template: m[1]! })],
  [
    /^\|\s*label_format\s+(\w+)=`\{\{ regexReplaceAll "((?:[^"\\]|\\.)*)" \.(\w+) "((?:[^"\\]|\\.)*)" \}\}`\s*/,
    (m) => ({
      type: 'format', label: m[1]!, regex: new RegExp(unquote(m[2]!), 'g'), source: m[3]!, replacement: unquote(m[4]!),
    }),
  ],
  [
    new RegExp(`^\\|((?:\\s*\\w+\\s*(?:=~|!~|!=|=)\\s*${quotedString}\\s*(?:or\\b)?)+)`),
    (m) => ({ type: 'labels', anyOf: m[1]!.split(/\s+or\s+/).map((part) => parseMatchers(part)[0]!) }),
  ],
];

/** The stream selector sees stream labels only: structured metadata is not there. */
const inSelector = (matchers: LabelMatcher[], entry: LokiEntry) =>
  matchers.every((matcher) => matches(matcher, entry.stream[matcher.label]));

function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  let rest = text.trim();
  while (rest.length) {
    const found = stagePatterns.map(([pattern, make]) => [pattern.exec(rest), make] as const).find(([m]) => m);
    if (!found) throw new LokiQueryError(`the evaluator does not know the stage at: ${rest}`);
    const [m, make] = found;
    stages.push(make(m!));
    rest = rest.slice(m![0].length).trim();
  }
  return stages;
}

/** A logfmt line's keys and values, quoted values unquoted; null when a token is no `key=value`. */
function logfmtPairs(line: string): Map<string, string> | null {
  const pairs = new Map<string, string>();
  const token = /\s*([^\s="]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)\s*/y;
  while (token.lastIndex < line.trimEnd().length) {
    const m = token.exec(line);
    if (!m) return null;
    pairs.set(m[1]!, m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!);
  }
  return pairs;
}

/**
 * The Go templates of `line_format` the dashboards write: `{{ .label }}` (a missing label prints nothing) and
 * `{{ if .label }}…{{ else }}…{{ end }}` without nesting; anything else is refused, never skipped.
 */
export function renderTemplate(template: string, labels: Record<string, string>): string {
  // `{{ if .x }}then{{ else }}otherwise{{ end }}`, the branches holding no other `if` or `end`.
  const branch = '((?:(?!\\{\\{ (?:if|end)).)*?)';
  const conditional = new RegExp(
    `\\{\\{ if \\.(\\w+) \\}\\}${branch}(?:\\{\\{ else \\}\\}${branch})?\\{\\{ end \\}\\}`,
    'g',
  );
  const branched = template.replace(conditional, (_, label: string, then: string, otherwise = '') =>
    (labels[label] ? then : otherwise));
  const printed = branched.replace(/\{\{ \.(\w+) \}\}/g, (_, label: string) => labels[label] ?? '');
  if (printed.includes('{{')) throw new LokiQueryError(`the evaluator does not know the template: ${template}`);
  return printed;
}

/** The entry's labels after the pipeline (stream labels, structured metadata, extracted), or undefined if dropped. */
function runStages(stages: Stage[], entry: LokiEntry): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...entry.stream, ...entry.metadata };
  for (const stage of stages) {
    if (stage.type === 'line') {
      const literal = stage.op === '|=' || stage.op === '!=';
      const found = literal ? entry.line.includes(stage.text) : new RegExp(stage.text).test(entry.line);
      if (found !== (stage.op === '|=' || stage.op === '|~')) return undefined;
    } else if (stage.type === 'json') {
      let object: unknown;
      try {
        object = JSON.parse(entry.line);
      } catch {
        labels.__error__ = 'JSONParserErr';
        continue;
      }
      for (const [label, field] of Object.entries(stage.fields)) {
        // A JSON expression's path: `a.b` reads the field b of the object a; numbers come out as their text.
        const value = field.split('.').reduce<unknown>(
          (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
          object,
        );
        if (typeof value === 'string' || typeof value === 'number') labels[label] = String(value);
      }
    } else if (stage.type === 'logfmt') {
      const pairs = logfmtPairs(entry.line);
      if (!pairs) labels.__error__ = 'LogfmtParserErr';
      for (const [label, field] of Object.entries(stage.fields)) {
        if (pairs?.has(field)) labels[label] = pairs.get(field)!;
      }
    } else if (stage.type === 'lineFormat') {
      labels.__line__ = renderTemplate(stage.template, labels);
    } else if (stage.type === 'format') {
      labels[stage.label] = (labels[stage.source] ?? '').replace(stage.regex, stage.replacement);
    } else if (!stage.anyOf.some((matcher) => matches(matcher, labels[matcher.label]))) return undefined;
  }
  return labels;
}

/** Each line kept: the entry, its labels, and the line shown (`line_format`'s, or the entry's own). */
export interface LogQueryLines {
  type: 'lines';
  lines: Array<{ entry: LokiEntry; labels: Record<string, string>; line: string }>;
}
export interface LogQueryCounts { type: 'counts'; counts: Map<string, number> }

/**
 * Runs a log query, or a metric query of the form `sum by (labels) (count_over_time(<log query> [range]))` over
 * one range holding every entry; counts are keyed by the grouping labels' values, `label=value` joined by `,`.
 */
export function runLogql(query: string, entries: readonly LokiEntry[]): LogQueryLines | LogQueryCounts {
  const metric = /^sum by \(([\w\s,]*)\) \(count_over_time\((.*) \[[^\]]+\]\)\)$/s.exec(query.trim());
  const logQuery = metric ? metric[2]! : query;
  const { matchers, rest } = parseSelector(logQuery);
  const stages = parseStages(rest);
  const lines = entries
    .filter((entry) => inSelector(matchers, entry))
    .flatMap((entry) => {
      const labels = runStages(stages, entry);
      if (!labels) return [];
      const { __line__: formatted, ...kept } = labels;
      return [{ entry, labels: kept, line: formatted ?? entry.line }];
    });
  if (!metric) return { type: 'lines', lines };
  const failed = lines.find(({ labels }) => labels.__error__);
  if (failed) {
    const series = JSON.stringify(failed.labels);
    throw new LokiQueryError(`pipeline error: '${failed.labels.__error__}' for series: '${series}'`);
  }
  const by = metric[1]!.split(',').map((label) => label.trim()).filter(Boolean);
  const counts = new Map<string, number>();
  for (const { labels } of lines) {
    const key = by.map((label) => `${label}=${labels[label] ?? ''}`).join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { type: 'counts', counts };
}

/** `label_values(selector, label)` as Loki answers it: the values of a stream label only. */
export function lokiLabelValues(query: string, entries: readonly LokiEntry[]): string[] {
  const parsed = parseLabelValues(query);
  if (!parsed) throw new LokiQueryError(`not a label_values query: ${query}`);
  const { matchers } = parseSelector(parsed.selector);
  const selected = entries.filter((entry) => inSelector(matchers, entry));
  const values = selected.flatMap((entry) => (parsed.label in entry.stream ? [entry.stream[parsed.label]!] : []));
  return [...new Set(values)].sort();
}
