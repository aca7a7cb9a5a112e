/** The fenced block right after a `<!-- marker -->` comment of a Markdown page: what a test holds the page to. */
export function blockAfter(page: string, marker: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(page);
  if (!match) throw new Error(`no fenced block after <!-- ${marker} -->`);
  return match[1]!;
}
