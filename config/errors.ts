/** The one error a configuration the build cannot use raises. */

/** A configuration the build cannot use; its message is one line naming the field, the value and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
