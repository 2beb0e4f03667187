// Line diff of a file edit (ACP tool call content {type: "diff", path, oldText, newText}), rendered as text rows.
import {h, shortPath} from './dom.js';

const MAX_CELLS = 400_000;
const CONTEXT = 3;

/** Rows of {kind: ' '|'+'|'-', text} turning oldText into newText (longest common subsequence of lines). */
export function diffLines(oldText, newText) {
  const a = oldText == null || oldText === '' ? [] : String(oldText).split('\n');
  const b = newText == null || newText === '' ? [] : String(newText).split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const rows = a.slice(0, start).map(text => ({kind: ' ', text}));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    midA.forEach(text => rows.push({kind: '-', text}));
    midB.forEach(text => rows.push({kind: '+', text}));
  } else {
    const n = midA.length;
    const m = midB.length;
    const lcs = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = midA[i] === midB[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) { rows.push({kind: ' ', text: midA[i]}); i++; j++; }
      else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) rows.push({kind: '+', text: midB[j++]});
      else rows.push({kind: '-', text: midA[i++]});
    }
  }
  a.slice(endA).forEach(text => rows.push({kind: ' ', text}));
  return rows;
}

/** The diff of one file: its path, +added -removed counts, and the changed lines with a little context. */
export function renderDiff(item) {
  const rows = diffLines(item.oldText, item.newText);
  const added = rows.filter(r => r.kind === '+').length;
  const removed = rows.filter(r => r.kind === '-').length;
  const keep = rows.map((row, index) => row.kind !== ' '
    || rows.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some(r => r.kind !== ' '));
  const body = h('div', {class: 'diff-body', role: 'table'});
  let skipped = false;
  rows.forEach((row, index) => {
    if (!keep[index]) {
      if (!skipped) body.appendChild(h('div', {class: 'diff-line diff-skip'}, '⋯'));
      skipped = true;
      return;
    }
    skipped = false;
    const kind = row.kind === '+' ? 'diff-add' : row.kind === '-' ? 'diff-del' : 'diff-ctx';
    body.appendChild(h('div', {class: 'diff-line ' + kind},
      h('span', {class: 'diff-sign'}, row.kind), h('span', {class: 'diff-text'}, row.text)));
  });
  return h('div', {class: 'diff', 'data-testid': 'diff'},
    h('div', {class: 'diff-head'},
      h('span', {class: 'diff-path', title: item.path || null}, shortPath(item.path || 'file')),
      item.oldText == null ? h('span', {class: 'badge'}, 'new file') : null,
      h('span', {class: 'diff-stat'}, h('span', {class: 'add'}, '+' + added), ' ', h('span', {class: 'del'}, '−' + removed))),
    body);
}
