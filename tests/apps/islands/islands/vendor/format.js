// A helper module the counter imports by relative path.
export const format = (label, count) => `${count} ${label}`;
