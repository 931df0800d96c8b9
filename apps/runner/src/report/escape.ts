// Escaping of user-provided text (experiment, variant and layer names) for HTML, SVG and Markdown.

/** For element content and attribute values in HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** For a Markdown table cell or inline text: no HTML, no pipes breaking the table, no line breaks. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/[\\`*[\]<>|#]/g, (c) => `\\${c}`)
      // An underscore inside a word (val_accuracy) never starts emphasis in CommonMark; escape only the others.
      .replace(/(?<!\w)_|_(?!\w)/g, '\\_')
  );
}
