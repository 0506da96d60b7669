// Blocks of a Word file -> entry fields + body Markdown + problems: the twin of
// sangkien.wordimport.mapping (and of the composing step of `sangkien import`), following the
// same rules.json line by line. tests/test_word_browser.py runs both on the same files in a real
// Chromium and compares fields, body and problems.
//
// Added to the page by form.js only when a Word file is chosen (it then announces itself as
// window.sangkienWord); nothing here touches the network.

import { HEAD, WordRefusal, readBlocks } from './docx.js';
import { parseTypedDate } from './dates.js';
import { fold, slugify } from './textnorm.js';

// Python's whitespace (str.isspace, and \s of its re on text), which JavaScript's \s and trim() differ
// from (they take U+FEFF, not U+001C-U+001F nor U+0085): every strip, split and \s below uses this.
const SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const SPACE_CHARS = SPACE.slice(1, -1);
const re = (source, flags = 'u') => new RegExp(source.replace(/\\s/g, SPACE).replace(/\\S/g, `[^${SPACE_CHARS}]`), flags);
const strip = (text) => text.replace(re('^\\s+|\\s+$', 'gu'), '');
const rstrip = (text) => text.replace(re('\\s+$'), '');
const NUMBER = /^[+-]?\d+(?:[.,]\d+)*$/;
const BULLET = re('^\\s*[-–•+]\\s+');
const LABELLED = re('^\\s*(?:[-–•+]\\s*)?([^:]{2,300}):\\s*(.*)$', 'su');
export const IMAGE_EXT = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif', 'image/webp': '.webp' };

// ------------------------------------------------------------------ text helpers (rules.py twins)
export function key(text) {
  return fold(String(text).normalize('NFC')).replace(/[^a-z0-9]+/g, ' ').trim();
}

const words = (text) => text.split(re('\\s+')).filter(Boolean).join(' '); // Python's " ".join(text.split())
const isUpper = (text) => text.toUpperCase() === text && text.toLowerCase() !== text;

export function parseNumber(text) {
  let raw = strip(strip(text).replace(/%+$/, '')).replace(/[ \u00a0]/g, '');
  if (!NUMBER.test(raw)) return null;
  if (raw.includes(',') && raw.includes('.')) raw = raw.replace(/\./g, '').replace(/,/g, '.');
  else if (raw.includes(',')) {
    if (raw.split(',').length > 2) return null;
    raw = raw.replace(',', '.');
  } else if (raw.split('.').length > 2 || /^[+-]?\d{1,3}\.\d{3}$/.test(raw)) raw = raw.replace(/\./g, '');
  return Number(raw);
}

function stripNumbering(text, rules) {
  return strip(text.replace(re(rules.body.numbering, 'iu'), '')) || strip(text);
}

function sectionOf(b, rules) {
  const text = strip(b.text);
  if (!text || (!b.level && (Array.from(text).length > 80 || !(b.bold || isUpper(text))))) return null;
  const k = key(stripNumbering(text, rules));
  for (const sec of rules.body.sections) if (sec.variants.some((v) => k.startsWith(v))) return sec;
  return null;
}

function markdownTable(rows) {
  const width = Math.max(...rows.map((r) => r.length));
  const cell = (text) => words(text).replace(/\|/g, '\\|');
  const lines = rows.map((r) => `| ${[...r, ...Array(width - r.length).fill('')].map(cell).join(' | ')} |`);
  lines.splice(1, 0, `|${'---|'.repeat(width)}`);
  return lines.join('\n');
}

function columns(spec, header) {
  const found = {};
  header.forEach((cell, i) => {
    const k = key(cell);
    for (const col of spec.columns) {
      if ((k === key(col.label) || col.variants.includes(k)) && !(col.key in found)) {
        found[col.key] = i;
        break;
      }
    }
  });
  return found;
}

