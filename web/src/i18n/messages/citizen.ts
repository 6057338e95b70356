/** Strings of the citizen screens. */
export const zh = {
  'citizen.title': 'citizen',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'citizen.title': 'citizen',
};
