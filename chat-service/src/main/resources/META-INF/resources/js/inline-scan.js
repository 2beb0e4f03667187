// Finds the inline markup of one paragraph of Markdown in one pass, so that no input takes more than linear time:
// `code`, **strong** / __strong__, *em* / _em_, ~~del~~, [text](url) and ![alt](url), <http://autolink>, bare
// http(s) URLs. Leftmost first; at one position the kinds are tried in that order. Code spans and links (the kinds a
// regular expression would rescan from every '`' or '[' to the end of the text) are found with lookups computed once
// per text; the other kinds stop at the next delimiter of their own, so their attempts never overlap.
// No DOM here: markdown.js turns the tokens into elements (and node --test runs this file as is).

const STRONG = /\*\*([^*]+?)\*\*|(?<![\w])__([^_\s][^_]*?)__(?![\w])/y;
const EM = /\*([^*\s][^*]*?)\*|(?<![\w])_([^_\s][^_]*?)_(?![\w])/y;
const DEL = /~~([^~]+?)~~/y;
const AUTOLINK = /<(https?:\/\/[^\s<>]+)>/y;
const URL = /https?:\/\/[^\s<]*[^\s<.,:;"')\]]/y;
const SPACE = /\s/;

/**
 * @param {string} text
 * @param {{steps: number}} [stats] counts the scanner's own steps (tests bound them by the text's length)
 * @returns {Array<{type: string, start: number, end: number, text?: string, label?: string, url?: string}>}
 *   type: code (text), strong, em, del (text: the inner text), link (label, url, text: the label as written),
 *   autolink and url (url)
 */
export function scanInline(text, stats = {steps: 0}) {
  const tokens = [];
  const backticks = new Backticks(text, stats);
  let links = null;
  let i = 0;
  while (i < text.length) {
    stats.steps++;
    const c = text[i];
    let token = null;
    if (c === '`') {
      token = backticks.spanAt(i);
      if (!token) {
        i = backticks.runEnd(i);
        continue;
      }
    } else if (c === '*' || c === '_') {
      token = sticky(STRONG, text, i, m => ({type: 'strong', text: m[1] ?? m[2]}))
        || sticky(EM, text, i, m => ({type: 'em', text: m[1] ?? m[2]}));
    } else if (c === '~') {
      token = sticky(DEL, text, i, m => ({type: 'del', text: m[1]}));
    } else if (c === '[' || (c === '!' && text[i + 1] === '[')) {
      links ??= new LinkLookups(text, stats);
      token = links.linkAt(i);
    } else if (c === '<') {
      token = sticky(AUTOLINK, text, i, m => ({type: 'autolink', url: m[1]}));
    } else if (c === 'h') {
      token = sticky(URL, text, i, m => ({type: 'url', url: m[0]}));
    }
    if (token) {
      tokens.push(token);
      i = token.end;
    } else {
      i++;
    }
  }
  return tokens;
}

function sticky(pattern, text, at, make) {
  pattern.lastIndex = at;
  const m = pattern.exec(text);
  return m ? {...make(m), start: at, end: at + m[0].length} : null;
}

/** Backtick runs: a run of n opens a code span closed by the next run of exactly n, else it is plain text. */
class Backticks {
  constructor(text, stats) {
    this.text = text;
    this.stats = stats;
    this.closing = null;
  }

  runEnd(at) {
    let end = at;
    while (end < this.text.length && this.text[end] === '`') {
      end++;
    }
    return end;
  }

  spanAt(at) {
    this.closing ??= this.pairRuns();
    const run = this.closing.get(at);
    if (!run) {
      return null;
    }
    return {type: 'code', text: this.text.slice(run.contentStart, run.close), start: at, end: run.end};
  }

  /** One pass from the right: each run's start mapped to the next run of the same length after it. */
  pairRuns() {
    const runs = [];
    for (let i = 0; i < this.text.length;) {
      this.stats.steps++;
      if (this.text[i] === '`') {
        const end = this.runEnd(i);
        this.stats.steps += end - i;
        runs.push({start: i, length: end - i});
        i = end;
      } else {
        i++;
      }
    }
    const nextByLength = new Map();
    const closing = new Map();
    for (let r = runs.length - 1; r >= 0; r--) {
      this.stats.steps++;
      const run = runs[r];
      const close = nextByLength.get(run.length);
      if (close !== undefined) {
        closing.set(run.start, {contentStart: run.start + run.length, close, end: close + run.length});
      }
      nextByLength.set(run.length, run.start);
    }
    return closing;
  }
}

/**
 * For [label](url "title"): the next ']', the next end of a URL (')', '>' or a space), the next '"' and the next
 * non-space from every position, each computed in one pass from the right, so one attempt is a few lookups.
 */
class LinkLookups {
  constructor(text, stats) {
    this.text = text;
    const n = text.length;
    this.nextClose = new Int32Array(n + 1);
    this.nextUrlEnd = new Int32Array(n + 1);
    this.nextQuote = new Int32Array(n + 1);
    this.nextNonSpace = new Int32Array(n + 1);
    this.nextClose[n] = this.nextUrlEnd[n] = this.nextQuote[n] = this.nextNonSpace[n] = n;
    for (let i = n - 1; i >= 0; i--) {
      stats.steps++;
      const c = text[i];
      const space = SPACE.test(c);
      this.nextClose[i] = c === ']' ? i : this.nextClose[i + 1];
      this.nextUrlEnd[i] = c === ')' || c === '>' || space ? i : this.nextUrlEnd[i + 1];
      this.nextQuote[i] = c === '"' ? i : this.nextQuote[i + 1];
      this.nextNonSpace[i] = space ? this.nextNonSpace[i + 1] : i;
    }
  }

  linkAt(at) {
    const text = this.text;
    const n = text.length;
    const open = text[at] === '!' ? at + 1 : at;
    const close = this.nextClose[open + 1];
    if (close >= n || text[close + 1] !== '(') {
      return null;
    }
    let p = this.nextNonSpace[close + 2];
    if (text[p] === '<') {
      p++;
    }
    const urlStart = p;
    p = this.nextUrlEnd[p];
    const url = text.slice(urlStart, p);
    if (text[p] === '>') {
      p++;
    }
    const afterTitle = this.title(p);
    p = this.nextNonSpace[afterTitle];
    if (text[p] !== ')') {
      return null;
    }
    const label = text.slice(open + 1, close);
    return {type: 'link', label: label || url, url, text: label, start: at, end: p + 1};
  }

  /** After an optional {@code \s+"title"} at {@code p}: where it ends, or {@code p} when there is none. */
  title(p) {
    const q = this.nextNonSpace[p];
    if (q === p || this.text[q] !== '"') {
      return p;
    }
    const end = this.nextQuote[q + 1];
    return end < this.text.length ? end + 1 : p;
  }
}
