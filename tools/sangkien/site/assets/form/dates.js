// Dates typed by people: the twin of sangkien/vntime.py `parse_typed_date` (same rule, same
// messages; tests/test_typed_dates.py runs both on the same inputs in a real Chromium).
// Day first (dd/mm/yyyy, also d/m/yyyy, with '/', '-' or '.'), or a 4-digit year first
// (yyyy-mm-dd). Never the browser's date box: its order follows the browser's language.

export const TYPED_DATE_HINT = 'ngày/tháng/năm, ví dụ 25/06/2024';
const TYPED_DATE = /^([0-9]{1,4}) *([/.-]) *([0-9]{1,2}) *([/.-]) *([0-9]{1,4})$/;
const BLANKS = /^[ \t\u00a0]+|[ \t\u00a0]+$/g;
const SHOWN_MAX = 40;

function shown(text) {
  const chars = Array.from(text);
  return chars.length <= SHOWN_MAX ? text : chars.slice(0, SHOWN_MAX).join('') + '…';
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

// {iso: 'yyyy-mm-dd'} or {error: message in Vietnamese}
export function parseTypedDate(text) {
  const raw = String(text ?? '').replace(BLANKS, '');
  const how = `Ghi theo ${TYPED_DATE_HINT}.`;
  if (!raw) return { error: `Chưa ghi ngày. ${how}` };
  const m = TYPED_DATE.exec(raw);
  if (!m) return { error: `«${shown(raw)}» không phải ngày. ${how}` };
  const [first, middle, last] = [m[1], m[3], m[5]];
  let day;
  let month;
  let year;
  if (first.length === 4 && last.length <= 2) [year, month, day] = [Number(first), Number(middle), Number(last)];
  else if (first.length <= 2 && last.length === 4) [day, month, year] = [Number(first), Number(middle), Number(last)];
  else if (first.length <= 2 && last.length <= 2) return { error: `«${shown(raw)}»: năm phải ghi đủ 4 chữ số. ${how}` };
  else return { error: `«${shown(raw)}» không phải ngày. ${how}` };
  if (year < 1900 || year > 2199) return { error: `«${shown(raw)}»: năm ${year} nằm ngoài khoảng 1900–2199. ${how}` };
  if (month < 1 || month > 12) {
    return { error: `«${shown(raw)}»: không có tháng ${month} (tháng từ 1 đến 12). Ngày ghi trước, tháng ghi sau: ${TYPED_DATE_HINT}.` };
  }
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return { error: `«${shown(raw)}»: ngày không có thật, tháng ${month} năm ${year} chỉ có ${days} ngày. ${how}` };
  return { iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

// A stored yyyy-mm-dd shown for typing: dd/mm/yyyy (vntime.typed_date).
export function typedDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
