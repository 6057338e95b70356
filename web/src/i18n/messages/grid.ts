/** Strings of the grid screens. */
export const zh = {
  'grid.title': 'grid',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'grid.title': 'grid',
};
