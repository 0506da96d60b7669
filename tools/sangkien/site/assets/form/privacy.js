// Twin of sangkien/checks/privacy.py: personal data in one piece of text. The patterns, the
// message texts, the masks and the webmail list come from Python through the page's JSON
// (form.py privacy_rules()["personal"]); only the steps are written here, in the same order.
//
// The view: each character NFKC-normalised (unless it is not a decimal digit but would become
// one: ①, ², ½), folded (lower case, no marks, đ -> d), hidden characters dropped, a combining
// mark after a letter dropped; pos[i] is the index in `text` of the view's character i.

import { fold } from './textnorm.js';

const ASCII = /^[\x00-\x7f]*$/;
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
const DECIMAL = /^\p{Nd}$/u;
const HAS_DECIMAL = /\p{Nd}/u;
const NOT_DECIMAL = /\P{Nd}/gu;

export class Privacy {
  // data: {patterns: {NAME: {source, flags}}, messages, keep, mask, webmail}
  constructor(data) {
    this.data = data;
    this.rx = {};
    this.rxg = {};
    for (const [name, p] of Object.entries(data.patterns)) {
      this.rx[name] = new RegExp(p.source, p.flags);
      this.rxg[name] = new RegExp(p.source, p.flags + 'gd');
    }
    this.whole = {};
    for (const name of ['MOBILE_DIGITS', 'LANDLINE_DIGITS']) this.whole[name] = new RegExp(`^(?:${data.patterns[name].source})$`, data.patterns[name].flags);
    this.hidden = new RegExp(`^(?:${data.patterns.HIDDEN.source})$`, data.patterns.HIDDEN.flags);
    this.webmail = new Set(data.webmail);
    this.one = new Map();
  }

  char(c) {
    const known = this.one.get(c);
    if (known) return known;
    let out;
    if (this.hidden.test(c)) {
      out = ['', 3];
    } else if (MARK.test(c)) {
      const folded = fold(c);
      out = [folded || c, folded ? 0 : 2];
    } else {
      let n = c.normalize('NFKC');
      if (!DECIMAL.test(c) && HAS_DECIMAL.test(n)) n = c;
      out = [fold(n) || n, LETTER.test(c) ? 1 : 0];
    }
    if (this.one.size < 4096) this.one.set(c, out);
    return out;
  }

  view(text) {
    if (ASCII.test(text)) return [text.toLowerCase(), null];
    const parts = [];
    const pos = [];
    let afterLetter = false;
    let i = 0;
    for (const c of text) {
      const at = i;
      i += c.length;
      let [out, kind] = this.char(c);
      if (kind === 3) continue;
      if (kind === 2) {
        if (afterLetter) continue;
        out = c;
      }
      afterLetter = kind === 1 || (kind === 2 && afterLetter);
      parts.push(out);
      for (let k = 0; k < out.length; k++) pos.push(at);
    }
    return [parts.join(''), pos];
  }

  masked(found, code) {
    const [head, tail] = this.data.keep[code] || [0, 0];
    const chars = Array.from(found);
    const total = chars.filter((ch) => DECIMAL.test(ch)).length;
    let seen = 0;
    return chars.map((ch) => {
      if (!DECIMAL.test(ch)) return ch;
      const keep = seen < head || seen >= total - tail;
      seen += 1;
      return keep ? ch : this.data.mask;
    }).join('');
  }

  // [{code, start, what, severity}] with `start` an index in `text`, `what` the message after "<where> ".
  findings(text, phones, emails) {
    const [s, pos] = this.view(text);
    const at = (i) => (pos === null ? i : pos[i]);
    const out = [];
    const taken = new Uint8Array(s.length + 1);
    const free = (a, b) => {
      for (let k = a; k < b; k++) if (taken[k]) return false;
      return true;
    };
    const take = (a, b) => taken.fill(1, a, b);
    const data = this.data;
    const add = (code, a, found, severity) => out.push({ index: a, code, start: at(a), found, severity });
    const digits = (t) => t.replace(NOT_DECIMAL, '');
    const phoneKey = (d) => (d.startsWith('84') ? d.slice(2) : d).replace(/^0+/, '');
    const span1 = (m) => m.indices[1]; // where group 1 is, as Python's m.span(1)
    const rx = this.rxg;
    if (this.rx._SEVEN_DIGITS.test(s)) {
      for (const m of s.matchAll(rx.URL)) take(m.index, m.index + m[0].length);
      for (const m of s.matchAll(rx.URL_PHONE)) {
        let number = digits(m[1]);
        if (number.startsWith('84') && (number.length === 11 || number.length === 12)) number = '0' + number.slice(2).replace(/^0+/, '');
        const code = this.whole.MOBILE_DIGITS.test(number) ? 'SK501' : this.whole.LANDLINE_DIGITS.test(number) ? 'SK506' : '';
        const [a] = span1(m);
        if (code && !phones.has(phoneKey(number))) add(code, a, this.masked(m[1], code));
        take(m.index, m.index + m[0].length);
      }
      for (const m of s.matchAll(rx.TAX)) {
        const [a, b] = span1(m);
        if (free(a, b)) take(a, b);
      }
      for (const [code, name] of [['SK508', 'OLD_ID'], ['SK509', 'BANK']]) {
        for (const m of s.matchAll(rx[name])) {
          const [a, b] = span1(m);
          if (free(a, b)) {
            add(code, a, this.masked(m[1], code));
            take(a, b);
          }
        }
      }
      for (const [code, name] of [['SK503', 'CITIZEN_ID'], ['SK501', 'MOBILE'], ['SK506', 'LANDLINE']]) {
        for (const m of s.matchAll(rx[name])) {
          const a = m.index;
          const b = a + m[0].length;
          if (!free(a, b)) continue;
          take(a, b);
          if (code !== 'SK503' && phones.has(phoneKey(digits(m[0])))) continue;
          add(code, a, this.masked(m[0], code));
        }
      }
    }
    if (this.rx.EMAIL_HINT.test(s)) {
      for (const m of s.matchAll(rx.EMAIL)) {
        const domain = m[2].replace(rx._DOT_WORD, '.');
        const local = m[1];
        if (emails.has(`${local}@${domain}`)) continue;
        const found = `${Array.from(local)[0] || ''}${data.mask.repeat(3)}@${domain}`;
        if (this.webmail.has(domain)) add('SK504', m.index, found);
        else add('SK504w', m.index, found, 'warning');
      }
    }
    for (const [code, name] of [['SK505', 'BIRTH'], ['SK507', 'HOME']]) {
      for (const m of s.matchAll(rx[name])) {
        const a = at(m.index);
        const last = at(m.index + m[0].length - 1);
        const b = last + String.fromCodePoint(text.codePointAt(last)).length;
        const shown = Array.from(text.slice(a, b).trim().replace(/\p{Nd}/gu, data.mask)).slice(0, 60).join('');
        add(code, m.index, shown);
      }
    }
    out.sort((x, y) => x.index - y.index);
    return out.map((f) => ({
      code: f.code.slice(0, 5),
      start: f.start,
      severity: f.severity,
      what: data.messages[f.code].replace('{found}', f.found),
    }));
  }
}