// ------------------------------------------------------------------ the mapper
class Mapper {
  constructor(blocks, rules, codes) {
    this.blocks = blocks;
    this.rules = rules;
    this.codes = codes;
    this.out = { data: {}, body: '', images: [], problems: [], formFound: false, sectionsFound: [], filled: 0 };
    this.byKey = new Map();
    for (const f of rules.form.fields) for (const v of [key(f.label), ...f.variants]) this.byKey.set(v, f);
    this.values = new Map();
    this.usedTables = new Set();
  }

  say(code, where, what, fix = null, severity = null) {
    this.out.problems.push(makeProblem(this.codes, code, `${where}: ${what}`, fix, severity));
  }

  isParagraph(b) {
    return b.kind === 'paragraph';
  }

  bodyRange() {
    const markers = new Set(this.rules.body.markers);
    const n = this.blocks.length;
    for (let i = 0; i < n; i += 1) {
      const b = this.blocks[i];
      if (this.isParagraph(b) && strip(b.text) && markers.has(key(stripNumbering(b.text, this.rules))) && (b.level || b.bold || isUpper(b.text))) {
        const level = b.level || 1;
        let end = n;
        for (let j = i + 1; j < n; j += 1) {
          const x = this.blocks[j];
          if (this.isParagraph(x) && x.level > 0 && x.level <= level && strip(x.text)) {
            end = j;
            break;
          }
        }
        return [i + 1, end];
      }
    }
    for (let i = 0; i < n; i += 1) if (this.isParagraph(this.blocks[i]) && sectionOf(this.blocks[i], this.rules)) return [i, n];
    return [n, n];
  }

  addValue(k, value) {
    if (!this.values.has(k)) this.values.set(k, []);
    this.values.get(k).push(value);
  }

  collectForm(start) {
    this.blocks.forEach((b, i) => {
      if (b.kind === 'table' && this.isFormTable(b)) {
        this.usedTables.add(b.number);
        this.out.formFound = true;
        b.rows.forEach((row, index) => {
          const f = row.length ? this.byKey.get(key(row[0])) : undefined;
          if (!f) return;
          const rest = row.slice(1).filter((c) => strip(c) && c !== row[0]);
          this.addValue(f.key, { text: rest.length ? rest[rest.length - 1] : '', where: `Bảng ${b.number}, dòng ${index + 1} («${f.label}»)` });
        });
      } else if (this.isParagraph(b) && i < start) {
        const m = LABELLED.exec(b.text);
        const f = m && this.byKey.get(key(m[1]));
        if (f) this.addValue(f.key, { text: m[2], where: `Đoạn ${b.number} («${f.label}»)` });
      }
    });
    if (this.values.size && !this.out.formFound) this.out.formFound = this.values.size >= 2;
  }

  isFormTable(t) {
    const width = Math.max(0, ...t.rows.map((r) => r.length));
    return width >= 2 && t.rows.filter((r) => r.length && this.byKey.has(key(r[0]))).length >= 2;
  }

  readFields() {
    for (const f of this.rules.form.fields) {
      const found = this.values.get(f.key) || [];
      const parsed = [];
      for (const v of found) {
        const value = this.readValue(f, v);
        if (value !== null && value !== undefined) parsed.push([value, v]);
      }
      const distinct = new Set(parsed.map((p) => JSON.stringify(p[0])));
      if (distinct.size > 1) {
        this.say('SK039', parsed.map((p) => p[1].where).join('; '), `mục «${f.label}» được ghi nhiều lần với giá trị khác nhau.`,
          'Chỉ giữ một chỗ ghi mục này, xóa các chỗ còn lại.');
        continue;
      }
      if (parsed.length) this.out.data[f.key] = parsed[0][0];
      else if (f.required && !(f.key in this.out.data) && !found.some((v) => this.hasProblemFor(v))) {
        const where = found.length ? found[0].where : 'Bảng thông tin sáng kiến (Đơn yêu cầu công nhận sáng kiến)';
        this.say('SK036', where, `chưa ghi «${f.label}».`,
          `Ghi vào ô bên phải của dòng «${f.label}» trong bảng thông tin, hoặc thêm một đoạn «${f.label}: …» trong đơn `
          + '(mẫu có sẵn dòng này: sangkien template).');
      }
    }
  }

