/** One YAML document per file, written the same way on every run. */
import { Document } from 'yaml';

/** No line folding and literal blocks, so embedded dashboard JSON keeps its exact bytes and stays readable. */
const yamlOptions = { lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', indent: 2 } as const;

export function toYamlFile(value: unknown, headerComment?: string): string {
  const document = new Document(value);
  if (headerComment) document.commentBefore = ` ${headerComment}`;
  return document.toString(yamlOptions);
}
