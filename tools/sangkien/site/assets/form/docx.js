// A small DOCX reader for the submission page: the file never leaves the browser.
// Twin of sangkien.wordimport.docxread (same checks, same codes, same blocks; README.md of that
// package describes both), tested for parity in tests/test_word_browser.py.
//
// A .docx is a ZIP archive of XML parts. This module reads the ZIP central directory itself,
// inflates the few parts it needs with the browser's DecompressionStream('deflate-raw') and parses
// them with DOMParser. The result is the document as blocks:
//   { kind: 'paragraph', style, level, list, ordered, bold, text, legacy }
//   { kind: 'table', rows: [[text, ...], ...] }
//   { kind: 'image', name, content_type, ref, data }
//
// Bounded cost (rules.json `limits`): the file size, the number of members, the sum of the
// inflated sizes and each member's compression ratio are checked from the ZIP directory before
// anything is inflated, and every inflation stops at its part's limit whatever the header says.
// A refusal is a WordRefusal carrying the problem the Python reader gives (code, message).

// XML namespace names of Office Open XML (ECMA-376): identifiers compared with the parsed
// elements' namespaceURI, never addresses that anything fetches. The host part is joined here so
// that no address appears in the form's scripts (tests/test_form_page.py looks for any).
const OOXML = `http:/${'/'}${['schemas', 'openxmlformats', 'org'].join('.')}`;
const W = `${OOXML}/wordprocessingml/2006/main`;
const R = `${OOXML}/officeDocument/2006/relationships`;
const A = `${OOXML}/drawingml/2006/main`;
const V = 'urn:schemas-microsoft-com:vml';
const PKG_REL = `${OOXML}/package/2006/relationships`;
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENCRYPTED = Array.from('EncryptedPackage').flatMap((c) => [c.charCodeAt(0), 0]); // UTF-16LE
const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.bmp': 'image/bmp', '.emf': 'image/x-emf', '.wmf': 'image/x-wmf', '.tif': 'image/tiff', '.tiff': 'image/tiff' };
const HEADING = /^heading\s*([1-9])$/;

export class WordRefusal extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const size = (n) => `${(n / 1000000).toFixed(1).replace('.', ',')} MB`;

