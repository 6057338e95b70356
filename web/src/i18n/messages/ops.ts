/** Strings of the ops screens. */
export const zh = {
  'ops.title': 'ops',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'ops.title': 'ops',
};
