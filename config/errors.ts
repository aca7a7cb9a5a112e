/** The one error a configuration the build cannot use raises. */

/** A configuration the build cannot use; its message is one line naming the field, the value and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Text for one terminal line: control and non-ASCII characters escaped, cut to `length` characters. */
export function escapedExcerpt(text: string, length = 60): string {
  const cut = text.length > length ? `${text.slice(0, length)}…` : text;
  return cut.replace(/[^\x20-\x7e…]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value of the user's in quotes, as a short escaped excerpt. */
export const quoted = (text: string) => `"${escapedExcerpt(text).replace(/"/g, '\\"')}"`;
