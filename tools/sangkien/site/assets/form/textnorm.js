// Twin of sangkien/textnorm.py: NFC for storage, a folded key, and the slug rule for ids.

export function nfc(text) {
  return String(text).normalize('NFC');
}

// Lower case, no tone or vowel marks, đ -> d: "Điện tử Hoà" -> "dien tu hoa".
export function fold(text) {
  return String(text).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'd');
}

// "Một cửa số hóa" -> "mot-cua-so-hoa" (at most 80 characters, no dash at either end).
export function slugify(text) {
  return fold(text).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/^-+|-+$/g, '');
}
