// Task descriptions are Markdown: rendered with `marked` (GitHub flavour, line breaks kept) and
// sanitized with DOMPurify before they reach the page, so a description can format text and
// link, but never run script, load a frame or style the app. Links open in a new tab.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: true, async: false });

const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return purify.sanitize(html, {
    FORBID_TAGS: ['style', 'iframe', 'form', 'input', 'img', 'svg', 'math'],
    FORBID_ATTR: ['style'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/|#)/i,
  });
}
