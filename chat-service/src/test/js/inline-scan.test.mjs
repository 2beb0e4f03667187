// node --test: the inline Markdown scanner of the web page (src/main/resources/META-INF/resources/js/inline-scan.js).
// Run by WebScriptsTest in the Maven build. Hostile inputs are bounded by the scanner's own step count (linear in the
// text's length), not by a clock; the 1,000,000-character cases would take many minutes with a quadratic scan, and
// the file's timeout (60 s) is only a guard against that.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {scanInline} from '../../main/resources/META-INF/resources/js/inline-scan.js';

const kinds = text => scanInline(text).map(t => t.type === 'link' ? [t.type, t.label, t.url] : [t.type, t.text ?? t.url]);

test('finds each kind of inline markup', () => {
  assert.deepEqual(kinds('a `x*y` b'), [['code', 'x*y']]);
  assert.deepEqual(kinds('**bold** and __also__'), [['strong', 'bold'], ['strong', 'also']]);
  assert.deepEqual(kinds('*em* and _em_ but snake_case_name'), [['em', 'em'], ['em', 'em']]);
  assert.deepEqual(kinds('~~gone~~'), [['del', 'gone']]);
  assert.deepEqual(kinds('see [the docs](https://example.com/d "Docs") now'),
    [['link', 'the docs', 'https://example.com/d']]);
  assert.deepEqual(kinds('![logo](https://example.com/l.png)'), [['link', 'logo', 'https://example.com/l.png']]);
  assert.deepEqual(kinds('<https://example.com/a> and https://example.com/b.'),
    [['autolink', 'https://example.com/a'], ['url', 'https://example.com/b']]);
  assert.deepEqual(kinds('``a ` b``'), [['code', 'a ` b']]);
});

test('unclosed markup stays text', () => {
  assert.deepEqual(kinds('a [b] (c) `d ** e ~~ f <g'), []);
  assert.deepEqual(kinds('[label](no-close'), []);
});

test('a link label may hold an opening bracket, and the first link wins', () => {
  const [first] = scanInline('[[a](https://x.example) [b](https://y.example)');
  assert.equal(first.type, 'link');
  assert.equal(first.label, '[a');
  assert.equal(first.url, 'https://x.example');
});

const hostile = {
  'opening brackets': n => '['.repeat(n),
  'brackets with a late close': n => '['.repeat(n) + ']',
  'labels without a URL': n => '[a]('.repeat(n / 4),
  'backticks without a close': n => '`'.repeat(n),
  'backtick runs of growing length': n => {
    let text = '';
    for (let k = 1; text.length < n; k++) text += '`'.repeat(k) + 'x';
    return text;
  },
  'stars and underscores': n => '*_'.repeat(n / 2),
  'autolinks without a close': n => '<http://'.repeat(n / 8),
  'URLs without a space': n => 'http://'.repeat(n / 7),
  'quotes in link titles': n => '[a](u "'.repeat(n / 7),
};

for (const [name, make] of Object.entries(hostile)) {
  test(`hostile input, linear steps: ${name}`, () => {
    for (const n of [10_000, 100_000]) {
      const text = make(n);
      const stats = {steps: 0};
      scanInline(text, stats);
      assert.ok(stats.steps <= 6 * text.length + 10, `${stats.steps} steps for ${text.length} characters`);
    }
  });
}

test('hostile input of 1,000,000 characters is scanned (guard: minutes if quadratic)', {timeout: 60_000}, () => {
  for (const make of Object.values(hostile)) {
    const text = make(1_000_000);
    scanInline(text);
  }
});
