/** The one JSON writer: 2-space JSON with a final newline, the same bytes on every run. */
export const toJsonFile = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