function contains(bytes, needle) {
  outer: for (let i = 0; i + needle.length <= bytes.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

// ------------------------------------------------------------------ the package
function u16(b, at) {
  return b[at] | (b[at + 1] << 8);
}

function u32(b, at) {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

const BROKEN = 'tệp Word bị hỏng, không mở được';

export const HEAD = 1 << 20; // where an OLE file's directory (EncryptedPackage) is looked for

/** The checks on the first bytes (up to HEAD) and the size, before the ZIP is opened (check_bytes). */
export function checkBytes(head, total, limits) {
  if (head.length >= 8 && OLE.every((x, i) => head[i] === x)) {
    if (contains(head.subarray(0, HEAD), ENCRYPTED)) throw new WordRefusal('SK032', 'tệp Word được đặt mật khẩu nên không đọc được nội dung.');
    throw new WordRefusal('SK031', 'đây là tệp Word cũ (.doc, Word 97–2003), không phải .docx.');
  }
  if (total > limits.file_bytes) throw new WordRefusal('SK033', `tệp nặng ${size(total)}, vượt giới hạn ${size(limits.file_bytes)}.`);
  if (head[0] !== 0x50 || head[1] !== 0x4b) throw new WordRefusal('SK030', 'tệp không phải tệp Word .docx (không phải tệp nén ZIP của Word).');
}

function directory(bytes) {
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i -= 1) {
    if (u32(bytes, i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new WordRefusal('SK030', `${BROKEN} (không thấy mục lục của tệp nén).`);
  const count = u16(bytes, end + 10);
  let at = u32(bytes, end + 16);
  if (at === 0xffffffff || count === 0xffff) throw new WordRefusal('SK030', `${BROKEN} (tệp nén dạng ZIP64).`);
  const members = new Map();
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) throw new WordRefusal('SK030', `${BROKEN} (mục lục của tệp nén hỏng).`);
    const nameLen = u16(bytes, at + 28);
    const name = new TextDecoder('utf-8').decode(bytes.subarray(at + 46, at + 46 + nameLen));
    members.set(name, {
      name, flags: u16(bytes, at + 8), method: u16(bytes, at + 10), compressed: u32(bytes, at + 20), inflated: u32(bytes, at + 24), local: u32(bytes, at + 42),
    });
    at += 46 + nameLen + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return members;
}

async function inflate(data, limit) {
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    chunks.push(value);
    if (total > limit) {
      reader.cancel().catch(() => {});
      break;
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

class Package {
  constructor(name, bytes, rules, total) {
    this.name = name;
    this.bytes = bytes;
    this.rules = rules;
    this.limits = rules.limits;
    this.styles = new Map();
    this.defaultFont = null;
    this.orderedNums = new Set();
    this.rels = new Map();
    checkBytes(bytes, total, this.limits);
    this.members = directory(bytes);
    const infos = [...this.members.values()];
    if (infos.length > this.limits.members) throw new WordRefusal('SK033', `tệp có ${infos.length} phần bên trong, vượt giới hạn ${this.limits.members}.`);
    const inflated = infos.reduce((sum, i) => sum + i.inflated, 0);
    if (inflated > this.limits.uncompressed_bytes) throw new WordRefusal('SK033', `tệp giải nén ra ${size(inflated)}, vượt giới hạn ${size(this.limits.uncompressed_bytes)}.`);
    for (const i of infos) {
      if (i.inflated > 1000000 && i.inflated > this.limits.ratio * Math.max(i.compressed, 1)) {
        throw new WordRefusal('SK033', `phần «${i.name}» nén với tỷ lệ bất thường (có thể là tệp «bom nén»).`);
      }
    }
    if (!this.members.has('word/document.xml')) throw new WordRefusal('SK030', 'tệp nén không có phần word/document.xml nên không phải tệp Word .docx.');
  }

  async read(member, limit) {
    const info = this.members.get(member);
    if (!info) return null;
    if (info.inflated > limit) throw new WordRefusal('SK033', `phần «${member}» trong tệp Word giải nén ra ${size(info.inflated)}, vượt giới hạn ${size(limit)}.`);
    const b = this.bytes;
    const broken = (why) => new WordRefusal('SK030', `tệp Word bị hỏng, không đọc được phần «${member}» (${why}).`);
    if (info.flags & 1) throw broken('phần này được mã hóa');
    if (info.local + 30 > b.length || u32(b, info.local) !== 0x04034b50) throw broken('đầu phần hỏng');
    const start = info.local + 30 + u16(b, info.local + 26) + u16(b, info.local + 28);
    if (start + info.compressed > b.length) throw broken('tệp bị cắt cụt');
    const raw = b.subarray(start, start + info.compressed);
    let data;
    if (info.method === 0) data = raw.subarray(0, limit + 1);
    else if (info.method === 8) {
      try {
        data = await inflate(raw, limit);
      } catch {
        throw broken('dữ liệu nén hỏng');
      }
    } else throw broken(`cách nén ${info.method} không được hỗ trợ`);
    if (data.length > limit) throw new WordRefusal('SK033', `phần «${member}» giải nén ra quá ${size(limit)}.`);
    return data;
  }

  async xml(member, limit) {
    const raw = await this.read(member, limit);
    if (!raw || !raw.length) return null;
    const text = new TextDecoder('utf-8').decode(raw);
    if (text.slice(0, 4096).includes('<!DOCTYPE') || text.includes('<!ENTITY')) {
      throw new WordRefusal('SK030', `phần «${member}» có khai báo DOCTYPE/ENTITY, không phải tệp Word thông thường.`);
    }
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) throw new WordRefusal('SK030', `tệp Word bị hỏng: phần «${member}» không đọc được (${error.textContent.trim().split('\n')[0]}).`);
    return doc.documentElement;
  }
}

// ------------------------------------------------------------------ XML helpers
const isW = (el, name) => el.namespaceURI === W && el.localName === name;
const kid = (el, name) => (el ? Array.from(el.children).find((c) => isW(c, name)) || null : null);
const path = (el, ...names) => names.reduce((cur, n) => kid(cur, n), el);
const attr = (el, name) => (el ? el.getAttributeNS(W, name) : null);

function on(el) {
  if (!el) return null;
  const v = el.hasAttributeNS(W, 'val') ? attr(el, 'val') : 'true';
  return !['0', 'false', 'off'].includes(v);
}

function fontOf(rPr) {
  const fonts = kid(rPr, 'rFonts');
  if (!fonts) return null;
  return attr(fonts, 'ascii') || attr(fonts, 'hAnsi') || null;
}

function normpath(p) {
  const out = [];
  for (const seg of p.split('/')) {
    if (seg === '..') out.pop();
    else if (seg && seg !== '.') out.push(seg);
  }
  return (p.startsWith('/') ? '/' : '') + out.join('/');
}

// ------------------------------------------------------------------ legacy fonts (rules.py twin)
export function legacyOf(font, rules) {
  if (!font) return null;
  const name = font.trim().toLowerCase();
  const fonts = rules.fonts;
  if (fonts.tcvn3.prefixes.some((p) => name.startsWith(p))) return ['tcvn3', name.endsWith(fonts.tcvn3.upper_suffix)];
  if (fonts.vni.prefixes.some((p) => name.startsWith(p))) return ['vni', false];
  return null;
}

export function convertLegacy(text, table, upper, rules) {
  let out = '';
  if (table === 'tcvn3') {
    for (const ch of text) out += Object.hasOwn(rules.tcvn3, ch) ? rules.tcvn3[ch] : ch;
  } else {
    const chars = Array.from(text);
    for (let i = 0; i < chars.length;) {
      const two = chars[i] + (chars[i + 1] ?? '');
      if (i + 1 < chars.length && Object.hasOwn(rules.vni, two)) {
        out += rules.vni[two];
        i += 2;
      } else {
        out += Object.hasOwn(rules.vni, chars[i]) ? rules.vni[chars[i]] : chars[i];
        i += 1;
      }
    }
  }
  out = out.normalize('NFC');
  return upper ? out.toUpperCase() : out;
}

// ------------------------------------------------------------------ styles, numbering, relationships
async function loadStyles(pkg) {
  const limit = pkg.limits.document_xml_bytes;
  const root = await pkg.xml('word/styles.xml', limit);
  if (root) {
    pkg.defaultFont = fontOf(path(root, 'docDefaults', 'rPrDefault', 'rPr'));
    for (const s of Array.from(root.children).filter((c) => isW(c, 'style'))) {
      const sid = attr(s, 'styleId') || '';
      const nameEl = kid(s, 'name');
      const name = nameEl ? (nameEl.hasAttributeNS(W, 'val') ? attr(nameEl, 'val') : sid) : sid;
      const based = kid(s, 'basedOn');
      const style = { name, basedOn: based ? attr(based, 'val') : null, level: 0, numbered: false, numId: null, font: null, bold: null };
      const m = HEADING.exec(name.toLowerCase()) || HEADING.exec(sid.toLowerCase());
      const pPr = kid(s, 'pPr');
      const outline = kid(pPr, 'outlineLvl');
      const ov = outline ? attr(outline, 'val') || '' : '';
      if (m) style.level = Number(m[1]);
      else if (name.toLowerCase() === 'title') style.level = 1;
      else if (outline && /^\d+$/.test(ov) && Number(ov) < 9) style.level = Number(ov) + 1;
      const num = path(pPr, 'numPr', 'numId');
      if (num) style.numId = attr(num, 'val');
      style.numbered = name.toLowerCase().includes('list number');
      const rPr = kid(s, 'rPr');
      style.font = fontOf(rPr);
      style.bold = rPr ? on(kid(rPr, 'b')) : null;
      pkg.styles.set(sid, style);
    }
  }
  const numbering = await pkg.xml('word/numbering.xml', limit);
  if (numbering) {
    const ordered = new Set();
    for (const ab of Array.from(numbering.children).filter((c) => isW(c, 'abstractNum'))) {
      const fmt = path(ab, 'lvl', 'numFmt');
      if (fmt && !['bullet', 'none'].includes(attr(fmt, 'val'))) ordered.add(attr(ab, 'abstractNumId'));
    }
    for (const num of Array.from(numbering.children).filter((c) => isW(c, 'num'))) {
      const ab = kid(num, 'abstractNumId');
      if (ab && ordered.has(attr(ab, 'val'))) pkg.orderedNums.add(attr(num, 'numId') || '');
    }
  }
  const rels = await pkg.xml('word/_rels/document.xml.rels', limit);
  if (rels) {
    for (const rel of Array.from(rels.children).filter((c) => c.namespaceURI === PKG_REL && c.localName === 'Relationship')) {
      if (rel.getAttribute('TargetMode') !== 'External') pkg.rels.set(rel.getAttribute('Id') || '', normpath(`word/${rel.getAttribute('Target') || ''}`));
    }
  }
}

function styleChain(pkg, sid) {
  const chain = [];
  while (sid && pkg.styles.has(sid) && chain.length < 20) {
    chain.push(pkg.styles.get(sid));
    sid = pkg.styles.get(sid).basedOn;
  }
  return chain;
}

const first = (list, fn) => {
  for (const x of list) {
    const v = fn(x);
    if (v !== null && v !== undefined && v !== '' && v !== 0) return v;
  }
  return null;
};

// ------------------------------------------------------------------ the body
const SKIP = new Set(['del', 'txbxContent', 'pPr', 'rPr', 'instrText']);
const CONTAINERS = new Set(['sdt', 'customXml', 'sdtContent', 'ins', 'smartTag']);

class Reader {
  constructor(pkg) {
    this.pkg = pkg;
    this.blocks = [];
    this.paragraphs = 0;
    this.tables = 0;
  }

  async body(container) {
    for (const child of Array.from(container.children)) {
      if (isW(child, 'p')) await this.paragraph(child);
      else if (isW(child, 'tbl')) this.table(child);
      else if (child.namespaceURI === W && CONTAINERS.has(child.localName)) {
        await this.body(isW(child, 'sdt') && kid(child, 'sdtContent') ? kid(child, 'sdtContent') : child);
      }
    }
  }

  runs(p, chain) {
    const parts = [];
    const bolds = [];
    const images = [];
    let legacy = null;
    const styleFont = first(chain, (s) => s.font);
    const boldStyle = chain.find((s) => s.bold !== null);
    const styleBold = boldStyle ? boldStyle.bold : false;
    const walk = (el) => {
      for (const child of Array.from(el.children)) {
        if (child.namespaceURI === W && SKIP.has(child.localName)) continue;
        if (isW(child, 'r')) {
          const rPr = kid(child, 'rPr');
          const rStyle = kid(rPr, 'rStyle');
          const cstyle = styleChain(this.pkg, rStyle ? attr(rStyle, 'val') : null);
          const font = fontOf(rPr) || first(cstyle, (s) => s.font) || styleFont || this.pkg.defaultFont;
          let bold = rPr ? on(kid(rPr, 'b')) : null;
          if (bold === null) {
            const cs = cstyle.find((s) => s.bold !== null);
            bold = cs ? cs.bold : null;
          }
          let text = this.runText(child, images);
          const which = legacyOf(font, this.pkg.rules);
          if (which && text) {
            text = convertLegacy(text, which[0], which[1], this.pkg.rules);
            legacy = which[0];
          }
          if (text.trim()) bolds.push(Boolean(bold === null ? styleBold : bold));
          parts.push(text);
        } else walk(child);
      }
    };
    walk(p);
    return { text: parts.join('').normalize('NFC'), bold: bolds.length > 0 && bolds.every(Boolean), legacy, images };
  }

  runText(run, images) {
    let out = '';
    const visit = (el) => {
      for (const c of Array.from(el.children)) {
        if (isW(c, 't')) out += c.textContent;
        else if (isW(c, 'tab') || isW(c, 'ptab')) out += ' ';
        else if (isW(c, 'br') || isW(c, 'cr')) {
          if (!['page', 'column'].includes(attr(c, 'type'))) out += '\n';
        } else if (isW(c, 'noBreakHyphen')) out += '-';
        else if (c.namespaceURI === A && c.localName === 'blip') {
          const rid = c.getAttributeNS(R, 'embed');
          if (rid) images.push(rid);
        } else if (c.namespaceURI === V && c.localName === 'imagedata') {
          const rid = c.getAttributeNS(R, 'id');
          if (rid) images.push(rid);
        }
        visit(c);
      }
    };
    visit(run);
    return out;
  }

  async paragraph(p, inTable = false) {
    const pPr = kid(p, 'pPr');
    const pStyle = kid(pPr, 'pStyle');
    const sid = pStyle ? attr(pStyle, 'val') : 'Normal';
    const chain = styleChain(this.pkg, sid);
    const { text, bold, legacy, images } = this.runs(p, chain);
    if (inTable) return text;
    this.paragraphs += 1;
    let level = first(chain, (s) => s.level) || 0;
    const outline = kid(pPr, 'outlineLvl');
    const ov = outline ? attr(outline, 'val') || '' : '';
    if (outline && /^\d+$/.test(ov) && Number(ov) < 9) level = Number(ov) + 1;
    const num = path(pPr, 'numPr', 'numId');
    const numId = num ? attr(num, 'val') : first(chain, (s) => s.numId);
    let list = (numId !== null && numId !== '0') || chain.some((s) => s.name.toLowerCase().startsWith('list '));
    const ordered = this.pkg.orderedNums.has(numId) || chain.some((s) => s.numbered);
    const name = chain.length ? chain[0].name : (sid || 'Normal');
    if (level) list = false;
    this.blocks.push({ kind: 'paragraph', style: name, level, list, ordered: list && ordered, bold, text, number: this.paragraphs, legacy });
    for (const rid of images) await this.image(rid);
    return text;
  }

  async image(rid) {
    const target = this.pkg.rels.get(rid);
    if (!target) return;
    const dot = target.lastIndexOf('.');
    const ext = dot > target.lastIndexOf('/') ? target.slice(dot).toLowerCase() : '';
    const data = (await this.pkg.read(target, this.pkg.limits.image_bytes)) || new Uint8Array();
    this.blocks.push({ kind: 'image', name: target.split('/').pop(), content_type: IMAGE_TYPES[ext] || 'application/octet-stream', ref: target, data });
  }

  cellText(tc) {
    const lines = [];
    for (const child of Array.from(tc.children)) {
      if (isW(child, 'p')) lines.push(this.runs(child, styleChain(this.pkg, (kid(kid(child, 'pPr'), 'pStyle') && attr(kid(kid(child, 'pPr'), 'pStyle'), 'val')) || 'Normal')).text);
      else if (isW(child, 'tbl')) {
        for (const tr of Array.from(child.children).filter((c) => isW(c, 'tr'))) {
          lines.push(Array.from(tr.children).filter((c) => isW(c, 'tc')).map((c) => this.cellText(c)).join(' '));
        }
      } else if (isW(child, 'sdt')) {
        const content = kid(child, 'sdtContent');
        if (content) lines.push(this.cellText(content));
      }
    }
    return lines.join('\n').replace(/^\n+|\n+$/g, '');
  }

  table(tbl) {
    this.tables += 1;
    const rows = [];
    const trs = Array.from(tbl.children).filter((c) => isW(c, 'tr'));
    for (const sdt of Array.from(tbl.children).filter((c) => isW(c, 'sdt'))) {
      const content = kid(sdt, 'sdtContent');
      if (content) trs.push(...Array.from(content.children).filter((c) => isW(c, 'tr')));
    }
    for (const tr of trs) {
      const row = [];
      for (const tc of Array.from(tr.children).filter((c) => isW(c, 'tc'))) {
        const spanEl = kid(kid(tc, 'tcPr'), 'gridSpan');
        const sv = spanEl ? attr(spanEl, 'val') || '' : '';
        const span = /^\d+$/.test(sv) ? Number(sv) : 1;
        const text = this.cellText(tc);
        for (let i = 0; i < Math.max(1, Math.min(span, 50)); i += 1) row.push(text);
      }
      rows.push(row);
    }
    this.blocks.push({ kind: 'table', rows, number: this.tables });
  }
}

/**
 * The blocks of a DOCX, or a WordRefusal (read_blocks). `bytes`: the file (Uint8Array), or only
 * its first HEAD bytes when `total`, its size, is above the limit (a file too big is never read whole).
 */
export async function readBlocks(name, bytes, rules, total = bytes.length) {
  const pkg = new Package(name, bytes, rules, total);
  await loadStyles(pkg);
  const root = await pkg.xml('word/document.xml', pkg.limits.document_xml_bytes);
  const body = kid(root, 'body');
  if (!body) throw new WordRefusal('SK030', 'tệp Word không có phần nội dung (w:body).');
  const reader = new Reader(pkg);
  await reader.body(body);
  return reader.blocks;
}

/** The blocks as the Python reader's as_json gives them (for the parity test). */
export function asJson(blocks) {
  return blocks.map((b) => (b.kind === 'paragraph'
    ? { kind: 'paragraph', style: b.style, level: b.level, list: b.list, ordered: b.ordered, bold: b.bold, text: b.text }
    : b.kind === 'table' ? { kind: 'table', rows: b.rows } : { kind: 'image', name: b.name, content_type: b.content_type, ref: b.ref }));
}
