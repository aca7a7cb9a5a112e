/**
 * Grafana's side of a Grafana-managed rule over instant query results: which series the rule's condition fires for.
 * Only the expressions the build emits are known (math of is_number / is_nan / is_inf of one query joined by ||);
 * anything else throws, so a change to the emitted rules cannot pass unevaluated.
 */
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';

const functions: Record<string, (value: number) => boolean> = {
  is_number: (value) => Number.isFinite(value),
  is_nan: (value) => Number.isNaN(value),
  is_inf: (value) => value === Infinity || value === -Infinity,
};

/** The refId of the query the condition reads, and whether a value of it makes the condition true. */
export function conditionOf(rule: alerting.Rule): { ref: string; fires: (value: number) => boolean } {
  const condition = rule.data.find((query) => query.refId === rule.condition);
  const model = condition?.model as unknown as { type?: string; expression?: string } | undefined;
  if (condition?.datasourceUid !== '__expr__' || model?.type !== 'math' || !model.expression) {
    throw new Error(`${rule.title}: condition ${rule.condition} is not a math expression`);
  }
  const terms = model.expression.split('||').map((term) => /^\s*(\w+)\(\$(\w+)\)\s*$/.exec(term));
  if (terms.some((term) => !term || !functions[term[1]!]) || new Set(terms.map((term) => term![2])).size !== 1) {
    throw new Error(`${rule.title}: the evaluator does not know ${model.expression}`);
  }
  return { ref: terms[0]![2]!, fires: (value) => terms.some((term) => functions[term![1]!]!(value)) };
}

/** The PromQL (or LogQL) of the query a condition reads. */
export function queryExprOf(rule: alerting.Rule, ref: string): string {
  const model = rule.data.find((query) => query.refId === ref)?.model as unknown as
    { expr?: string; instant?: boolean } | undefined;
  if (!model?.expr || model.instant !== true)
    throw new Error(`${rule.title}: query ${ref} is not an instant query with an expression`);
  return model.expr;
}