  hasProblemFor(v) {
    return this.out.problems.some((p) => p.message.startsWith(v.where) || p.message.includes(v.where));
  }

  readValue(f, v) {
    const text = strip(v.text);
    const kind = f.type;
    if (kind === 'choice' || kind === 'choices') return this.readChoice(f, v);
    if (!text) return null;
    this.out.filled += 1;
    let flat = words(text);
    if (kind === 'ignore') {
      if (!(f.empty || []).includes(key(flat))) {
        this.say('SK046', v.where, `mục «${f.label}» không được đưa vào kho công khai nên không nhập.`,
          'Thông tin cần bảo mật gửi riêng cho Hội đồng trên bản in; không ghi vào tệp nộp.', 'warning');
      }
      return null;
    }
    if ((f.empty || []).includes(key(flat))) return null;
    if (kind === 'date') {
      const parsed = parseTypedDate(flat);
      if (parsed.error) {
        this.say('SK037', v.where, parsed.error, `Ghi «${f.label}» theo ngày/tháng/năm, ví dụ 25/06/2024.`);
        return null;
      }
      return parsed.iso;
    }
    if (kind === 'list') {
      const seps = f.separators || [','];
      const parts = flat.split(new RegExp(seps.map((x) => x.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'u')).map(strip).filter(Boolean);
      return parts.length ? parts : null;
    }
    for (const suffix of f.strip_suffix || []) if (flat.endsWith(suffix)) flat = rstrip(flat.slice(0, -suffix.length));
    if (f.strip_end && flat.endsWith(f.strip_end)) flat = rstrip(flat.slice(0, -f.strip_end.length));
    if (f.trailing_choice) flat = this.trailingChoice(f, flat, v);
    return flat || null;
  }

  trailingChoice(f, text, v) {
    const target = this.rules.form.fields.find((x) => x.key === f.trailing_choice);
    const m = re('\\(([^()]*)\\)\\s*$').exec(text);
    if (m) {
      for (const c of target.choices) {
        if (key(m[1]) === key(c.label)) {
          this.addValue(target.key, { text: c.label, where: v.where });
          return rstrip(text.slice(0, m.index));
        }
      }
    }
    return text;
  }

  readChoice(f, v) {
    const marks = this.rules.form.choice_marks;
    const lines = v.text.split(/[\n;]/).map(strip).filter(Boolean);
    const labels = new Map();
    for (const c of f.choices) labels.set(key(c.label), c.code);
    for (const c of f.choices) labels.set(key(c.label.replace(re('\\s*\\([^)]*\\)', 'gu'), '')), c.code);
    for (const c of f.choices) labels.set(key(c.code), c.code);
    const byLength = (list) => [...list].sort((a, b) => b.length - a.length);
    const matched = [];
    for (const line of lines) {
      let checked = false;
      let body = line;
      const mark = byLength(marks.checked).find((m) => body.startsWith(m));
      if (mark !== undefined) {
        checked = true;
        body = body.slice(mark.length);
      } else {
        const off = byLength(marks.unchecked).find((m) => body.startsWith(m));
        if (off !== undefined) body = body.slice(off.length);
      }
      const code = labels.get(key(body));
      if (code === undefined) {
        this.say('SK038', v.where, `không nhận ra lựa chọn «${Array.from(line).slice(0, 80).join('')}» của mục «${f.label}».`,
          `Chỉ đánh dấu ☒ (hoặc gõ x) trước một dòng có sẵn trong ô; không sửa chữ của các lựa chọn. Các lựa chọn: ${f.choices.map((c) => c.label).join('; ')}.`);
        return null;
      }
      matched.push([code, checked]);
    }
    let chosen;
    if (matched.some(([, c]) => c)) chosen = matched.filter(([, c]) => c).map(([code]) => code);
    else if (matched.length === f.choices.length && f.choices.length > 1) chosen = [];
    else chosen = matched.map(([code]) => code);
    chosen = [...new Set(chosen)];
    if (!chosen.length) {
      if (f.required) {
        this.say('SK038', v.where, `chưa chọn «${f.label}».`,
          `Đánh dấu ☒ (hoặc gõ x) trước lựa chọn đúng${f.type === 'choices' ? ' (chọn được nhiều)' : ' (chọn một)'}.`);
      }
      return null;
    }
    this.out.filled += 1;
    if (f.type === 'choice') {
      if (chosen.length > 1) {
        this.say('SK039', v.where, `mục «${f.label}» chỉ chọn một nhưng đang chọn ${chosen.length}.`, 'Bỏ dấu ở các lựa chọn thừa, chỉ giữ một.');
        return null;
      }
      return chosen[0];
    }
    return chosen;
  }

  // ---------------------------------------------------------------- tables of people and results
  findTable(part, required) {
    const spec = this.rules[part];
    for (const b of this.blocks) {
      if (b.kind === 'table' && b.rows.length && !this.usedTables.has(b.number)) {
        const cols = columns(spec, b.rows[0]);
        if (required.every((r) => r in cols)) {
          this.usedTables.add(b.number);
          return [b, cols];
        }
      }
    }
    return null;
  }

  rows(part, t, cols) {
    const spec = this.rules[part];
    const content = spec.columns.filter((c) => c.type !== 'ignore' && c.key in cols).map((c) => c.key);
    const out = [];
    t.rows.slice(1).forEach((row, index) => {
      const cells = {};
      for (const [k, i] of Object.entries(cols)) cells[k] = words(i < row.length ? row[i] : '');
      if (content.some((k) => cells[k])) out.push([index + 2, cells]);
    });
    return out;
  }

  readAuthors(start) {
    const spec = this.rules.authors;
    const labels = Object.fromEntries(spec.columns.map((c) => [c.key, c.label]));
    const found = this.findTable('authors', ['name', 'contribution']);
    if (!found) {
      this.say('SK040', 'Đơn yêu cầu công nhận sáng kiến', 'không tìm thấy bảng tác giả (có cột «Họ và tên» và «Tỷ lệ đóng góp (%)»).',
        'Dùng bảng tác giả của mẫu (sangkien template): mỗi tác giả một dòng, ghi họ tên, chức vụ, nơi công tác, trình độ, tỷ lệ đóng góp.');
      return;
    }
    const [t, cols] = found;
    const authors = [];
    let marked = [];
    let ok = true;
    for (const [r, cells] of this.rows('authors', t, cols)) {
      this.out.filled += 1;
      const where = `Bảng ${t.number}, dòng ${r}`;
      const person = {};
      for (const col of spec.columns) {
        const value = cells[col.key] || '';
        if (col.type === 'ignore') continue;
        if (col.type === 'private') {
          if (value) {
            this.say('SK046', where, `cột «${labels[col.key]}» có ghi nhưng không được đưa vào kho công khai nên không nhập.`,
              'Ngày sinh chỉ ghi tay trên bản in; xóa khỏi tệp nộp nếu gửi bản điện tử.', 'warning');
          }
          continue;
        }
        if (col.type === 'mark') {
          if (value && !['', 'khong'].includes(key(value))) marked.push(authors.length);
          continue;
        }
        if (!value) {
          if (col.required) {
            ok = false;
            this.say('SK040', where, `tác giả thứ ${authors.length + 1} chưa ghi «${labels[col.key]}».`, `Ghi «${labels[col.key]}» vào cột tương ứng của bảng tác giả.`);
          }
          continue;
        }
        if (col.type === 'percent') {
          const number = parseNumber(value);
          if (number === null) {
            ok = false;
            this.say('SK037', where, `tỷ lệ đóng góp «${value}» không phải là số.`, 'Ghi số phần trăm, ví dụ 60 hoặc 33,5 (tổng các tác giả bằng 100).');
            continue;
          }
          person[col.key] = number;
        } else person[col.key] = value;
      }
      authors.push(person);
    }
    if (!authors.length) {
      this.say('SK040', `Bảng ${t.number}`, 'bảng tác giả chưa có tác giả nào.', 'Ghi mỗi tác giả một dòng trong bảng tác giả.');
      return;
    }
    if (!ok) return;
    if (authors.length > 1) {
      if (!marked.length && !('representative' in cols)) {
        const marker = key(spec.representative_marker);
        for (const b of this.blocks.slice(0, start)) {
          if (this.isParagraph(b) && key(b.text).includes(marker)) {
            authors.forEach((a, i) => {
              if (key(b.text).startsWith(key(String(a.name ?? '')))) marked.push(i);
            });
          }
        }
      }
      marked = [...new Set(marked)].sort((a, b) => a - b);
      if (marked.length !== 1) {
        this.say('SK040', `Bảng ${t.number}`, `nhóm ${authors.length} tác giả cần đúng một người đại diện, đang có ${marked.length}.`,
          'Gõ x vào cột «Đại diện nhóm» ở dòng của đúng một tác giả.');
        return;
      }
      authors[marked[0]].representative = true;
    }
    this.out.data.participation = authors.length === 1 ? 'ca-nhan' : 'nhom';
    this.out.data.authors = authors;
  }

  readParticipants() {
    const found = this.findTable('participants', ['name', 'task']);
    if (!found) return;
    const [t, cols] = found;
    const spec = this.rules.participants;
    const people = [];
    for (const [r, cells] of this.rows('participants', t, cols)) {
      const person = {};
      for (const c of spec.columns) if (c.type === 'text' && cells[c.key]) person[c.key] = cells[c.key];
      const missing = spec.columns.filter((c) => c.required && !cells[c.key]).map((c) => c.label);
      if (missing.length) {
        this.say('SK040', `Bảng ${t.number}, dòng ${r}`, `người tham gia áp dụng lần đầu chưa ghi «${missing.join(', ')}».`,
          'Ghi đủ họ tên, chức danh, nơi công tác, hoặc xóa dòng này.');
        continue;
      }
      people.push(person);
    }
    if (people.length) this.out.data.first_application_participants = people;
  }

  readResults() {
    const found = this.findTable('results', ['indicator', 'baseline', 'result']);
    if (!found) return;
    const [t, cols] = found;
    const w = this.rules.results.change_words;
    const items = [];
    for (const [r, cells] of this.rows('results', t, cols)) {
      const where = `Bảng ${t.number}, dòng ${r}`;
      const base = parseNumber(cells.baseline || '');
      const result = parseNumber(cells.result || '');
      if (!cells.indicator || base === null || result === null || !cells.unit) {
        this.say('SK037', where, 'dòng kết quả đo được thiếu chỉ tiêu, đơn vị tính, hoặc số trước/sau khi áp dụng không phải là số.',
          'Ghi đủ chỉ tiêu, số trước và sau khi áp dụng (chỉ ghi số), đơn vị tính; hoặc xóa dòng này.');
        continue;
      }
      this.out.filled += 1;
      const change = key(cells.change || '');
      let better;
      if (change) better = change.includes(w.down) !== change.includes(w.worse) ? 'thap-hon' : 'cao-hon';
      else better = result < base ? 'thap-hon' : 'cao-hon';
      const item = { indicator: cells.indicator, baseline: base, result, unit: cells.unit, better };
      if (cells.period) item.period = cells.period;
      items.push(item);
    }
    if (items.length) this.out.data.results = items;
  }

  readSubmitted(start) {
    if ('submitted' in this.out.data) return;
    const pattern = new RegExp(this.rules.form.signature_date.pattern, 'iu');
    for (const b of this.blocks.slice(0, start).reverse()) {
      const m = this.isParagraph(b) ? pattern.exec(b.text) : null;
      if (!m) continue;
      const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const real = y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
      if (real) this.out.data.submitted = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      else this.say('SK037', `Đoạn ${b.number}`, `ngày ký «${m[0]}» không có thật.`, 'Sửa ngày ký của đơn cho đúng.');
      return;
    }
  }

  readBody(start, end) {
    const out = [];
    const slice = this.blocks.slice(start, end);
    const first = slice.find((b) => this.isParagraph(b) && b.level && sectionOf(b, this.rules));
    const sectionLevel = first ? first.level : 2;
    let lastList = false;
    for (const b of slice) {
      if (b.kind === 'table') {
        if (this.usedTables.has(b.number) || !b.rows.some((r) => r.some((c) => strip(c)))) continue;
        out.push(markdownTable(b.rows));
        lastList = false;
      } else if (b.kind === 'image') {
        this.out.images.push([`Hình ${this.out.images.length + 1}`, b]);
        out.push(`\0image${this.out.images.length}`);
        lastList = false;
      } else {
        const text = words(b.text.replace(/\n/g, ' '));
        if (!text) continue;
        const sec = sectionOf(b, this.rules);
        if (sec) {
          this.out.sectionsFound.push(sec.key);
          out.push(`## ${stripNumbering(text, this.rules)}`);
          lastList = false;
        } else if (b.level) {
          out.push(`${'#'.repeat(Math.max(2, Math.min(6, b.level - sectionLevel + 2)))} ${stripNumbering(text, this.rules)}`);
          lastList = false;
        } else {
          this.out.filled += 1;
          let item = null;
          if (b.list) item = (b.ordered ? '1. ' : '- ') + text;
          else if (BULLET.test(text)) item = `- ${text.replace(BULLET, '')}`;
          else if (re('^\\d{1,3}[.)]\\s').test(text)) item = text;
          if (item !== null) {
            if (lastList && out.length) out[out.length - 1] += `\n${item}`;
            else out.push(item);
            lastList = true;
          } else {
            out.push(text.replace(/^([#>])/, '\\$1'));
            lastList = false;
          }
        }
      }
    }
    // A heading with nothing under it (before the next heading of the same or a higher level) is left out.
    const hashes = (part) => (part && part.startsWith('#') ? part.length - part.replace(/^#+/, '').length : 0);
    const kept = out.filter((part, n) => {
      const level = hashes(part);
      const following = n + 1 < out.length ? out[n + 1] : null;
      const nextLevel = hashes(following);
      return !(level && (following === null || (nextLevel > 0 && nextLevel <= level)));
    });
    const filled = new Set();
    for (const part of kept) {
      if (part.startsWith('## ')) {
        const sec = sectionOf({ kind: 'paragraph', text: part.slice(3), level: 2, bold: false }, this.rules);
        if (sec) filled.add(sec.key);
      }
    }
    this.out.sectionsFound = this.out.sectionsFound.filter((k) => filled.has(k));
    this.out.body = kept.join('\n\n');
    for (const sec of this.rules.body.sections) {
      if (sec.required && !this.out.sectionsFound.includes(sec.key)) {
        this.say('SK041', 'Phần nội dung sáng kiến', `chưa có mục «${sec.heading}» hoặc mục này chưa có nội dung.`,
          `Thêm một đề mục «${sec.heading}» (kiểu Heading 2 trong Word) rồi viết nội dung bên dưới.`);
      }
    }
  }

  run() {
    const [start, end] = this.bodyRange();
    this.collectForm(start);
    const hasSections = this.blocks.slice(start, end).some((b) => this.isParagraph(b) && sectionOf(b, this.rules));
    if (!this.out.formFound && !hasSections) {
      this.say('SK034', 'Toàn văn bản', 'không có bảng thông tin sáng kiến (Đơn yêu cầu công nhận sáng kiến) và không có đề mục «Thực trạng», «Giải pháp».',
        'Tải mẫu bằng lệnh sangkien template (hoặc nút «Tải mẫu Word» trên trang Nộp sáng kiến), chép nội dung vào mẫu rồi nộp lại.');
      return this.out;
    }
    this.readAuthors(start);
    this.readParticipants();
    this.readResults();
    this.readFields();
    this.readSubmitted(start);
    this.readBody(start, end);
    if (this.out.filled === 0) {
      this.out.problems = [makeProblem(this.codes, 'SK035', 'Toàn văn bản: mẫu chưa được điền (bảng thông tin, bảng tác giả và phần nội dung đều trống).')];
    }
    return this.out;
  }
}

// A problem as sangkien.codes.problem writes it: the message ends with «Cách sửa: …».
export function makeProblem(codes, code, what, fix = null, severity = null) {
  const info = codes[code] || { severity: 'error', fix: '' };
  return { code, severity: severity || info.severity, message: `${what} Cách sửa: ${fix || info.fix}` };
}

/** wordimport.mapping.read: blocks -> { data, body (with image placeholders), images, problems, ... }. */
export function mapBlocks(blocks, rules, codes) {
  return new Mapper(blocks, rules, codes).run();
}

const ID_MAX = 80; // the schema's slug maxLength

/** The id proposed from the title (rules.json `id`, word_import.entry_id): cut at a word boundary. */
export function entryId(title) {
  const full = fold(title).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (full.length <= ID_MAX) return full;
  const cut = full.slice(0, ID_MAX + 1);
  return cut.slice(0, cut.lastIndexOf('-') < 0 ? cut.length : cut.lastIndexOf('-')) || slugify(title);
}

function showDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * A Word file as `sangkien import` reads it, for the form: { refused, data, body, images, problems }.
 * `refused`: nothing could be read (the form keeps what it has). Otherwise `data` holds the fields
 * read (id, campaign, unit and submitted as compose() sets them from `given`), and `problems`
 * what could not be read, in the order the command line reports them.
 */
export async function importWord(name, bytes, rules, codes, given, total = bytes.length) {
  let blocks;
  try {
    blocks = await readBlocks(name, bytes, rules, total);
  } catch (err) {
    if (err instanceof WordRefusal) return { refused: true, problems: [makeProblem(codes, err.code, err.message)] };
    throw err;
  }
  const reading = mapBlocks(blocks, rules, codes);
  const problems = [...reading.problems];
  reading.images.forEach(([, image], i) => {
    if (!(image.content_type in IMAGE_EXT)) problems.push(makeProblem(codes, 'SK045', `Hình ${i + 1} (${image.name}) có dạng ${image.content_type}, không lưu được vào kho.`));
  });
  const converted = blocks.filter((b) => b.kind === 'paragraph' && b.legacy);
  const legacy = [...new Set(converted.map((b) => b.legacy))].sort();
  if (legacy.length) {
    const numbers = converted.map((b) => String(b.number));
    const fonts = legacy.map((x) => ({ tcvn3: 'TCVN3 (.VnTime)', vni: 'VNI' })[x]).join(' và ');
    problems.push(makeProblem(codes, 'SK042', `Đoạn ${numbers.slice(0, 8).join(', ')}${numbers.length > 8 ? '…' : ''}: chữ phông ${fonts} đã được chuyển sang Unicode.`));
  }
  const refused = problems.some((p) => p.code === 'SK034' || p.code === 'SK035');
  if (refused) return { refused: true, problems };
  if (!('submitted' in reading.data) && !problems.some((p) => p.severity === 'error')) {
    problems.push(makeProblem(codes, 'SK047', `Không thấy ngày nộp hay ngày ký đơn; ghi ngày nhập ${showDate(given.today)}.`));
  }
  // compose(): id from the title, the campaign and unit given, submitted by default today, images as attachments
  const data = { ...reading.data };
  data.id = entryId(String(data.title || ''));
  if (given.campaign) data.campaign = given.campaign;
  if (given.unit) data.unit = given.unit;
  if (!('submitted' in data)) data.submitted = given.today;
  let body = reading.body;
  const attachments = [...(data.attachments || [])];
  const files = [];
  reading.images.forEach(([caption, image], i) => {
    const ext = IMAGE_EXT[image.content_type];
    const placeholder = `\0image${i + 1}`;
    if (!ext) {
      body = body.replace(placeholder, '');
      return;
    }
    const file = `${data.id}-hinh-${i + 1}${ext}`;
    body = body.replace(placeholder, `![${caption}](${file})`);
    attachments.push({ kind: 'hinh-anh', title: caption, file });
    files.push({ file, type: image.content_type, data: image.data });
  });
  if (attachments.length) data.attachments = attachments;
  body = body.split('\n\n').filter((part) => strip(part)).join('\n\n');
  return { refused: false, data, body, images: files, problems };
}

window.sangkienWord = { importWord, HEAD };
