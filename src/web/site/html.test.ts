import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, join, safeUrl } from './html.js';

test('interpolated text is escaped, in text and in quoted attributes', () => {
  const hostile = `<script>alert("x")</script>' onmouseover='x`;
  const out = html`<p title="${hostile}">${hostile}</p>`.value;
  assert.ok(!out.includes('<script>'));
  assert.equal(out.match(/"/g)?.length, 2, 'only the template’s own quotes remain');
  assert.ok(!out.includes(`'`), 'single quotes are escaped too');
  assert.equal(out, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</p>');
});

test('markup made by the tag is kept; arrays, numbers and empty values render as expected', () => {
  const items = ['a&b', 'c'].map((item) => html`<li>${item}</li>`);
  assert.equal(html`<ul>${items}</ul>${null}${false}${undefined}${0}`.value, '<ul><li>a&amp;b</li><li>c</li></ul>0');
  assert.equal(join(['x<', html`<b>y</b>`, null], ', ').value, 'x&lt;, <b>y</b>');
});

test('only http(s) and same-site links survive safeUrl', () => {
  assert.equal(safeUrl('https://example.org/a?b=1'), 'https://example.org/a?b=1');
  assert.equal(safeUrl('/prisoners'), '/prisoners');
  for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', '//evil.example/x', 'vbscript:x', '', null]) {
    assert.equal(safeUrl(bad), null, String(bad));
  }
});
