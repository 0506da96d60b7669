// The entry file: front matter written in the schema's order with YAML that reads back the same
// under YAML 1.2 and 1.1 (strings quoted wherever a plain scalar could turn into a date, number,
// boolean or null, or break the syntax), then the Markdown body. Reading an existing file uses
// the vendored js-yaml (core schema: dates stay strings, as in sangkien/yamlstrict.py).
// sangkien/yamlwrite.py (used by `sangkien new` and the council's decisions.yaml edits) writes
// the same text with the same rules.

import { nfc } from './textnorm.js';

const SPECIAL_START = /^[-?:,[\]{}#&*!|>'"%@`<=.~\s]/;
const RESOLVES = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
// Starts like a number and holds only ASCII letters, digits, `_ . : + -` or spaces: a number,
// date or time in one of the YAML versions. `2/QĐ-UBND`, `100%`, `15 ngày` stay plain.
const NUMBERISH = /^[-+]?(?:[0-9]|\.[0-9])[0-9A-Za-z_.:+\- ]*$/;
const ESCAPE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/u;

function quote(text) {
  let out = '"';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ESCAPE.test(ch)) out += '\\u' + ch.codePointAt(0).toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

// A plain scalar only when it cannot mean anything but this string.
export function plainOk(text, flow = false) {
  if (!text || text !== text.trim()) return false;
  if (SPECIAL_START.test(text) || RESOLVES.test(text) || NUMBERISH.test(text)) return false;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':') || /[\n\t]/.test(text) || ESCAPE.test(text)) return false;
  if (flow && /[,[\]{}:]/.test(text)) return false; // libyaml ends a plain scalar at any ':' inside [ ] or { }
  return true;
}

export function scalar(value, flow = false) {
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? numberText(value) : quote(String(value));
  const text = String(value);
  return plainOk(text, flow) ? text : quote(text);
}

// A number with a dot in the mantissa: YAML 1.1 and the strict reader read `1e-7` as text.
function numberText(value) {
  const text = String(value);
  const [mantissa, exponent] = text.split('e');
  return exponent !== undefined && !mantissa.includes('.') ? `${mantissa}.0e${exponent}` : text;
}

// A field name plain unless YAML 1.1 would read it as something else (`yes`, `on`, `null`).
function keyText(key) {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && plainOk(key) ? key : quote(key);
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isScalar(v) {
  return v === null || typeof v !== 'object';
}

function mapping(obj, indent) {
  const pad = ' '.repeat(indent);
  const lines = [];
  for (const [key, value] of Object.entries(obj)) {
    const k = `${pad}${keyText(key)}:`;
    if (isScalar(value)) {
      lines.push(`${k} ${scalar(value)}`);
    } else if (Array.isArray(value)) {
      if (!value.length) lines.push(`${k} []`);
      else if (value.every(isScalar)) lines.push(`${k} [${value.map((v) => scalar(v, true)).join(', ')}]`);
      else lines.push(k, ...sequence(value, indent + 2));
    } else if (!Object.keys(value).length) {
      lines.push(`${k} {}`);
    } else {
      lines.push(k, ...mapping(value, indent + 2));
    }
  }
  return lines;
}

function sequence(items, indent) {
  const pad = ' '.repeat(indent);
  const lines = [];
  for (const item of items) {
    if (isObject(item) && Object.keys(item).length) {
      const inner = mapping(item, indent + 2);
      lines.push(`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1));
    } else if (Array.isArray(item) && item.length) {
      const inner = sequence(item, indent + 2);
      lines.push(`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1));
    } else if (isObject(item)) {
      lines.push(`${pad}- {}`);
    } else if (Array.isArray(item)) {
      lines.push(`${pad}- []`);
    } else {
      lines.push(`${pad}- ${scalar(item)}`);
    }
  }
  return lines;
}

// Keys in the order of the schema's properties, unknown keys after them (recursively).
export function ordered(value, node, info) {
  node = info.resolve(node || {});
  if (Array.isArray(value)) return value.map((v) => ordered(v, node.items, info));
  if (!isObject(value)) return value;
  const props = node.properties || {};
  const out = {};
  for (const key of Object.keys(props)) if (key in value) out[key] = ordered(value[key], props[key], info);
  for (const key of Object.keys(value)) if (!(key in props)) out[key] = value[key];
  return out;
}

export function renderEntry(data, body) {
  const text = String(body || '').replace(/\r\n?/g, '\n').replace(/^\n+/, '').replace(/\s+$/, '');
  return nfc(`---\n${mapping(data, 0).join('\n')}\n---\n\n${text}\n`);
}

// The place before a message, as sangkien/problems.py `placed` writes it: the one place that
// writes «Dòng N: » (at 'line') or «Dòng N, cột M: » (at 'column'). The form's own checks name
// the field instead and use neither.
export function placed(line, column, at, detail) {
  if (at === 'line') return `Dòng ${line}: ${detail}`;
  if (at === 'column') return `Dòng ${line}, cột ${column}: ${detail}`;
  return detail;
}

// An existing file -> {data, body} or {error}. Messages say what is wrong and how to fix it.
export function parseEntry(raw) {
  let text = nfc(String(raw).replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'));
  const lines = text.split('\n');
  if (lines[0].trim() !== '---') {
    return { error: 'SK010', message: 'Dòng đầu tiên của tệp phải là ba dấu gạch ngang (---). Hãy dán toàn bộ tệp bài .md, kể cả phần thông tin ở đầu.' };
  }
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === '---' || line.trim() === '...'));
  if (end < 0) {
    return { error: 'SK011', message: 'Không thấy dòng --- đóng phần thông tin. Thêm một dòng chỉ có --- sau trường cuối cùng.' };
  }
  const yamlText = lines.slice(1, end).join('\n');
  let data;
  try {
    data = globalThis.jsyaml.load(yamlText, { schema: globalThis.jsyaml.CORE_SCHEMA });
  } catch (err) {
    const line = err && err.mark ? err.mark.line + 2 : 1;
    return { error: 'SK100', message: placed(line, 1, 'line', `lỗi cú pháp YAML (${err && err.reason ? err.reason : err}). Kiểm tra thụt lề bằng dấu cách và dấu nháy.`) };
  }
  if (!isObject(data)) {
    return { error: 'SK013', message: 'Phần thông tin không phải danh sách trường dạng «tên: giá trị».' };
  }
  text = lines.slice(end + 1).join('\n').replace(/^\n+/, '');
  return { data, body: text };
}
