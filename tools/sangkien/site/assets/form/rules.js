// The browser's twin of `sangkien validate` for one entry: the JSON Schema (vendored
// @cfworker/json-schema, Draft 2020-12) with its errors mapped to the codes of
// sangkien/schemas.py, the entry rules of checks/entry.py, the cross-file rules of
// checks/repository.py that only need the registry and campaigns, the window at the browser's
// clock (checks/changes.py), and the privacy scan of checks/text.py with the patterns generated
// from that module. Messages say the same things without "Dòng N:", since the form shows the
// field itself.
//
// A problem is {code, severity, path, message, fix, place}; `place` mirrors the (line, column)
// the Python validator would report, so "one error per place" keeps the same codes.

import { Validator } from './vendor/cfworker-json-schema/index.js';
import { fold } from './textnorm.js';
import { Privacy } from './privacy.js';
import { TYPED_DATE_HINT, parseTypedDate } from './dates.js';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const ICT = 7 * HOUR;

// ------------------------------------------------------------------ ids in use (site/form.py id_key)
// The page knows the ids and paths of files that are not public only by this key (FNV-1a, 64 bits).
export function idKey(text) {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(String(text))) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

// The stored value for an id in use: its path (public) or "#" + idKey(path); undefined if free.
export function usedBy(ctx, id) {
  return typeof id === 'string' ? (ctx.ids || {})[idKey(id)] : undefined;
}

export function samePath(stored, path) {
  return typeof stored === 'string' && typeof path === 'string' && (stored === path || stored === `#${idKey(path)}`);
}

function usedText(stored) {
  return stored.startsWith('#') ? 'một tệp khác trong kho' : stored;
}

// ------------------------------------------------------------------ Vietnam time (vntime.py)
export function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

export function show(ms) {
  const d = new Date(ms + ICT);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} (giờ Việt Nam)`;
}

export function showDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

export function localDate(ms) {
  const d = new Date(ms + ICT);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function startOf(iso) {
  return Date.parse(`${iso}T00:00:00+07:00`);
}

// A real calendar date written yyyy-mm-dd, as model.as_date accepts it.
export function asDate(value) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? value : null;
}

export function span(from, to) {
  let seconds = Math.max(0, Math.floor((to - from) / 1000));
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds - hours * 3600) / 60);
  if (days) return `${days} ngày` + (hours ? ` ${hours} giờ` : '');
  if (hours) return `${hours} giờ` + (minutes ? ` ${minutes} phút` : '');
  return `${Math.max(minutes, 1)} phút`;
}

// ------------------------------------------------------------------ schema walking (schemas.py)
export class SchemaInfo {
  constructor(schema) {
    this.schema = schema;
  }

  resolve(node) {
    let seen = 0;
    while (node && typeof node === 'object' && '$ref' in node && seen < 10) {
      let target = this.schema;
      for (const part of node.$ref.replace(/^#\/?/, '').split('/')) target = (target || {})[part] || {};
      const rest = { ...node };
      delete rest.$ref;
      node = { ...target, ...rest };
      seen += 1;
    }
    return node || {};
  }

  subschema(path) {
    let node = this.resolve(this.schema);
    for (const part of path) {
      if (typeof part === 'number') {
        node = this.resolve(node.items || {});
      } else {
        const props = node.properties || {};
        const extra = node.additionalProperties && typeof node.additionalProperties === 'object' ? node.additionalProperties : {};
        node = this.resolve(part in props ? props[part] : extra);
      }
    }
    return node;
  }

  choices(node) {
    node = this.resolve(node);
    if (Array.isArray(node.enum)) return node.enum.map((v) => [String(v), String(v)]);
    const options = node.oneOf || [];
    if (options.length && options.every((o) => o && typeof o === 'object' && 'const' in o)) {
      return options.map((o) => [String(o.const), o.title || String(o.const)]);
    }
    return [];
  }

  title(path) {
    return path.length ? this.subschema(path).title : undefined;
  }

  // The field as the form labels it: «Tác giả 3 – Họ và tên», never a key path.
  plain(path) {
    const parts = [];
    for (let i = 0; i < path.length; i++) {
      const part = path[i];
      const title = this.subschema(path.slice(0, i + 1)).title;
      if (typeof part === 'number') {
        const item = `${title || 'Mục'} ${part + 1}`;
        if (parts.length) parts[parts.length - 1] = item;
        else parts.push(item);
      } else {
        parts.push(title || String(part));
      }
    }
    return parts.join(' – ');
  }

  label(path) {
    return path.length ? `«${this.plain(path)}»` : 'phần thông tin';
  }

  titles(keys, path = []) {
    return keys.map((k) => `«${this.title([...path, k]) || k}»`).join(', ');
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function at(data, path) {
  let v = data;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return v;
}

// Where the Python validator would put a problem (yamlstrict positions): a mapping starts at
// its first key, a sequence and a scalar at themselves; `key` means the key's own position.
// checks/text.py's _html_tag and code_spans: the first "<" + letter, "/", "!" or "?"; in Markdown
// (`markup`) outside the inline code spans of the line. Same rule, same index, linear.
const TAG_SHOWN = 40;

export function codeSpans(line) {
  const runs = [...line.matchAll(/`+/g)].map((m) => [m.index, m.index + m[0].length]);
  const following = new Array(runs.length).fill(-1);
  const last = new Map();
  for (let i = runs.length - 1; i >= 0; i--) {
    const size = runs[i][1] - runs[i][0];
    following[i] = last.has(size) ? last.get(size) : -1;
    last.set(size, i);
  }
  const spans = [];
  let i = 0;
  while (i < runs.length) {
    const start = runs[i][0];
    let slashes = 0;
    while (slashes < start && line[start - slashes - 1] === '\\') slashes++;
    const close = following[i];
    if (close < 0 || slashes % 2) {
      i++;
      continue;
    }
    spans.push([start, runs[close][1]]);
    i = close + 1;
  }
  return spans;
}

