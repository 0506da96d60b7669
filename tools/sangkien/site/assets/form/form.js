// The form pages: «Nộp sáng kiến» (ctx.kind 'entry') and «Ghi nhận nhân rộng» (ctx.kind
// 'replication'), each drawn from its schema embedded in the page, checked on every change
// with the same rules as `sangkien validate` (rules.js), written out as the entry file
// (entryfile.js). Drafts live in sessionStorage (see DRAFTS); nothing is sent anywhere except by the "Gửi" link,
// which opens the Git host's new-file page.

import { Checker, SchemaInfo, asDate, localDate, samePath, show, span, usedBy, validOn } from './rules.js';
import { ordered, parseEntry, renderEntry } from './entryfile.js';
import { renderMarkdown } from './markdown.js';
import { nfc, slugify } from './textnorm.js';
import { TYPED_DATE_HINT, parseTypedDate, typedDate } from './dates.js';

const ENTRY_SECTIONS = [
  ['Đợt phát động và đơn vị nộp', ['campaign', 'unit']],
  ['Thông tin chung', ['title', 'id', 'summary', 'submitted', 'participation']],
  ['Tác giả', ['authors', 'investor']],
  ['Nội dung và phạm vi áp dụng', ['field', 'areas', 'indices', 'solution_type', 'application_status', 'first_applied', 'scope', 'forms']],
  ['Điều kiện và lợi ích', ['conditions', 'benefits_author', 'benefits_appliers']],
  ['Áp dụng lần đầu, kết quả, tài liệu kèm theo', ['first_application_participants', 'results', 'attachments']],
  ['Dự thi lại', ['previous_contest']],
  ['Tìm kiếm', ['keywords']],
];
const REPLICATION_SECTIONS = [
  ['Sáng kiến và đơn vị nhân rộng', ['initiative', 'unit', 'since']],
  ['Nội dung ghi nhận', ['id', 'summary', 'adapted']],
  ['Kết quả và minh chứng', ['results', 'evidence']],
];
const HIDDEN = new Set(['illustrative']); // set by organisers for sample data, not by submitters
const ENTRY_SKELETON = '## Thực trạng\n\n\n## Giải pháp\n\n\n## Cách nhân rộng\n\n';
const DEBOUNCE_MS = 250;

const ctx = JSON.parse(document.getElementById('skf-data').textContent);
const IS_ENTRY = (ctx.kind || 'entry') === 'entry';
const SECTIONS = IS_ENTRY ? ENTRY_SECTIONS : REPLICATION_SECTIONS;
const BODY_SKELETON = IS_ENTRY ? ENTRY_SKELETON : '';
const NOUN = IS_ENTRY ? 'bài' : 'ghi nhận'; // what the page makes, in its messages
const initiatives = Object.fromEntries((ctx.initiatives || []).map((i) => [i.id, i]));
const info = new SchemaInfo(ctx.schema);
const checker = new Checker(ctx);
// Drafts: in sessionStorage (this tab only, gone when it closes), one per repository and campaign,
// versioned; read back only when the user presses «Mở bản nháp đã lưu», and checked first: every
// page of the origin (all forks on one *.github.io) can write there. The v1 draft that lived in
// localStorage, readable by those pages for ever, is moved here once and removed.
const OLD_STORE = `sangkien.form.v1:${ctx.git.repository || location.pathname}`;
const REPOSITORY = `${ctx.git.host}/${ctx.git.repository || location.pathname}`;
const DRAFTS = IS_ENTRY ? `sangkien.form.v2|${REPOSITORY}|` : `sangkien.replication.v2|${REPOSITORY}|`;
const campaigns = Object.fromEntries(ctx.campaigns.map((c) => [c.id, c]));
const units = Object.fromEntries(ctx.units.map((u) => [u.id, u]));

const state = {
  showAll: false, // field-level errors for every field (after "Kiểm tra", loading, restoring)
  touched: new Set(),
  dirty: false, // edited since the page opened or a draft was chosen: only then is a draft written
  draftKey: null,
  idManual: false,
  editing: null, // repository path of the entry being edited, if any
  problems: [],
  content: '',
  path: '',
};

// ------------------------------------------------------------------ small DOM helpers
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const keyOf = (path) => path.join('.');
const idOf = (path) => `skf-f-${path.join('-')}`;
let uid = 0;

function isBlank(v) {
  return v === undefined || (Array.isArray(v) && !v.length) || (v && typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length);
}

// ------------------------------------------------------------------ field controllers
class Field {
  constructor(path, node, required) {
    this.path = path;
    this.node = info.resolve(node);
    this.required = required;
    this.visibleIf = null;
    this.raw = undefined; // a loaded value the widget cannot show faithfully, kept until edited
    this.errors = h('ul', { class: 'skf-field-errors', id: `${idOf(path)}-err` });
  }

  get title() {
    return this.node.title || String(this.path[this.path.length - 1]);
  }

  labelEl(forId) {
    return h('label', { class: 'skf-label', for: forId }, this.title, this.required ? h('span', { class: 'skf-req', title: 'bắt buộc' }, ' *') : null);
  }

  helpEl() {
    const example = this instanceof ChoiceField ? undefined : (this.node.examples || [])[0];
    const text = [this.node.description, example !== undefined && typeof example !== 'object' ? `Ví dụ: ${example}` : null].filter(Boolean).join(' ');
    return text ? h('p', { class: 'skf-help', id: `${idOf(this.path)}-help` }, text) : null;
  }

  wrap(control, forId) {
    this.el = h('div', { class: 'skf-field', 'data-path': keyOf(this.path) }, this.labelEl(forId), this.helpEl(), control, this.errors);
    return this.el;
  }

  get visible() {
    return !this.visibleIf || this.visibleIf();
  }

  children() {
    return [];
  }

  showErrors(list) {
    this.errors.replaceChildren(...list.map((p) => h('li', { 'data-code': p.code, class: `skf-${p.severity}` }, h('strong', {}, p.code), ' ', p.message)));
    if (this.input) this.input.setAttribute('aria-invalid', list.some((p) => p.severity === 'error') ? 'true' : 'false');
  }

  focus() {
    (this.input || this.el).focus();
    this.el.scrollIntoView({ block: 'center' });
  }
}

class TextField extends Field {
  build() {
    const id = idOf(this.path);
    const multi = (this.node.maxLength || 0) >= 600;
    this.input = h(multi ? 'textarea' : 'input', {
      id, name: keyOf(this.path), class: 'skf-input', rows: multi ? 4 : undefined, type: multi ? undefined : 'text',
      maxlength: this.node.maxLength ? this.node.maxLength + 200 : undefined, 'aria-describedby': `${id}-help ${id}-err`,
    });
    this.input.addEventListener('input', () => (this.raw = undefined));
    return this.wrap(this.input, id);
  }

  get() {
    if (this.raw !== undefined) return this.raw.value;
    const text = nfc(this.input.value).replace(/\r\n?/g, '\n').trim();
    return text === '' ? undefined : text;
  }

  set(value) {
    this.raw = value === undefined || typeof value === 'string' ? undefined : { value };
    this.input.value = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }
}

class NumberField extends TextField {
  build() {
    const el = super.build();
    this.input.setAttribute('inputmode', this.node.type === 'integer' ? 'numeric' : 'decimal');
    this.input.classList.add('skf-number');
    return el;
  }

