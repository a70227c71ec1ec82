// A person's cursor colour: one of a few well-separated colours (white text stays readable on
// each), picked by a hash of the user id, as the #rrggbb the caret extension accepts.
const palette = ['#c2410c', '#1d4ed8', '#15803d', '#7e22ce', '#be185d', '#0f766e', '#a16207', '#4338ca', '#b91c1c', '#0369a1'];

/** FNV-1a: ids that differ only in their last characters still land far apart. */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function personColor(userId: string): string {
  return palette[hash(userId) % palette.length] ?? '#1d4ed8';
}
