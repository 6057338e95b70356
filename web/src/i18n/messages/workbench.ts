/** Strings of the workbench screens. */
export const zh = {
  'workbench.title': 'workbench',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'workbench.title': 'workbench',
};
