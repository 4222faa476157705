import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/common';
import { Marked } from 'marked';

/**
 * Renders model output (markdown, GitHub-flavoured: tables, lists, fenced code) to HTML that is
 * safe to insert: DOMPurify removes scripts, event handlers (onerror=...), javascript: URLs and
 * anything else that could run code. Code blocks get highlight.js classes. Links open in a new
 * tab without access to this page (rel="noopener noreferrer").
 */
const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    code({ text, lang }) {
      const language = lang && hljs.getLanguage(lang) ? lang : null;
      const highlighted = language
        ? hljs.highlight(text, { language, ignoreIllegals: true }).value
        : escapeHtml(text);
      const label = language ?? 'text';
      return `<pre data-lang="${escapeHtml(label)}"><code class="hljs language-${escapeHtml(label)}">${highlighted}</code></pre>`;
    }
  }
});

let hooked = false;

function hookLinks() {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

/** Markdown text -> sanitized HTML string. */
export function renderMarkdown(text) {
  hookLinks();
  const html = marked.parse(text ?? '', { async: false });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style']
  });
}

function escapeHtml(s) {
  return String(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