export function htmlTag(pattern, text, markup) {
  const rx = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g');
  let m = rx.exec(text);
  if (!m || !markup || !text.includes('`')) return m ? m.index : null;
  let at = m.index;
  for (const [start, end] of codeSpans(text)) {
    if (at < start) break;
    if (at < end) {
      rx.lastIndex = end;
      m = rx.exec(text);
      if (!m) return null;
      at = m.index;
    }
  }
  return at;
}

export function placeOf(data, path, { key = false, offset = 0 } = {}) {
  if (key) return `K${JSON.stringify(path)}`;
  let value = at(data, path);
  while (value === undefined && path.length) {
    path = path.slice(0, -1); // Parsed.where: the nearest ancestor that exists
    value = at(data, path);
    offset = 0;
  }
  if (isObject(value)) {
    const first = Object.keys(value)[0];
    if (first !== undefined) return `K${JSON.stringify([...path, first])}`;
  }
  return `V${JSON.stringify(path)}@${offset}`;
}

// ------------------------------------------------------------------ schema errors -> codes
const TYPES = {
  string: 'chữ (văn bản)',
  number: 'số',
  integer: 'số nguyên',
  boolean: 'ô đánh dấu (có hoặc không)',
  array: 'danh sách',
  object: 'nhóm trường',
  null: 'để trống',
};
const WRAPPERS = new Set(['$ref', '$recursiveRef', '$dynamicRef', 'properties', 'patternProperties', 'items', 'prefixItems',
  'additionalItems', 'unevaluatedItems', 'allOf', 'if', 'dependentSchemas', 'false', 'contains', 'propertyNames']);
const IN_BRANCH = /\/(?:oneOf|anyOf)\/\d+(?:\/|$)|\/not(?:\/|$)/;

