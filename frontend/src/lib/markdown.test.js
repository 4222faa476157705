import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

function dom(html) {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders GFM tables, lists and emphasis', () => {
    const d = dom(renderMarkdown('**bold** and *it*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |'));
    expect(d.querySelector('strong').textContent).toBe('bold');
    expect(d.querySelectorAll('li')).toHaveLength(2);
    expect(d.querySelectorAll('table td')).toHaveLength(2);
  });

  it('highlights fenced code by language', () => {
    const d = dom(renderMarkdown('```java\nclass A { int x = 1; }\n```'));
    const code = d.querySelector('pre code');
    expect(code.className).toContain('language-java');
    expect(code.querySelector('.hljs-keyword')).not.toBeNull();
    expect(code.textContent.trim()).toBe('class A { int x = 1; }');
  });

  it('removes scripts, event handlers and javascript: links', () => {
    const d = dom(renderMarkdown('<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
      + '[x](javascript:alert(1)) <a href="#" onclick="alert(1)">y</a> <iframe src="https://e.x"></iframe>'));
    expect(d.querySelector('script')).toBeNull();
    expect(d.querySelector('iframe')).toBeNull();
    expect(d.querySelector('img').getAttribute('onerror')).toBeNull();
    for (const a of d.querySelectorAll('a')) {
      expect(a.getAttribute('href') ?? '').not.toMatch(/^javascript:/);
      expect(a.getAttribute('onclick')).toBeNull();
    }
  });

  it('opens links in a new tab without opener', () => {
    const a = dom(renderMarkdown('[docs](https://example.org)')).querySelector('a');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('escapes code in unknown languages instead of interpreting it', () => {
    const d = dom(renderMarkdown('```nosuchlang\n<b>not bold</b>\n```'));
    expect(d.querySelector('pre b')).toBeNull();
    expect(d.querySelector('pre').textContent).toContain('<b>not bold</b>');
  });
});
