/** One YAML document per file, written the same way on every run. */
import { Document, isPair, isScalar, isSeq, visit } from 'yaml';

/** No line folding, so long paths and help texts stay on one line. */
const yamlOptions = { lineWidth: 0, minContentWidth: 0, indent: 2 } as const;

/** Object paths (`[status, conditions, "[type=Ready]", status]`) read best on one line, as kube-state-metrics documents them. */
const flowKeys = new Set(['labelsFromPath', 'verbs']);

export function toYamlFile(value: unknown, headerComment: string): string {
  // Shared path arrays would otherwise become anchors and aliases.
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Seq(_, node, path) {
      const underFlowKey = path.some((ancestor) => isPair(ancestor) && isScalar(ancestor.key) && flowKeys.has(String(ancestor.key.value)));
      if (underFlowKey && node.items.every((item) => isScalar(item))) node.flow = true;
      return isSeq(node) ? undefined : visit.SKIP;
    },
  });
  document.commentBefore = headerComment
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');
  return document.toString(yamlOptions);
}