function shown(value) {
  if (value === true) return 'có';
  if (value === false) return 'không';
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length <= 60 ? text : text.slice(0, 57) + '...';
}

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function decodePointer(location, data) {
  const parts = location.replace(/^#\/?/, '');
  if (!parts) return [];
  const path = [];
  let node = data;
  for (const raw of parts.split('/')) {
    const seg = decodeURI(raw).replace(/%23/g, '#').replace(/~1/g, '/').replace(/~0/g, '~');
    const part = Array.isArray(node) && /^\d+$/.test(seg) ? Number(seg) : seg;
    path.push(part);
    node = node !== null && typeof node === 'object' ? node[part] : undefined;
  }
  return path;
}

export class Checker {
  // ctx: the JSON embedded in the page by sangkien/site/form.py
  constructor(ctx) {
    this.ctx = ctx;
    this.info = new SchemaInfo(ctx.schema);
    this.validator = new Validator(ctx.schema, '2020-12', false);
    this.campaigns = Object.fromEntries(ctx.campaigns.map((c) => [c.id, c]));
    this.units = Object.fromEntries(ctx.units.map((u) => [u.id, u]));
    const p = ctx.privacy.patterns;
    const rx = (name, extra = '') => new RegExp(p[name].source, p[name].flags + extra);
    this.rx = {};
    for (const name of Object.keys(p)) this.rx[name] = rx(name);
    this.rxg = {};
    for (const name of Object.keys(p)) this.rxg[name] = rx(name, 'g');
    this.webmail = new Set(ctx.privacy.webmail);
    this.phones = new Set(ctx.contacts.phones);
    this.emails = new Set(ctx.contacts.emails);
    this.personalKeys = ctx.privacy.personal_keys ? new RegExp(ctx.privacy.personal_keys.source, ctx.privacy.personal_keys.flags) : null;
    this.personal = new Privacy(ctx.privacy.personal); // checks/privacy.py
  }

  problem(code, path, message, { fix, severity, place, data, clock = false } = {}) {
    const info = this.ctx.codes[code] || { severity: 'error', fix: '' };
    return {
      clock, // found against the browser's clock, like CI on a pull request, not in the file itself
      code,
      severity: severity || info.severity,
      path,
      message,
      fix: fix || info.fix,
      place: place !== undefined ? place : placeOf(data, path),
    };
  }

  // Everything the validator would say about this entry at `path`, plus the window at `now`.
  // `options.editing`: the repository path of the entry being edited (its own id is not a duplicate).
  check(data, body, now, options = {}) {
    const found = [];
    found.push(...this.schemaProblems(data));
    found.push(...this.entryProblems(data, body));
    found.push(...this.scanStrings(data, [], data));
    found.push(...this.scanBody(body));
    found.push(...this.repositoryProblems(data, options));
    found.push(...this.windowProblems(data, now, options.editing));
    return onePerPlace(found);
  }

  // ---------------------------------------------------------------- JSON Schema
  schemaProblems(data) {
    const result = this.validator.validate(data);
    const out = [];
    const seen = new Set();
    for (const error of result.errors) {
      if (WRAPPERS.has(error.keyword) || IN_BRANCH.test(error.keywordLocation)) continue;
      const path = decodePointer(error.instanceLocation, data);
      if (error.keyword === 'additionalProperties' && this.info.subschema(path).additionalProperties !== false) continue;
      for (const p of this.translate(error.keyword, path, data)) {
        const key = `${p.code}|${p.place}|${p.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(p);
        }
      }
    }
    return out;
  }

  translate(keyword, path, data) {
    const info = this.info;
    const value = at(data, path);
    const node = info.subschema(path);
    const where = info.label(path);
    if (keyword === 'required') {
      const missing = (node.required || []).filter((k) => !isObject(value) || !(k in value));
      return missing.map((key) => {
        const title = info.title([...path, key]);
        return this.problem('SK201', [...path, key],
          `Chưa điền ${info.label([...path, key])}.`,
          { fix: `Điền ô «${title || key}».`, place: placeOf(data, path) });
      });
    }
    if (keyword === 'additionalProperties' || keyword === 'unevaluatedProperties') {
      const allowed = Object.keys(node.properties || {});
      const extras = isObject(value) ? Object.keys(value).filter((k) => !allowed.includes(k)) : [];
      return extras.map((key) => {
        const place = placeOf(data, [...path, key], { key: true });
        if (this.personalKeys && this.personalKeys.test(key)) {
          return this.problem('SK502', [...path, key], `Trường «${key}» chứa thông tin cá nhân, không được đưa lên kho công khai.`, { place });
        }
        return this.problem('SK202', [...path, key], `Trường «${key}» không có trong mẫu${path.length ? ' của ' + where : ''}.`,
          { fix: `Xóa trường này. Các trường có trong mẫu: ${info.titles(allowed, path)}.`, place });
      });
    }
    const options = info.choices(node);
    if (['oneOf', 'anyOf', 'enum', 'const'].includes(keyword) && options.length) {
      const listing = options.map(([, l]) => `«${l}»`).join('; ');
      return [this.problem('SK204', path, `${where} có giá trị «${shown(value)}» không nằm trong danh sách cho phép.`,
        { fix: `Chọn một giá trị trong danh sách: ${listing}.`, data })];
    }
    if (keyword === 'oneOf') {
      const keys = [...new Set((node.oneOf || []).flatMap((o) => o.required || []))].sort();
      if (keys.length) {
        return [this.problem('SK208', path, `${where} phải có đúng một trong các ô: ${info.titles(keys, path)}.`,
          { fix: `Chỉ điền một trong các ô ${info.titles(keys, path)}.`, data })];
      }
    }
    if (keyword === 'type') {
      const expected = [].concat(node.type).map((t) => TYPES[t] || t).join(' hoặc ');
      return [this.problem('SK203', path, `${where} phải là ${expected}, nhưng đang là «${shown(value)}».`,
        { fix: `Ghi giá trị dạng ${expected}.`, data })];
    }
    if (keyword === 'pattern' || keyword === 'format') return [this.patternProblem(keyword, path, value, node, where, data)];
    if (keyword === 'minLength' || keyword === 'maxLength') {
      const size = typeof value === 'string' ? [...value].length : 0;
      const what = keyword === 'minLength' ? `quá ngắn (${size} ký tự, cần ít nhất ${node.minLength})` : `quá dài (${size} ký tự, tối đa ${node.maxLength})`;
      return [this.problem('SK206', path, `${where} ${what}.`, { data })];
    }
    if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(keyword)) {
      const rel = { minimum: 'không nhỏ hơn', maximum: 'không lớn hơn', exclusiveMinimum: 'lớn hơn', exclusiveMaximum: 'nhỏ hơn' }[keyword];
      return [this.problem('SK206', path, `${where} bằng ${shown(value)}, phải ${rel} ${node[keyword]}.`, { data })];
    }
    if (['minItems', 'maxItems', 'uniqueItems'].includes(keyword)) {
      const what = { minItems: `cần ít nhất ${node.minItems} mục`, maxItems: `tối đa ${node.maxItems} mục`, uniqueItems: 'có mục bị trùng' }[keyword];
      return [this.problem('SK207', path, `Danh sách ${where} ${what}.`, { data })];
    }
    return [this.problem('SK208', path, `${where} không hợp lệ theo mẫu.`, { data })];
  }

  patternProblem(keyword, path, value, node, where, data) {
    const isDate = node.format === 'date' || String(node.pattern || '').includes('\\d{4}-\\d{2}-\\d{2}');
    if (isDate) {
      const typed = parseTypedDate(typeof value === 'string' ? value : shown(value));
      const how = `Ghi lại ngày theo ${TYPED_DATE_HINT}.`;
      if (typed.iso && typed.iso !== value) {
        return this.problem('SK205', path, `${where} ghi «${value}»; trong tệp, ngày phải ghi dạng năm-tháng-ngày (${typed.iso}).`, { fix: how, data });
      }
      if (keyword === 'format' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return this.problem('SK215', path, `${where}: ${typed.error}`, { fix: how, data });
      return this.problem('SK205', path, `${where}: ${typed.error || `«${shown(value)}» không phải ngày.`}`, { fix: how, data });
    }
    if (String(node.pattern || '').startsWith('^[a-z0-9]+(-[a-z0-9]+)*$')) {
      return this.problem('SK205', path, `${where} là «${shown(value)}», mã chỉ gồm chữ thường không dấu, số và gạch nối.`, { data });
    }
    const example = (node.examples || [])[0];
    return this.problem('SK205', path, `${where} là «${shown(value)}», không đúng định dạng.`,
      { fix: `${node.description || 'Viết lại giá trị theo đúng định dạng.'}${example ? ` Ví dụ: «${example}».` : ''}`, data });
  }

  // ---------------------------------------------------------------- checks/entry.py
  entryProblems(data, body) {
    const out = [];
    if (!isObject(data)) return out;
    const authors = (Array.isArray(data.authors) ? data.authors : []).filter(isObject);
    const participation = data.participation;
    const pPlace = placeOf(data, ['participation']);
    if (participation === 'ca-nhan' && authors.length > 1) {
      out.push(this.problem('SK213', ['participation'], `Hình thức cá nhân nhưng có ${authors.length} tác giả.`,
        { fix: 'Chọn hình thức «Nhóm tác giả», hoặc chỉ giữ một tác giả.', place: pPlace }));
    }
    if (participation === 'nhom') {
      const reps = authors.filter((a) => a.representative === true);
      if (authors.length < 2) {
        out.push(this.problem('SK213', ['participation'], `Nhóm tác giả cần từ 02 người trở lên, đang có ${authors.length}.`, { place: pPlace }));
      } else if (reps.length !== 1) {
        out.push(this.problem('SK213', ['participation'], `Nhóm tác giả cần đúng một người đại diện, đang có ${reps.length}.`,
          { fix: 'Đánh dấu «Người đại diện» cho đúng một tác giả.', place: pPlace }));
      }
    }
    const shares = authors.map((a) => a.contribution);
    if (authors.length && shares.every((s) => typeof s === 'number')) {
      const total = shares.reduce((a, b) => a + b, 0);
      if (Math.abs(total - 100) > 0.01) {
        out.push(this.problem('SK214', ['authors'], `Tổng tỷ lệ đóng góp của các tác giả là ${Number(total.toPrecision(6))}%, phải bằng 100%.`,
          { place: placeOf(data, ['authors']) }));
      }
    }
    const first = asDate(data.first_applied);
    const submitted = asDate(data.submitted);
    if (first && submitted && first > submitted && data.application_status !== 'chua-ap-dung') {
      out.push(this.problem('SK216', ['first_applied'], `Ngày áp dụng lần đầu ${showDate(first)} sau ngày nộp ${showDate(submitted)}.`, { data }));
    }
    out.push(...this.bodyProblems(body));
    (Array.isArray(data.attachments) ? data.attachments : []).forEach((item, i) => {
      if (!isObject(item) || typeof item.file !== 'string') return;
      const ok = /^[a-z0-9][a-z0-9._-]*$/.test(item.file) && !item.file.includes('..');
      if (!ok) {
        out.push(this.problem('SK218', ['attachments', i, 'file'], `Tệp kèm theo «${item.file}» phải nằm cùng thư mục với bài.`, { data }));
      }
    });
    return out;
  }

  bodyProblems(body) {
    if (!String(body || '').trim()) {
      return [this.problem('SK217', ['body'], 'Phần mô tả bản chất sáng kiến đang trống.', { place: 'B1@1' })];
    }
    const headings = [];
    for (const line of body.split('\n')) {
      const m = /^#{1,3}\s+(.+?)\s*#*\s*$/u.exec(line);
      if (m) headings.push(fold(m[1]));
    }
    const out = [];
    const sections = [['## Thực trạng', ['thuc trang', 'van de', 'hien trang']], ['## Giải pháp', ['giai phap', 'noi dung giai phap']]];
    for (const [title, variants] of sections) {
      if (!headings.some((h) => variants.some((v) => h.startsWith(v)))) {
        out.push(this.problem('SK219', ['body'], `Phần mô tả chưa có mục «${title}».`,
          { fix: `Thêm dòng «${title}» rồi viết nội dung bên dưới; trang công khai dùng mục này để trình bày.`, place: 'B1@1' }));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- checks/text.py
  scan(text, where, path, placeFor, markup = false) {
    const out = [];
    const rxg = this.rxg;
    const push = (code, message, start, severity) => out.push(this.problem(code, path, message, { severity, place: placeFor(start) }));
    for (const f of this.personal.findings(text, this.phones, this.emails)) push(f.code, `${where} ${f.what}`, f.start, f.severity);
    const moji = [...text.matchAll(rxg.MOJIBAKE)].map((m) => m[0]);
    if (moji.length >= 2) push('SK510', `${where} có chữ bị lỗi phông như «${moji[0]}», «${moji[1]}».`, 0);
    const tag = htmlTag(this.rx.HTML_TAG, text, markup);
    if (tag !== null) {
      let shownTag = text.slice(tag, tag + TAG_SHOWN);
      shownTag = shownTag.includes('>') ? shownTag.slice(0, shownTag.indexOf('>') + 1) : shownTag + (text.length > tag + TAG_SHOWN ? '…' : '');
      push('SK511', `${where} có thẻ HTML «${shownTag}».`, tag);
    }
    const link = this.rx.UNSAFE_LINK.exec(text);
    if (link) push('SK512', `${where} có liên kết không an toàn «${link[0]}».`, link.index);
    for (const m of text.matchAll(rxg.WORD)) {
      if (this.rx.CYRILLIC_GREEK.test(m[0]) && this.rx.LATIN.test(m[0])) {
        push('SK513', `${where} có từ «${m[0]}» lẫn chữ Latinh với chữ Hy Lạp hoặc Kirin.`, 0);
        break;
      }
    }
    const invisible = this.rx.INVISIBLE.exec(text);
    if (invisible) {
      const hex = invisible[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
      push('SK514', `${where} có ký tự vô hình U+${hex}.`, invisible.index);
    }
    return out;
  }

  scanStrings(value, path, data) {
    if (Array.isArray(value)) return value.flatMap((v, i) => this.scanStrings(v, [...path, i], data));
    if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => this.scanStrings(v, [...path, k], data));
    if (typeof value !== 'string') return [];
    return this.scan(value, `Trường ${this.info.label(path)}`, path, (start) => placeOf(data, path, { offset: start }));
  }

  scanBody(body) {
    const out = [];
    let fenced = false;
    String(body || '').split('\n').forEach((line, offset) => {
      const stripped = line.replace(/^\s+/, '');
      if (stripped.startsWith('```') || stripped.startsWith('~~~')) {
        fenced = !fenced;
        return;
      }
      for (const p of this.scan(line, `Phần mô tả (dòng ${offset + 1})`, ['body'], (start) => `B${offset + 1}@${start + 1}`, true)) {
        if (fenced && (p.code === 'SK511' || p.code === 'SK512')) continue;
        out.push(p);
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- checks/repository.py
  repositoryProblems(data, { editing } = {}) {
    const out = [];
    if (!isObject(data)) return out;
    const known = usedBy(this.ctx, data.id);
    if (known && !samePath(known, editing)) {
      out.push(this.problem('SK301', ['id'], `Mã «${data.id}» đã dùng cho ${usedText(known)}.`, { fix: 'Đặt mã khác (sửa tên sáng kiến hoặc tự ghi mã).', data }));
    }
    const camp = this.campaigns[data.campaign];
    if (data.campaign && !camp) {
      out.push(this.problem('SK302', ['campaign'], `Đợt «${data.campaign}» không tồn tại. Các đợt hiện có: ${Object.keys(this.campaigns).sort().join(', ')}.`, { data }));
    }
    const unit = this.units[data.unit];
    if (data.unit && !unit) {
      out.push(this.problem('SK303', ['unit'], `Đơn vị «${data.unit}» không có trong danh mục đơn vị.`, { data }));
    }
    const day = asDate(data.submitted);
    if (unit && day && !validOn(unit, day)) {
      const spanText = `${unit.valid_from ? showDate(unit.valid_from) : '…'} – ${unit.valid_to ? showDate(unit.valid_to) : '…'}`;
      out.push(this.problem('SK304', ['submitted'], `«${unit.name}» chỉ có hiệu lực ${spanText}, không còn vào ngày nộp ${showDate(day)}.`,
        { fix: unit.successor ? `Nộp dưới tên đơn vị kế thừa «${unit.successor}».` : undefined, data }));
    }
    if (!camp) return out;
    if (camp.eligible_units.length && data.unit && !camp.eligible_units.includes(data.unit) && unit) {
      out.push(this.problem('SK311', ['unit'], `Đơn vị «${data.unit}» không có trong danh sách đơn vị tham gia đợt «${camp.id}».`, { data }));
    }
    if (camp.kind !== 'thi-dua') {
      (Array.isArray(data.areas) ? data.areas : []).forEach((area, i) => {
        if (camp.areas.length && typeof area === 'string' && !camp.areas.includes(area)) {
          out.push(this.problem('SK310', ['areas', i], `Lĩnh vực «${area}» không thuộc các lĩnh vực của đợt «${camp.id}» (${[...camp.areas].sort().join(', ')}).`, { data }));
        }
      });
      if (camp.participation.length && !camp.participation.includes(data.participation)) {
        out.push(this.problem('SK310', ['participation'], `Đợt «${camp.id}» chỉ nhận hình thức tham gia: ${camp.participation.join(', ')}.`, { data }));
      }
      (Array.isArray(data.forms) ? data.forms : []).forEach((form, i) => {
        if (camp.forms.length && typeof form === 'string' && !camp.forms.includes(form)) {
          out.push(this.problem('SK310', ['forms', i], `Đợt «${camp.id}» không nhận hình thức trình bày «${form}».`, { data }));
        }
      });
    }
    if (day && camp.closes_at) {
      const closes = Date.parse(camp.closes_at);
      const opens = camp.opens_at ? Date.parse(camp.opens_at) : null;
      if (startOf(day) >= closes) {
        out.push(this.problem('SK402', ['submitted'], `Ngày nộp ${showDate(day)} sau hạn chót ${show(closes - 1000)}.`, { data }));
      } else if (opens !== null && startOf(day) + DAY <= opens) {
        out.push(this.problem('SK401', ['submitted'], `Ngày nộp ${showDate(day)} trước khi mở nhận bài ${show(opens)}.`, { data }));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- a replication record
  // Everything `sangkien validate` says about entries/replications/<unit>/<id>.md: the schema,
  // the privacy scan, checks/replication.py and the shared id namespace (SK301).
  checkReplication(data, body, options = {}) {
    const found = [];
    found.push(...this.schemaProblems(data));
    found.push(...this.scanStrings(data, [], data));
    found.push(...this.scanBody(body));
    found.push(...this.replicationProblems(data, options));
    return onePerPlace(found);
  }

  replicationProblems(data, { editing } = {}) {
    const out = [];
    if (!isObject(data)) return out;
    const known = usedBy(this.ctx, data.id);
    if (known && !samePath(known, editing)) {
      out.push(this.problem('SK301', ['id'], `Mã «${data.id}» đã dùng cho ${usedText(known)}.`, { fix: 'Đặt mã khác (bấm «Tự ghi mã»).', data }));
    }
    const unit = typeof data.unit === 'string' ? this.units[data.unit] : undefined;
    if (typeof data.unit === 'string' && !unit) {
      out.push(this.problem('SK303', ['unit'], `Đơn vị «${data.unit}» không có trong danh mục đơn vị.`, { data }));
    }
    const since = asDate(data.since);
    if (unit && since && !validOn(unit, since)) {
      const spanText = `${unit.valid_from ? showDate(unit.valid_from) : '…'} – ${unit.valid_to ? showDate(unit.valid_to) : '…'}`;
      out.push(this.problem('SK324', ['since'], `«${unit.name}» chỉ có hiệu lực ${spanText}, không có hiệu lực vào ngày áp dụng ${showDate(since)}.`,
        { fix: unit.successor ? `Ghi nhận dưới tên đơn vị kế thừa «${(this.units[unit.successor] || {}).name || unit.successor}».` : undefined, data }));
    }
    if (typeof data.initiative !== 'string') return out;
    const target = (this.ctx.initiatives || []).find((i) => i.id === data.initiative);
    if (!target) {
      const why = (this.ctx.not_replicable || {})[idKey(data.initiative)];
      if (why) {
        out.push(this.problem('SK321', ['initiative'], `Sáng kiến mang mã «${data.initiative}» ${why}.`, { data }));
      } else {
        out.push(this.problem('SK320', ['initiative'], `Không có sáng kiến nào mang mã «${data.initiative}» trong kho.`,
          { fix: 'Chọn sáng kiến trong danh sách «Sáng kiến được nhân rộng».', data }));
      }
      return out;
    }
    if (typeof data.unit === 'string' && data.unit === target.unit) {
      out.push(this.problem('SK322', ['unit'], `«${target.unit_name}» là đơn vị đã nộp sáng kiến «${target.title}».`,
        { fix: 'Chọn đơn vị đã áp dụng lại sáng kiến; đơn vị nộp sáng kiến không tự ghi nhận nhân rộng.', data }));
    }
    if (since && target.day && since < target.day) {
      out.push(this.problem('SK323', ['since'], `Áp dụng từ ${showDate(since)}, trước ngày ký quyết định công nhận ${target.decision} (${showDate(target.day)}).`, { data }));
    }
    for (const other of this.ctx.replications || []) {
      if (other.initiative === data.initiative && other.unit === data.unit && other.path !== editing) {
        out.push(this.problem('SK325', ['initiative'], `Đơn vị này đã ghi nhận nhân rộng sáng kiến «${target.title}» tại ${other.path}.`, { data }));
        break;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- checks/changes.py, at the browser's clock
  windowProblems(data, now, editing = null) {
    const camp = isObject(data) ? this.campaigns[data.campaign] : undefined;
    if (!camp || !camp.opens_at || !camp.closes_at) return [];
    const opens = Date.parse(camp.opens_at);
    const closes = Date.parse(camp.closes_at);
    const place = 'W';
    const clock = true;
    if (editing) {
      // changing a file already in the repository: only the end of the window matters (SK403)
      return now >= closes
        ? [this.problem('SK403', ['campaign'], `Bây giờ là ${show(now)}, sau hạn chót của đợt «${camp.id}» là ${show(closes - 1000)}: không sửa bài được nữa.`, { place, clock })]
        : [];
    }
    if (now < opens) {
      return [this.problem('SK401', ['campaign'], `Bây giờ là ${show(now)}, đợt «${camp.id}» chưa mở nhận bài (mở lúc ${show(opens)}).`, { place, clock })];
    }
    if (now >= closes) {
      return [this.problem('SK402', ['campaign'], `Bây giờ là ${show(now)}, đợt «${camp.id}» đã hết hạn nhận bài lúc ${show(closes - 1000)}.`, { place, clock })];
    }
    const out = [];
    const day = asDate(data.submitted);
    const today = localDate(now);
    if (day && day !== today) {
      out.push(this.problem('SK404', ['submitted'], `Ngày nộp ghi ${showDate(day)} nhưng hôm nay là ${showDate(today)}.`,
        { fix: `Chọn ngày nộp là hôm nay (${showDate(today)}).`, place: 'W404', clock }));
    }
    return out;
  }
}

export function validOn(unit, day) {
  return (!unit.valid_from || unit.valid_from <= day) && (!unit.valid_to || day <= unit.valid_to);
}

// validator.one_per_place: the first error at each place; warnings are all kept. A missing
// field (SK201) is always kept so that each empty field shows its own error, though the Python
// report, whose missing fields all sit at the same position, shows only the first of them.
export function onePerPlace(problems) {
  const places = new Set();
  const kept = [];
  for (const p of problems) {
    const isError = p.severity === 'error';
    if (isError && places.has(p.place) && p.code !== 'SK201') continue;
    if (isError) places.add(p.place);
    kept.push(p);
  }
  return kept;
}
