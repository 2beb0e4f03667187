// A small markdown renderer for untrusted agent text. It builds DOM nodes itself and only ever creates the
// elements below; text goes in through text nodes, links only with http(s) URLs. Raw HTML in the source stays text.
import {h, link, safeUrl} from './dom.js';
import {scanInline} from './inline-scan.js';

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+.#-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Renders markdown text into a fragment of safe elements. */
export function renderMarkdown(source) {
  const fragment = document.createDocumentFragment();
  const lines = String(source ?? '').replace(/\r\n?/g, '\n').split('\n');
  blocks(lines, fragment);
  return fragment;
}

function blocks(lines, parent) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i++; continue; }

    const fence = line.match(FENCE);
    if (fence) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      parent.appendChild(codeBlock(body.join('\n'), fence[2]));
      continue;
    }
    const heading = line.match(HEADING);
    if (heading) {
      parent.appendChild(h('h' + Math.min(6, heading[1].length + 2), null, inline(heading[2])));
      i++;
      continue;
    }
    if (RULE.test(line)) { parent.appendChild(h('hr')); i++; continue; }
    if (QUOTE.test(line)) {
      const body = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(lines[i++].match(QUOTE)[1]);
      const quote = h('blockquote');
      blocks(body, quote);
      parent.appendChild(quote);
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      i = list(lines, i, parent);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1])) {
      i = table(lines, i, parent);
      continue;
    }
    const paragraph = [];
    while (i < lines.length && lines[i].trim() && !FENCE.test(lines[i]) && !HEADING.test(lines[i])
      && !QUOTE.test(lines[i]) && !(paragraph.length && (BULLET.test(lines[i]) || ORDERED.test(lines[i])))) {
      paragraph.push(lines[i++]);
    }
    const p = h('p');
    paragraph.forEach((text, n) => {
      if (n > 0) p.appendChild(h('br'));
      p.appendChild(inline(text.trim()));
    });
    parent.appendChild(p);
  }
}

function codeBlock(text, language) {
  return h('pre', {class: 'code', 'data-kind': language || null}, h('code', null, text));
}

function list(lines, start, parent) {
  const ordered = ORDERED.test(lines[start]);
  const indent = (lines[start].match(ordered ? ORDERED : BULLET)[1] || '').length;
  const el = ordered ? h('ol', {start: Number(lines[start].match(ORDERED)[2]) !== 1
    ? lines[start].match(ORDERED)[2] : null}) : h('ul');
  let i = start;
  let item = null;
  while (i < lines.length) {
    const line = lines[i];
    const match = line.match(ordered ? ORDERED : BULLET);
    if (match && match[1].length === indent) {
      let text = match[3];
      item = h('li');
      const task = !ordered && text.match(/^\[([ xX])\]\s+(.*)$/);
      if (task) {
        item.className = 'task-item';
        item.appendChild(h('input', {type: 'checkbox', disabled: true, checked: task[1] !== ' '}));
        text = task[2];
      }
      item.appendChild(inline(text));
      el.appendChild(item);
      i++;
    } else if (item && line.trim() && (line.match(/^(\s*)/)[1].length > indent)) {
      // A nested list or a continuation line.
      const nested = [];
      while (i < lines.length && lines[i].trim() && lines[i].match(/^(\s*)/)[1].length > indent) {
        nested.push(lines[i++]);
      }
      const minIndent = Math.min(...nested.map(l => l.match(/^(\s*)/)[1].length));
      blocks(nested.map(l => l.slice(minIndent)), item);
    } else if (!line.trim() && i + 1 < lines.length && (lines[i + 1].match(ordered ? ORDERED : BULLET)
      || '')[1]?.length === indent) {
      i++;
    } else {
      break;
    }
  }
  parent.appendChild(el);
  return i;
}

function cells(line) {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map(c => c.trim());
}

function table(lines, start, parent) {
  const head = cells(lines[start]);
  const el = h('table', null, h('thead', null, h('tr', null, head.map(c => h('th', null, inline(c))))));
  const body = h('tbody');
  let i = start + 2;
  while (i < lines.length && lines[i].includes('|') && lines[i].trim()) {
    body.appendChild(h('tr', null, cells(lines[i]).map(c => h('td', null, inline(c)))));
    i++;
  }
  el.appendChild(body);
  parent.appendChild(h('div', {class: 'table-wrap'}, el));
  return i;
}

// Inline: `code`, **strong**, *em* / _em_, ~~del~~, [text](url), <http://autolink>, bare http(s) URLs, found in
// linear time by inline-scan.js (a regular expression for links took 19 s on 128,000 '[').
export function inline(text) {
  text = String(text);
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const t of scanInline(text)) {
    if (t.start > last) fragment.appendChild(document.createTextNode(text.slice(last, t.start)));
    if (t.type === 'code') fragment.appendChild(h('code', null, t.text));
    else if (t.type === 'strong') fragment.appendChild(h('strong', null, inline(t.text)));
    else if (t.type === 'em') fragment.appendChild(h('em', null, inline(t.text)));
    else if (t.type === 'del') fragment.appendChild(h('del', null, inline(t.text)));
    else if (t.type === 'link') {
      // Images are shown as links to them, never loaded; unsafe URLs leave the text only.
      fragment.appendChild(safeUrl(t.url) ? link(t.label, t.url) : document.createTextNode(t.text));
    } else fragment.appendChild(link(t.url, t.url));
    last = t.end;
  }
  if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
  return fragment;
}