  get() {
    if (this.raw !== undefined) return this.raw.value;
    const text = this.input.value.trim();
    if (!text) return undefined;
    return /^[-+]?\d+(?:[.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : nfc(text);
  }

  set(value) {
    this.raw = value === undefined || typeof value === 'number' || typeof value === 'string' ? undefined : { value };
    this.input.value = value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

// A date typed as dd/mm/yyyy in a text box (dates.js), never the browser's date box, whose order
// follows the browser's language (under en-US «01/03/2024» was 3 January). Stored as yyyy-mm-dd.
class DateField extends Field {
  build() {
    const id = idOf(this.path);
    this.input = h('input', { id, name: keyOf(this.path), type: 'text', class: 'skf-input skf-date', autocomplete: 'off',
      placeholder: 'ngày/tháng/năm', 'aria-describedby': `${id}-hint ${id}-help ${id}-err` });
    this.hint = h('p', { class: 'skf-hint skf-date-hint', id: `${id}-hint` }, `Ghi theo ${TYPED_DATE_HINT}.`);
    this.note = h('p', { class: 'skf-note', hidden: true });
    this.input.addEventListener('input', () => {
      this.raw = undefined;
      this.note.hidden = true;
    });
    return this.wrap(h('div', {}, this.hint, this.input, this.note), id);
  }

  helpEl() {
    // the schema's description of a date tells file writers to use yyyy-mm-dd; the form asks for dd/mm/yyyy
    const text = String(this.node.description || '').replace(/\s*Ngày viết theo dạng năm-tháng-ngày.*$/u, '');
    return text ? h('p', { class: 'skf-help', id: `${idOf(this.path)}-help` }, text) : null;
  }

  // the typed text as a date: yyyy-mm-dd, or the text itself (the checker then says what is wrong)
  get() {
    if (this.raw !== undefined) return this.raw.value;
    const text = nfc(this.input.value).trim();
    if (!text) return undefined;
    const parsed = parseTypedDate(text);
    return parsed.iso || text;
  }

  set(value) {
    this.raw = undefined;
    this.note.hidden = true;
    if (value === undefined || asDate(value)) {
      this.input.value = value ? typedDate(value) : '';
      return;
    }
    // a loaded file with something else: kept as it is until edited, so the form reports what CI would
    this.raw = { value };
    this.input.value = typeof value === 'string' ? value : JSON.stringify(value);
    this.note.hidden = false;
    this.note.textContent = `Giá trị trong tệp là «${typeof value === 'string' ? value : JSON.stringify(value)}», chưa phải ngày hợp lệ: hãy ghi lại ngày theo ${TYPED_DATE_HINT}.`;
  }
}

class ChoiceField extends Field {
  constructor(path, node, required, options) {
    super(path, node, required);
    this.optionsFn = options || (() => info.choices(this.node));
  }

  build() {
    const id = idOf(this.path);
    this.input = h('select', { id, name: keyOf(this.path), class: 'skf-input', 'aria-describedby': `${id}-help ${id}-err` });
    this.refresh();
    return this.wrap(this.input, id);
  }

  // (value, label, disabled) choices; a loaded value outside them stays visible and selected.
  refresh(disabled = () => false) {
    const current = this.raw !== undefined ? this.raw.value : this.input.value;
    const options = this.optionsFn();
    const opts = [h('option', { value: '' }, '— Chọn —')];
    for (const [value, label] of options) {
      const off = disabled(value);
      opts.push(h('option', { value, disabled: off && value !== current }, off ? `${label} (đợt này không nhận)` : label));
    }
    if (current && !options.some(([v]) => v === current)) opts.push(h('option', { value: current, class: 'skf-unknown' }, `${current} (không có trong danh sách)`));
    this.input.replaceChildren(...opts);
    this.input.value = current || '';
  }

  get() {
    return this.input.value || undefined;
  }

  set(value) {
    this.raw = value === undefined ? undefined : { value: String(value) };
    this.refresh(this.disabledFn);
    this.raw = undefined;
  }
}

class MultiField extends Field {
  build() {
    const id = idOf(this.path);
    this.box = h('div', { class: 'skf-checks', role: 'group', 'aria-labelledby': `${id}-legend` });
    this.extra = [];
    this.render();
    this.el = h('fieldset', { class: 'skf-field skf-multi', 'data-path': keyOf(this.path) },
      h('legend', { id: `${id}-legend`, class: 'skf-label' }, this.title, this.required ? h('span', { class: 'skf-req' }, ' *') : null),
      this.helpEl(), this.box, this.errors);
    return this.el;
  }

  render(selected = this.get() || [], disabled = () => false) {
    const options = info.choices(this.node.items || {});
    const known = options.map(([v]) => v);
    this.extra = selected.filter((v) => !known.includes(v));
    this.inputs = [];
    const items = [];
    for (const [value, label] of [...options, ...this.extra.map((v) => [v, `${v} (không có trong danh sách)`])]) {
      const boxId = `skf-c-${++uid}`;
      const off = disabled(value) && !selected.includes(value);
      const input = h('input', { type: 'checkbox', id: boxId, value, checked: selected.includes(value), disabled: off });
      this.inputs.push(input);
      items.push(h('label', { class: `skf-check${off ? ' skf-off' : ''}`, for: boxId }, input, ' ', label, disabled(value) ? h('span', { class: 'skf-hint' }, ' (đợt này không nhận)') : null));
    }
    this.box.replaceChildren(...items);
    this.input = this.inputs[0];
  }

  get() {
    if (!this.inputs) return undefined;
    const values = this.inputs.filter((i) => i.checked).map((i) => i.value);
    return values.length ? values : undefined;
  }

  set(value) {
    this.render(Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
  }
}

class BoolField extends Field {
  build() {
    const id = idOf(this.path);
    this.input = h('input', { type: 'checkbox', id, name: keyOf(this.path) });
    this.input.addEventListener('change', () => (this.raw = undefined));
    this.el = h('div', { class: 'skf-field skf-bool', 'data-path': keyOf(this.path) },
      h('label', { class: 'skf-check', for: id }, this.input, ' ', this.title), this.helpEl(), this.errors);
    return this.el;
  }

  get() {
    if (this.raw !== undefined) return this.raw.value;
    return this.input.checked ? true : undefined;
  }

  set(value) {
    this.raw = value === undefined || typeof value === 'boolean' ? undefined : { value };
    this.input.checked = value === true;
  }
}

class ListField extends TextField {
  helpEl() {
    const el = super.helpEl() || h('p', { class: 'skf-help' });
    el.append(' Ngăn cách các mục bằng dấu phẩy.');
    return el;
  }

  get() {
    if (this.raw !== undefined) return this.raw.value;
    const items = nfc(this.input.value).split(',').map((s) => s.trim()).filter(Boolean);
    return items.length ? items : undefined;
  }

  set(value) {
    const ok = value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string' && !v.includes(',')));
    this.raw = ok ? undefined : { value };
    this.input.value = Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value);
  }
}

class ObjectField extends Field {
  constructor(path, node, required, { order = null, legend = true } = {}) {
    super(path, node, required);
    this.order = order;
    this.legend = legend;
    this.fields = {};
    this.kept = {}; // hidden schema properties and unknown keys from a loaded file
  }

  build() {
    const props = this.node.properties || {};
    const required = new Set(this.node.required || []);
    for (const key of Object.keys(props)) {
      if (this.path.length === 0 && HIDDEN.has(key)) continue;
      this.fields[key] = makeField([...this.path, key], props[key], required.has(key));
    }
    this.extrasBox = h('div', { class: 'skf-extras' });
    const body = this.order ? this.order(this.fields) : Object.values(this.fields).map((f) => f.el);
    this.el = h(this.legend ? 'fieldset' : 'div', { class: 'skf-object', 'data-path': keyOf(this.path) },
      this.legend ? h('legend', { class: 'skf-label' }, this.title) : null, body, this.extrasBox, this.errors);
    return this.el;
  }

  children() {
    return Object.values(this.fields);
  }

  get() {
    const out = {};
    for (const [key, field] of Object.entries(this.fields)) {
      if (!field.visible) continue;
      const value = field.get();
      if (value !== undefined) out[key] = value;
    }
    for (const [key, value] of Object.entries(this.kept)) if (!(key in out)) out[key] = value;
    return out;
  }

  set(value) {
    const data = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    this.kept = {};
    for (const [key, field] of Object.entries(this.fields)) field.set(data[key]);
    for (const [key, v] of Object.entries(data)) if (!(key in this.fields)) this.kept[key] = v;
    this.renderExtras();
  }

  renderExtras() {
    const extras = Object.keys(this.kept).filter((k) => !(k in (this.node.properties || {})));
    this.extrasBox.replaceChildren(...extras.map((key) => h('p', { class: 'skf-extra', 'data-key': key },
      `Trường «${key}» trong tệp không có trong mẫu. `,
      h('button', { type: 'button', class: 'skf-small', onclick: () => { delete this.kept[key]; this.renderExtras(); changed(); } }, 'Xóa trường này'))));
  }
}

class OptionalObjectField extends ObjectField {
  build() {
    super.build();
    const id = idOf(this.path);
    this.toggle = h('input', { type: 'checkbox', id: `${id}-on` });
    this.inner = this.el;
    this.inner.hidden = true;
    this.toggle.addEventListener('change', () => {
      this.inner.hidden = !this.toggle.checked;
      changed();
    });
    this.input = this.toggle;
    this.outerErrors = this.errors;
    this.el = h('div', { class: 'skf-field skf-optional', 'data-path': keyOf(this.path) },
      h('label', { class: 'skf-check', for: `${id}-on` }, this.toggle, ' ', this.title), this.helpEl(), this.inner);
    return this.el;
  }

  get() {
    if (!this.toggle.checked) return undefined;
    return super.get();
  }

  set(value) {
    this.toggle.checked = value !== undefined;
    this.inner.hidden = !this.toggle.checked;
    super.set(value);
  }
}

class ArrayField extends Field {
  constructor(path, node, required, { min = 0 } = {}) {
    super(path, node, required);
    this.min = min;
    this.items = [];
  }

  build() {
    this.itemNode = info.resolve(this.node.items || {});
    this.list = h('ol', { class: 'skf-items' });
    this.addButton = h('button', { type: 'button', class: 'skf-add', onclick: () => this.add() }, `+ Thêm ${String(this.itemNode.title || 'mục').toLowerCase()}`);
    this.extraLine = h('p', { class: 'skf-note skf-total' });
    this.el = h('fieldset', { class: 'skf-field skf-array', 'data-path': keyOf(this.path) },
      h('legend', { class: 'skf-label' }, this.title, this.required ? h('span', { class: 'skf-req' }, ' *') : null),
      this.helpEl(), this.list, this.extraLine, this.addButton, this.errors);
    this.input = this.addButton;
    this.render(Array.from({ length: this.min }, () => ({})));
    return this.el;
  }

  render(values) {
    this.items = values.map((value, i) => {
      const item = new ObjectField([...this.path, i], this.itemNode, true, { legend: false });
      item.build();
      item.set(value);
      const remove = h('button', { type: 'button', class: 'skf-small skf-remove', onclick: () => this.remove(i) }, 'Xóa');
      item.li = h('li', { class: 'skf-item' }, h('div', { class: 'skf-item-head' }, h('strong', {}, `${this.itemNode.title || 'Mục'} ${i + 1}`), remove), item.el);
      return item;
    });
    this.list.replaceChildren(...this.items.map((i) => i.li));
    if (this.onRender) this.onRender(this);
  }

  values() {
    return this.items.map((i) => i.get());
  }

  add(value = {}) {
    this.render([...this.values(), value]);
    changed();
    const first = this.items[this.items.length - 1].children()[0];
    if (first && first.input) first.input.focus();
  }

  remove(index) {
    const values = this.values();
    values.splice(index, 1);
    this.render(values);
    changed();
  }

  children() {
    return this.items;
  }

  get() {
    if (this.raw !== undefined) return this.raw.value;
    const values = this.values();
    return values.length ? values : undefined;
  }

  set(value) {
    this.raw = value === undefined || Array.isArray(value) ? undefined : { value };
    this.render(Array.isArray(value) ? value : []);
  }
}

function makeField(path, node, required) {
  const n = info.resolve(node);
  const name = path[path.length - 1];
  let field;
  if (path.length === 1 && name === 'campaign') field = new ChoiceField(path, n, required, campaignOptions);
  else if (path.length === 1 && name === 'unit') field = new ChoiceField(path, n, required, unitOptions);
  else if (!IS_ENTRY && path.length === 1 && name === 'initiative') field = new ChoiceField(path, n, required, initiativeOptions);
  else if (info.choices(n).length) field = new ChoiceField(path, n, required);
  else if (n.type === 'array' && info.choices(n.items || {}).length) field = new MultiField(path, n, required);
  else if (n.type === 'array' && info.resolve(n.items || {}).type === 'object') field = new ArrayField(path, n, required, { min: required ? 1 : 0 });
  else if (n.type === 'array') field = new ListField(path, n, required);
  else if (n.type === 'object') field = required ? new ObjectField(path, n, required) : new OptionalObjectField(path, n, required);
  else if (n.type === 'boolean') field = new BoolField(path, n, required);
  else if (n.type === 'number' || n.type === 'integer') field = new NumberField(path, n, required);
  else if (n.format === 'date') field = new DateField(path, n, required);
  else field = new TextField(path, n, required);
  field.build();
  if (name === 'representative') field.visibleIf = () => currentParticipation() === 'nhom';
  return field;
}

// ------------------------------------------------------------------ choices that come from the repository
function campaignOptions() {
  return ctx.campaigns.filter((c) => c.kind !== 'thi-dua').map((c) => [c.id, `${c.title} (${c.id})`]);
}

function initiativeOptions() {
  return (ctx.initiatives || []).map((i) => [i.id, `${i.title} (${i.unit_name})`]);
}

function unitOptions() {
  const camp = IS_ENTRY && root ? campaigns[root.fields.campaign.get()] : undefined;
  const dayField = root ? root.fields[IS_ENTRY ? 'submitted' : 'since'] : null;
  const day = (dayField ? asDate(dayField.get()) : null) || localDate(Date.now());
  let list = ctx.units;
  if (camp && camp.eligible_units.length) list = camp.eligible_units.map((id) => units[id]).filter(Boolean);
  else list = list.filter((u) => validOn(u, day));
  return list.map((u) => [u.id, `${u.name} (${u.id})`]);
}

function currentParticipation() {
  return root && root.fields.participation ? root.fields.participation.get() : undefined;
}

// The proposed id of a replication record: <initiative>-<unit>, at most 80 characters.
function replicationId(initiative, unit) {
  if (!initiative || !unit) return '';
  const room = 80 - unit.length - 1;
  const head = initiative.length <= room ? initiative : initiative.slice(0, room).replace(/-+[^-]*$/, '').replace(/-+$/, '');
  return head ? `${head}-${unit}` : unit;
}

// ------------------------------------------------------------------ the page
let root;
const ui = {};

function sectionOrder(fields) {
  const used = new Set();
  const out = [];
  for (const [title, keys] of SECTIONS) {
    const present = keys.filter((k) => fields[k]);
    present.forEach((k) => used.add(k));
    if (present.length) out.push(h('section', { class: 'skf-section' }, h('h2', {}, title), present.map((k) => fields[k].el)));
  }
  const rest = Object.keys(fields).filter((k) => !used.has(k));
  if (rest.length) out.push(h('section', { class: 'skf-section' }, h('h2', {}, 'Thông tin khác'), rest.map((k) => fields[k].el)));
  return out;
}

function buildPage() {
  root = new ObjectField([], ctx.schema, true, { order: sectionOrder, legend: false });
  root.build();
  const f = root.fields;

  // campaign: window at the browser's clock, in Vietnam time
  ui.window = h('div', { id: 'skf-window', class: 'skf-window', 'aria-live': 'polite' });
  if (IS_ENTRY) f.campaign.el.insertBefore(ui.window, f.campaign.errors);

  // id: proposed from the title (an initiative) or from the initiative and unit (a replication
  // record) with the slug rule, unless the submitter writes it
  ui.idManual = h('input', { type: 'checkbox', id: 'skf-id-manual' });
  ui.idManual.addEventListener('change', () => {
    state.idManual = ui.idManual.checked;
    f.id.input.readOnly = !state.idManual;
    syncId();
    changed();
  });
  f.id.input.readOnly = true;
  const idFrom = IS_ENTRY ? 'tên sáng kiến' : 'sáng kiến và đơn vị nhân rộng';
  f.id.el.insertBefore(h('label', { class: 'skf-check', for: 'skf-id-manual' }, ui.idManual, ` Tự ghi mã (mặc định lấy theo ${idFrom})`), f.id.errors);
  if (IS_ENTRY) f.title.input.addEventListener('input', syncId);
  else for (const key of ['initiative', 'unit']) f[key].input.addEventListener('change', syncId);

  if (IS_ENTRY) {
    // authors: contribution total, one representative
    f.authors.onRender = () => {
      for (const item of f.authors.items) {
        const rep = item.fields.representative;
        if (rep) {
          rep.el.hidden = !rep.visible;
          rep.input.addEventListener('change', () => {
            if (rep.input.checked) for (const other of f.authors.items) if (other !== item && other.fields.representative) other.fields.representative.input.checked = false;
          });
        }
      }
    };
    f.authors.onRender(f.authors);
    f.participation.input.addEventListener('change', () => {
      if (f.participation.get() === 'nhom' && f.authors.items.length < 2) f.authors.render([...f.authors.values(), {}]);
      f.authors.onRender(f.authors);
    });
  }

  // the body: Markdown with a safe preview
  ui.body = h('textarea', { id: 'skf-body', class: 'skf-input skf-body', rows: 14, spellcheck: 'true', 'aria-describedby': 'skf-body-help skf-f-body-err' });
  ui.bodyErrors = h('ul', { class: 'skf-field-errors', id: 'skf-f-body-err' });
  ui.preview = h('div', { id: 'skf-preview', class: 'skf-preview', hidden: true });
  const tabWrite = h('button', { type: 'button', class: 'skf-tab', id: 'skf-write-tab', 'aria-pressed': 'true' }, 'Soạn');
  const tabView = h('button', { type: 'button', class: 'skf-tab', id: 'skf-preview-tab', 'aria-pressed': 'false' }, 'Xem trước');
  const select = (preview) => {
    ui.preview.hidden = !preview;
    ui.body.hidden = preview;
    tabWrite.setAttribute('aria-pressed', String(!preview));
    tabView.setAttribute('aria-pressed', String(preview));
    if (preview) ui.preview.innerHTML = renderMarkdown(ui.body.value) || '<p class="skf-note">(chưa có nội dung)</p>';
  };
  tabWrite.addEventListener('click', () => select(false));
  tabView.addEventListener('click', () => select(true));
  const bodyHelp = IS_ENTRY
    ? ['Viết dưới các mục có sẵn: «Thực trạng» (tình hình, vấn đề trước khi có sáng kiến), «Giải pháp» (các bước làm, ai làm, công cụ), ',
      '«Cách nhân rộng» (điều kiện để đơn vị khác áp dụng). Dùng ## cho tiêu đề mục, - cho danh sách, **chữ đậm**. Không dán mã HTML.']
    : ['Không bắt buộc. Mô tả thêm cách đơn vị đã triển khai: tập huấn, các bước, những khó khăn và cách khắc phục. ',
      'Dùng ## cho tiêu đề mục, - cho danh sách, **chữ đậm**. Không dán mã HTML.'];
  const bodyField = h('section', { class: 'skf-section skf-field', 'data-path': 'body' },
    h('h2', {}, IS_ENTRY ? 'Mô tả bản chất sáng kiến' : 'Mô tả thêm'),
    h('label', { class: 'skf-label', for: 'skf-body' }, IS_ENTRY ? 'Phần mô tả' : 'Cách đơn vị đã triển khai', IS_ENTRY ? h('span', { class: 'skf-req' }, ' *') : null),
    h('p', { class: 'skf-help', id: 'skf-body-help' }, ...bodyHelp),
    h('div', { class: 'skf-tabs', id: 'skf-body-tabs' }, tabWrite, tabView), ui.body, ui.preview, ui.bodyErrors);

  // load an existing entry
  ui.loadFile = h('input', { type: 'file', id: 'skf-load-file', accept: '.md,text/markdown,text/plain' });
  ui.loadText = h('textarea', { id: 'skf-load-text', class: 'skf-input', rows: 5, placeholder: 'Hoặc dán toàn bộ nội dung tệp .md vào đây' });
  ui.loadNote = h('p', { id: 'skf-load-note', class: 'skf-note', 'aria-live': 'polite' });
  ui.loadFile.addEventListener('change', async () => {
    const file = ui.loadFile.files[0];
    if (file) loadText(await file.text(), file.name);
  });
  const loadBox = h('details', { id: 'skf-load', class: 'skf-load' },
    h('summary', {}, `Mở ${NOUN} đã có để sửa`),
    h('p', { class: 'skf-help' }, IS_ENTRY ? 'Chọn tệp .md của bài (trong thư mục entries/<mã đợt>/<mã đơn vị>/), hoặc dán nội dung tệp.'
      : 'Chọn tệp .md của ghi nhận (trong thư mục entries/replications/<mã đơn vị>/), hoặc dán nội dung tệp.'),
    h('label', { class: 'skf-label', for: 'skf-load-file' }, `Tệp ${NOUN} (.md)`), ui.loadFile,
    h('label', { class: 'skf-label', for: 'skf-load-text' }, 'Nội dung tệp'), ui.loadText,
    h('button', { type: 'button', id: 'skf-load-apply', onclick: () => loadText(ui.loadText.value, '') }, `Mở ${NOUN}`), ui.loadNote);

  ui.notice = h('p', { id: 'skf-notice', class: 'skf-notice', hidden: true, 'aria-live': 'polite' });
  const reset = h('button', { type: 'button', id: 'skf-reset', class: 'skf-small', onclick: startOver }, `Bắt đầu ${NOUN} mới (xóa bản nháp)`);

  // the verdict and the file
  ui.status = h('p', { id: 'skf-form-status', class: 'skf-status', role: 'status' });
  ui.list = h('ol', { id: 'skf-form-problems', class: 'skf-problems' });
  ui.warnings = h('ul', { id: 'skf-form-warnings', class: 'skf-problems skf-warnings' });
  ui.path = h('code', { id: 'skf-path' });
  ui.send = h('a', { id: 'skf-send', class: 'md-button md-button--primary skf-send', target: '_blank', rel: 'noopener', role: 'button' }, 'Gửi');
  ui.download = h('button', { type: 'button', id: 'skf-download', class: 'md-button' }, 'Tải về');
  ui.copy = h('button', { type: 'button', id: 'skf-copy', class: 'md-button' }, 'Sao chép nội dung');
  ui.sendNote = h('p', { id: 'skf-send-note', class: 'skf-note', 'aria-live': 'polite' });
  ui.output = h('pre', { id: 'skf-output', class: 'skf-output' });
  ui.check = h('button', { type: 'button', id: 'skf-check', class: 'md-button' }, `Kiểm tra ${NOUN}`);
  ui.send.addEventListener('click', onSend);
  ui.download.addEventListener('click', download);
  ui.copy.addEventListener('click', async () => {
    ui.sendNote.textContent = (await copyText(state.content)) ? 'Đã chép nội dung tệp vào bộ nhớ tạm.' : 'Không chép được tự động: hãy bôi đen nội dung trong ô «Xem tệp» rồi chép.';
  });
  ui.check.addEventListener('click', () => {
    state.showAll = true;
    update();
    ui.status.scrollIntoView({ block: 'start' });
  });
  const verdict = h('section', { class: 'skf-section skf-verdict', id: 'skf-verdict' },
    h('h2', {}, `Kiểm tra và gửi ${NOUN}`), ui.check, ui.status, ui.list, ui.warnings,
    h('p', {}, 'Tệp sẽ được tạo tại: ', ui.path),
    h('div', { class: 'skf-actions' }, ui.send, ui.download, ui.copy), ui.sendNote,
    h('details', { class: 'skf-file' }, h('summary', {}, 'Xem tệp sẽ tạo'), ui.output));

  const app = document.getElementById('skf-app');
  app.replaceChildren(ui.notice, IS_ENTRY && ctx.word ? wordBox() : '', h('div', { class: 'skf-top' }, loadBox, reset), h('form', { id: 'skf-form', novalidate: true, onsubmit: (e) => e.preventDefault() }, root.el, bodyField), verdict);

  const form = document.getElementById('skf-form');
  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
}

function syncId() {
  if (state.idManual || !root) return;
  const f = root.fields;
  root.fields.id.set((IS_ENTRY ? slugify(f.title.input.value) : replicationId(f.initiative.get(), f.unit.get())) || undefined);
}

// ------------------------------------------------------------------ reacting to edits
let timer = null;

function onEdit(event) {
  const holder = event.target.closest('[data-path]');
  if (holder) state.touched.add(holder.dataset.path);
  state.dirty = true;
  const f = root.fields;
  if (IS_ENTRY) {
    if (event.target === f.campaign.input || event.target === f.submitted.input) refreshChoices();
    if (event.target === f.participation.input) f.authors.onRender(f.authors);
  } else if (event.target === f.since.input && event.type === 'change') {
    refreshChoices();
  }
  changed(event.type === 'change');
}

function changed(now = false) {
  clearTimeout(timer);
  if (now) update();
  else timer = setTimeout(update, DEBOUNCE_MS);
}

function refreshChoices() {
  const f = root.fields;
  if (!IS_ENTRY) {
    f.unit.refresh();
    return;
  }
  const camp = campaigns[f.campaign.get()];
  f.unit.refresh();
  const accepts = (list) => (value) => Boolean(camp && list.length && !list.includes(value));
  f.participation.disabledFn = accepts(camp ? camp.participation : []);
  f.participation.refresh(f.participation.disabledFn);
  for (const key of ['areas', 'forms']) {
    if (f[key]) f[key].render(f[key].get() || [], accepts(camp ? camp[key] : []));
  }
  if (f.scope) {  // no district level in a campaign opened after 01/7/2025 (the validator warns, SK336)
    f.scope.disabledFn = (value) => Boolean(camp && (camp.closed_scopes || []).includes(value));
    f.scope.refresh(f.scope.disabledFn);
  }
}

function collect() {
  const data = ordered(root.get(), ctx.schema, info);
  const body = nfc(ui.body.value).replace(/\r\n?/g, '\n');
  return { data, body };
}

function update() {
  clearTimeout(timer);
  const now = Date.now();
  const { data, body } = collect();
  state.problems = IS_ENTRY ? checker.check(data, body, now, { editing: state.editing })
    : checker.checkReplication(data, body, { editing: state.editing });
  state.content = renderEntry(data, body);
  state.path = entryPath(data);
  showWindow(now);
  showProblems();
  showOutput(data);
  save(data, body);
}

function entryPath(data) {
  const part = (v, fallback) => (typeof v === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(v) ? v : fallback);
  if (!IS_ENTRY) return `entries/replications/${part(data.unit, '<mã-đơn-vị>')}/${part(data.id, '<mã-ghi-nhận>')}.md`;
  return `entries/${part(data.campaign, '<mã-đợt>')}/${part(data.unit, '<mã-đơn-vị>')}/${part(data.id, '<mã-bài>')}.md`;
}

function showWindow(now) {
  const camp = IS_ENTRY ? campaigns[root.fields.campaign.get()] : undefined;
  if (!camp || !camp.opens_at || !camp.closes_at) {
    ui.window.replaceChildren();
    return;
  }
  const opens = Date.parse(camp.opens_at);
  const closes = Date.parse(camp.closes_at);
  let verdict;
  let cls;
  if (now < opens) [verdict, cls] = [`Chưa mở nhận bài: còn ${span(now, opens)} nữa mới mở.`, 'skf-window-wait'];
  else if (now < closes) [verdict, cls] = [`Đang nhận bài: còn ${span(now, closes)}.`, 'skf-window-open'];
  else [verdict, cls] = ['Đã hết hạn nhận bài.', 'skf-window-closed'];
  ui.window.className = `skf-window ${cls}`;
  const parts = [
    h('p', {}, `Nhận bài từ ${show(opens)} đến ${show(closes - 1000)}`, camp.closes_text ? ` (kế hoạch ghi: ${camp.closes_text})` : '', '. ', h('strong', {}, verdict)),
    camp.note ? h('p', { class: 'skf-note' }, camp.note) : null,
    h('p', { class: 'skf-note' }, `Giờ trên máy của bạn: ${show(now)}.`),
  ];
  ui.window.replaceChildren(...parts.filter(Boolean));
}

function fieldFor(path) {
  const fields = new Map();
  const walk = (f) => {
    fields.set(keyOf(f.path), f);
    for (const c of f.children()) walk(c);
  };
  walk(root);
  for (let n = path.length; n >= 0; n--) {
    const f = fields.get(keyOf(path.slice(0, n)));
    if (f && f.el && !f.el.hidden && f.visible) return f;
  }
  return root;
}

function showProblems() {
  const errors = state.problems.filter((p) => p.severity === 'error');
  const warnings = state.problems.filter((p) => p.severity !== 'error');
  ui.status.className = `skf-status ${errors.length ? 'skf-status-bad' : 'skf-status-ok'}`;
  ui.status.textContent = errors.length
    ? `Chưa hợp lệ: ${errors.length} lỗi${warnings.length ? `, ${warnings.length} lưu ý` : ''}. Sửa các lỗi dưới đây rồi gửi.`
    : `Hợp lệ${warnings.length ? ` (có ${warnings.length} lưu ý nên xem)` : ''}. Có thể gửi ${NOUN}.`;
  ui.status.dataset.valid = errors.length ? 'false' : 'true';

  const byField = new Map();
  const item = (p) => {
    const isBody = p.path[0] === 'body';
    const field = isBody ? null : fieldFor(p.path);
    const target = isBody ? ui.body : field && (field.input || field.el);
    const li = h('li', { 'data-code': p.code, 'data-path': p.path.join('.'), 'data-clock': p.clock ? 'true' : undefined, class: `skf-${p.severity}` },
      h('a', { href: target && target.id ? `#${target.id}` : '#skf-form', onclick: (e) => { e.preventDefault(); if (isBody) ui.body.focus(); else if (field) { showField(field); field.focus(); } } }, p.code),
      ' ', p.message, p.fix ? h('span', { class: 'skf-fix' }, ` Cách sửa: ${p.fix}`) : null);
    const key = isBody ? 'body' : keyOf(field.path);
    if (!byField.has(key)) byField.set(key, []);
    byField.get(key).push(p);
    return li;
  };
  ui.list.replaceChildren(...errors.map(item));
  ui.warnings.replaceChildren(...warnings.map(item));

  const walk = (f) => {
    const shownHere = state.showAll || [...state.touched].some((t) => t === keyOf(f.path) || t.startsWith(keyOf(f.path) + '.') || keyOf(f.path).startsWith(t + '.'));
    f.showErrors(shownHere ? byField.get(keyOf(f.path)) || [] : []);
    for (const c of f.children()) walk(c);
  };
  walk(root);
  const bodyProblems = state.showAll || state.touched.has('body') ? byField.get('body') || [] : [];
  ui.bodyErrors.replaceChildren(...bodyProblems.map((p) => h('li', { 'data-code': p.code, class: `skf-${p.severity}` }, h('strong', {}, p.code), ' ', p.message)));
}

function showField(field) {
  if (field instanceof OptionalObjectField || field.path.length) {
    let el = field.el;
    while (el) {
      if (el.tagName === 'DETAILS') el.open = true;
      el = el.parentElement;
    }
  }
}

// ------------------------------------------------------------------ output: Gửi, Tải về
// The Git host's page for the file (extra.sangkien.forge), with the file's name and content in
// the link where the host reads them: GitHub new/<branch>/<dir>?filename=&value=, GitLab
// -/new/<branch>/<dir>?file_name=&content=, Gitea and Forgejo _new/<branch>/<dir>?filename=&value=.
// A link longer than ctx.url_limit carries the name only; the content then goes by clipboard or download.
// GitLab's reading of `content` is not in its documentation: the content is also put on the
// clipboard (`check`), with a note to paste it if the page opened with an empty box.
export function hostLinks(git, path, content, { editing = false, limit = 8000 } = {}) {
  const base = `${git.host}/${git.repository}`;
  const dir = path.slice(0, path.lastIndexOf('/'));
  const name = path.slice(path.lastIndexOf('/') + 1);
  const enc = (p) => p.split('/').map(encodeURIComponent).join('/');
  const branch = encodeURIComponent(git.branch);
  const forge = git.forge === 'forgejo' ? 'gitea' : git.forge;
  if (editing) {
    const edit = { gitlab: `${base}/-/edit/${branch}/${enc(path)}`, gitea: `${base}/_edit/${branch}/${enc(path)}` }[forge] || `${base}/edit/${branch}/${enc(path)}`;
    return { url: edit, paste: true, editing: true };
  }
  const [page, nameKey, valueKey] = {
    gitlab: [`${base}/-/new/${branch}/${enc(dir)}`, 'file_name', 'content'],
    gitea: [`${base}/_new/${branch}/${enc(dir)}`, 'filename', 'value'],
  }[forge] || [`${base}/new/${branch}/${enc(dir)}`, 'filename', 'value'];
  const short = `${page}?${nameKey}=${encodeURIComponent(name)}`;
  const full = `${short}&${valueKey}=${encodeURIComponent(content)}`;
  if (full.length > limit) return { url: short, paste: true, long: true };
  return forge === 'gitlab' ? { url: full, paste: false, check: true } : { url: full, paste: false };
}

function sendUrls() {
  return hostLinks(ctx.git, state.path, state.content, { editing: Boolean(state.editing && state.editing === state.path), limit: ctx.url_limit });
}

function showOutput(data) {
  ui.path.textContent = state.path;
  ui.output.textContent = state.content;
  const valid = !state.problems.some((p) => p.severity === 'error');
  if (!ctx.git.repository) {
    ui.send.removeAttribute('href');
    ui.send.setAttribute('aria-disabled', 'true');
    ui.send.title = 'Trang chưa khai báo kho Git (extra.sangkien.repository trong mkdocs.yml); hãy dùng «Tải về».';
    return;
  }
  if (!valid) {
    ui.send.removeAttribute('href');
    ui.send.setAttribute('aria-disabled', 'true');
    ui.send.title = 'Cần sửa hết lỗi trước khi gửi.';
    delete ui.send.dataset.paste;
    return;
  }
  const target = sendUrls();
  ui.send.href = target.url;
  ui.send.removeAttribute('aria-disabled');
  ui.send.title = '';
  ui.send.dataset.paste = target.paste ? 'true' : 'false';
  ui.send.dataset.long = target.long ? 'true' : 'false';
  ui.send.dataset.check = target.check ? 'true' : 'false';
}

async function onSend(event) {
  if (ui.send.getAttribute('aria-disabled') === 'true') {
    event.preventDefault();
    state.showAll = true;
    update();
    ui.sendNote.textContent = ctx.git.repository ? `${IS_ENTRY ? 'Bài' : 'Ghi nhận'} còn lỗi: sửa các lỗi trong danh sách rồi bấm «Gửi» lại.` : ui.send.title;
    ui.status.scrollIntoView({ block: 'start' });
    return;
  }
  const folder = state.path.slice(0, state.path.lastIndexOf('/') + 1);
  if (ui.send.dataset.paste === 'true') {
    const copied = await copyText(state.content);
    const how = ui.send.dataset.long === 'true'
      ? `Tệp dài quá mức một đường dẫn chứa được nên nội dung không tự điền vào trang vừa mở. `
      : '';
    ui.sendNote.textContent = how + (copied
      ? 'Nội dung tệp đã được chép vào bộ nhớ tạm. Trên trang vừa mở, dán (Ctrl+V) vào ô nội dung rồi bấm nút lưu để tạo đề nghị hợp nhất.'
      : 'Không chép tự động được: mở «Xem tệp sẽ tạo», bôi đen toàn bộ và chép, rồi dán vào trang vừa mở.')
      + ` Cách khác: bấm «Tải về» để lưu tệp, rồi trên trang của kho chọn tải tệp lên (Upload) vào thư mục ${folder}.`;
  } else if (ui.send.dataset.check === 'true') {
    const copied = await copyText(state.content);
    ui.sendNote.textContent = 'Đã mở trang tạo tệp với tên và nội dung điền sẵn. '
      + (copied ? 'Nếu ô nội dung trên trang vừa mở còn trống, dán (Ctrl+V) nội dung đã chép vào bộ nhớ tạm. ' : '')
      + 'Kiểm tra nội dung rồi bấm nút lưu (ví dụ «Commit changes») để tạo đề nghị hợp nhất.';
  } else {
    ui.sendNote.textContent = 'Đã mở trang tạo tệp với tên và nội dung điền sẵn. Kiểm tra nội dung rồi bấm nút lưu (ví dụ «Commit changes» hoặc «Propose new file») để tạo đề nghị hợp nhất.';
  }
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { class: 'skf-offscreen' });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

function download() {
  const name = state.path.slice(state.path.lastIndexOf('/') + 1).replace(/[<>]/g, '') || 'bai-sang-kien.md';
  const url = URL.createObjectURL(new Blob([state.content], { type: 'text/markdown;charset=utf-8' }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  ui.sendNote.textContent = `Đã tải về tệp ${name}. Đặt tệp vào thư mục ${state.path.slice(0, state.path.lastIndexOf('/') + 1)} của kho.`;
}

// ------------------------------------------------------------------ drafts and loading
function draftKey(campaign) {
  return DRAFTS + (typeof campaign === 'string' ? campaign : '');
}

function save(data, body) {
  if (!state.dirty) return; // opening the page never overwrites a draft the user has not chosen yet
  const campaign = IS_ENTRY && typeof data.campaign === 'string' ? data.campaign : '';
  const key = draftKey(campaign);
  try {
    sessionStorage.setItem(key, JSON.stringify({ v: 2, repository: REPOSITORY, campaign, saved: Date.now(), data, body,
      idManual: state.idManual, editing: state.editing }));
    if (state.draftKey && state.draftKey !== key) sessionStorage.removeItem(state.draftKey);
    state.draftKey = key;
  } catch {
    // private browsing or a full quota: the form still works, only the draft is not kept
  }
}

function storedDrafts() {
  const found = [];
  try {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (!key || !key.startsWith(DRAFTS)) continue;
      const d = JSON.parse(sessionStorage.getItem(key) || 'null');
      // another page of the origin may have written anything here: take only a well-formed draft
      if (!d || d.v !== 2 || d.repository !== REPOSITORY || key !== draftKey(d.campaign) || !d.data || typeof d.data !== 'object'
          || Array.isArray(d.data) || typeof d.body !== 'string' || typeof d.saved !== 'number') continue;
      found.push({ key, draft: d });
    }
  } catch {
    return [];
  }
  return found.sort((a, b) => b.draft.saved - a.draft.saved);
}

function moveOldDraft() {
  if (!IS_ENTRY) return;
  try {
    const old = JSON.parse(localStorage.getItem(OLD_STORE) || 'null');
    localStorage.removeItem(OLD_STORE);
    if (old && old.v === 1 && old.data && typeof old.data === 'object') {
      const campaign = typeof old.data.campaign === 'string' ? old.data.campaign : '';
      const key = draftKey(campaign);
      if (!sessionStorage.getItem(key)) {
        sessionStorage.setItem(key, JSON.stringify({ v: 2, repository: REPOSITORY, campaign, saved: Number(old.saved) || Date.now(),
          data: old.data, body: typeof old.body === 'string' ? old.body : '', idManual: old.idManual === true, editing: old.editing || null }));
      }
    }
  } catch {
    // no storage: nothing to move
  }
}

function fill(data, body, { idManual, editing = null } = {}) {
  root.set(data); // the campaign is set before the unit, whose choices depend on it
  refreshChoices();
  if (IS_ENTRY) root.fields.authors.onRender(root.fields.authors);
  ui.body.value = body;
  state.editing = editing;
  const proposed = IS_ENTRY ? slugify(data.title || '') : replicationId(data.initiative, data.unit);
  state.idManual = idManual !== undefined ? idManual : Boolean(data.id && data.id !== proposed);
  ui.idManual.checked = state.idManual;
  root.fields.id.input.readOnly = !state.idManual;
}

function restore() {
  moveOldDraft();
  fresh();
  const [newest] = storedDrafts();
  if (!newest) return;
  const d = newest.draft;
  const camp = campaigns[d.campaign];
  ui.notice.hidden = false;
  ui.notice.replaceChildren(
    `Có bản nháp lưu lúc ${show(d.saved)}${camp ? ` (${camp.title || camp.id})` : ''} trong thẻ trình duyệt này. `,
    h('button', { type: 'button', id: 'skf-open-draft', class: 'skf-small', onclick: () => openDraft(newest.key) }, 'Mở bản nháp đã lưu'));
}

function openDraft(key) {
  const found = storedDrafts().find((x) => x.key === key);
  if (!found) {
    notice('Bản nháp không còn trong trình duyệt.');
    return;
  }
  const d = found.draft;
  const editing = typeof d.editing === 'string' && samePath(usedBy(ctx, d.data.id), d.editing) ? d.editing : null;
  fill(d.data, d.body, { idManual: d.idManual === true, editing });
  state.showAll = true;
  state.dirty = true;
  state.draftKey = key;
  notice(`Đã mở lại bản nháp lưu lúc ${show(d.saved)}.`);
  update();
}

function fresh() {
  if (!IS_ENTRY) {
    fill({ results: [{}] }, BODY_SKELETON, { idManual: false });
    state.showAll = false;
    state.touched.clear();
    return;
  }
  const data = { submitted: localDate(Date.now()), forms: ['bai-viet'], authors: [{ contribution: 100 }] };
  const open = ctx.campaigns.filter((c) => c.kind !== 'thi-dua' && Date.parse(c.opens_at) <= Date.now() && Date.now() < Date.parse(c.closes_at));
  if (open.length === 1) data.campaign = open[0].id;
  fill(data, BODY_SKELETON, { idManual: false });
  state.showAll = false;
  state.touched.clear();
}

function startOver() {
  if (!window.confirm(`Xóa bản nháp hiện tại và bắt đầu ${NOUN} mới?`)) return;
  try {
    for (const { key } of storedDrafts()) sessionStorage.removeItem(key);
  } catch {
    // nothing to remove
  }
  fresh();
  state.dirty = false;
  state.draftKey = null;
  notice(`Đã bắt đầu ${NOUN} mới.`);
  update();
}

function loadText(text, name) {
  const parsed = parseEntry(text);
  if (parsed.error) {
    ui.loadNote.textContent = `${parsed.error}: ${parsed.message}`;
    ui.loadNote.className = 'skf-note skf-error';
    return;
  }
  const data = parsed.data;
  const path = entryPath(data);
  const known = samePath(usedBy(ctx, data.id), path) ? path : null;
  fill(data, parsed.body, { editing: known });
  state.showAll = true;
  state.dirty = true;
  ui.loadNote.className = 'skf-note';
  ui.loadNote.textContent = known
    ? `Đã mở ${NOUN} «${data.id}» (${known}) để sửa. «Gửi» sẽ mở trang sửa tệp này.`
    : `Đã mở ${name ? `tệp ${name}` : 'nội dung đã dán'}.`;
  document.getElementById('skf-load').open = false;
  update();
}

// ------------------------------------------------------------------ a Word file (.docx) read in the browser
// The reader (docx.js) and the mapping (wordmap.js, twin of sangkien.wordimport) are loaded only
// when a file is chosen; the file is read here and never sent anywhere. The fields it fills are
// shown for review; nothing is sent until the submitter presses «Gửi».
function wordBox() {
  const word = ctx.word;
  ui.wordFile = h('input', { type: 'file', id: 'skf-word-file', accept: '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  ui.wordNote = h('p', { id: 'skf-word-note', class: 'skf-note', 'aria-live': 'polite' });
  ui.wordProblems = h('ul', { id: 'skf-word-problems', class: 'skf-problems' });
  ui.wordFile.addEventListener('change', () => {
    const file = ui.wordFile.files[0];
    if (file) readWord(file);
  });
  const templates = (word.templates || []).map((t) => h('li', {}, h('a', { href: t.href, download: t.file, class: 'skf-word-template', 'data-campaign': t.campaign },
    'Tải mẫu Word'), ` của đợt «${t.title}» (${t.file}): điền trong Word rồi chọn tệp đã điền ở dưới.`));
  const box = h('section', { id: 'skf-word', class: 'skf-word', 'aria-labelledby': 'skf-word-title' },
    h('h2', { id: 'skf-word-title' }, 'Nộp bằng tệp Word'),
    h('p', { class: 'skf-help' }, 'Nếu đơn vị đã viết sáng kiến bằng Word theo mẫu, chọn tệp .docx (hoặc kéo thả tệp vào trang này): ',
      'biểu mẫu tự điền các trường đọc được để bạn kiểm tra lại. Tệp chỉ được đọc trên máy của bạn, không gửi đi đâu. ',
      'Đợt phát động và đơn vị nộp thì chọn trong biểu mẫu. ',
      'Tệp .doc (Word 97-2003) hoặc có mật khẩu thì mở bằng Word, bỏ mật khẩu và chọn Lưu thành (Save As) kiểu «Word Document (*.docx)».'),
    templates.length ? h('ul', { class: 'skf-word-templates' }, templates) : null,
    h('label', { class: 'skf-label', for: 'skf-word-file' }, 'Chọn tệp Word (.docx)'), ui.wordFile, ui.wordNote, ui.wordProblems);
  // a file dropped anywhere on the page: a .md opens as an entry to edit, anything else goes to the
  // Word reader (which names what it is if it is not a .docx); never the browser's own «open the file»
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    box.classList.add('skf-drop');
  });
  document.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) box.classList.remove('skf-drop');
  });
  document.addEventListener('drop', async (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    box.classList.remove('skf-drop');
    const file = e.dataTransfer.files[0];
    if (!file) return;
    if (/\.(?:md|markdown)$/i.test(file.name)) loadText(await file.text(), file.name);
    else {
      box.scrollIntoView({ block: 'start' });
      readWord(file);
    }
  });
  return box;
}

// The reader is a separate module of this folder, added to the page the first time a file is
// chosen (the page stays light; no code is fetched from anywhere else). It announces itself as
// window.sangkienWord when it has run.
let wordLoading = null;
function wordReader() {
  if (!wordLoading) {
    wordLoading = new Promise((resolve, reject) => {
      const script = h('script', { type: 'module', src: new URL('wordmap.js', import.meta.url).href });
      script.addEventListener('load', () => (window.sangkienWord ? resolve(window.sangkienWord) : reject(new Error('bộ đọc tệp Word không chạy được'))));
      script.addEventListener('error', () => {
        wordLoading = null;
        reject(new Error('không tải được bộ đọc tệp Word, hãy tải lại trang'));
      });
      document.head.append(script);
    });
  }
  return wordLoading;
}

async function readWord(file) {
  ui.wordNote.className = 'skf-note';
  ui.wordNote.dataset.state = 'reading';
  ui.wordNote.textContent = `Đang đọc tệp ${file.name}…`;
  ui.wordProblems.replaceChildren();
  for (const url of state.wordImages || []) URL.revokeObjectURL(url);
  state.wordImages = [];
  const limit = ctx.word.rules.limits.file_bytes;
  const now = collect().data;
  const given = { campaign: now.campaign, unit: now.unit, today: localDate(Date.now()) };
  let result;
  try {
    const wordmap = await wordReader();
    // a file above the limit is never read whole: its first bytes say whether it is an old .doc, its size the rest
    const bytes = new Uint8Array(await (file.size > limit ? file.slice(0, wordmap.HEAD) : file).arrayBuffer());
    result = await wordmap.importWord(file.name, bytes, ctx.word.rules, ctx.codes, given, file.size);
  } catch (err) {
    const info = ctx.codes.SK030 || { fix: '' };
    result = { refused: true, problems: [{ code: 'SK030', severity: 'error', message: `Không đọc được tệp (${String((err && err.message) || err)}). Cách sửa: ${info.fix}` }] };
  }
  ui.wordProblems.replaceChildren(...result.problems.map((p) => h('li', { 'data-code': p.code, class: `skf-${p.severity}` }, h('strong', {}, p.code), ' ',
    (ctx.codes[p.code] || {}).title || '', ': ', p.message)));
  if (result.refused) {
    ui.wordNote.className = 'skf-note skf-error';
    ui.wordNote.dataset.state = 'refused';
    ui.wordNote.textContent = `Không đọc được tệp ${file.name} nên biểu mẫu giữ nguyên. Sửa tệp theo hướng dẫn dưới đây rồi chọn lại.`;
    return;
  }
  const data = { ...result.data };
  // the id is the reader's (cut at a word boundary when the title is long), kept as written if it differs from the form's own
  fill(data, result.body, { idManual: data.id !== slugify(data.title || '') });
  state.showAll = true;
  state.dirty = true;
  // the pictures of the document: saved by the submitter into the unit's folder with the entry
  for (const img of result.images) {
    const url = URL.createObjectURL(new Blob([img.data], { type: img.type }));
    state.wordImages.push(url);
    ui.wordProblems.append(h('li', { class: 'skf-word-image' }, 'Hình trong tệp Word: ', h('a', { href: url, download: img.file }, img.file),
      ' — tải về rồi đưa vào cùng thư mục với bài (biểu mẫu chỉ tạo tệp bài .md).'));
  }
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  ui.wordNote.dataset.state = 'done';
  ui.wordNote.dataset.errors = String(errors);
  ui.wordNote.textContent = `Đã điền các trường đọc được từ tệp ${file.name}. `
    + (errors ? `Còn ${errors} chỗ chưa đọc được (nêu dưới đây): sửa trong tệp Word rồi chọn lại, hoặc điền thẳng vào biểu mẫu. ` : '')
    + 'Hãy kiểm tra lại từng trường rồi mới bấm «Gửi».';
  update();
}

function notice(text) {
  ui.notice.hidden = false;
  ui.notice.textContent = text;
}

// ------------------------------------------------------------------ start
buildPage();
restore();
update();
setInterval(() => {
  if (document.visibilityState !== 'hidden') update();
}, 30000);
window.sangkienForm = { update, collect, state, checker, loadText, hostLinks, readWord };
