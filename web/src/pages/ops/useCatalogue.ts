/** Names the screen shows for codes: sensor classes (and their units) and event categories (the shared taxonomy), in the current language. */
import { useCallback, useMemo } from 'react';
import { api } from '../../api/client.js';
import { useTaxonomy } from '../../api/taxonomy.js';
import { useI18n } from '../../i18n/index.js';
import type { SensorClassInfo } from './types.js';
import { usePoll } from './usePoll.js';

export interface Catalogue {
  className(cls: string): string;
  categoryName(code: string): string;
  departmentName(code: string | null | undefined): string;
  classes: SensorClassInfo[];
}

const NO_CLASSES: SensorClassInfo[] = [];

export function useCatalogue(): Catalogue {
  const { pick } = useI18n();
  const classes = usePoll((signal) => api<{ items: SensorClassInfo[] }>('/api/v1/sensor-classes', { signal }), 0, []).data?.items;
  const taxonomy = useTaxonomy();
  const className = useCallback((cls: string) => {
    const c = classes?.find((x) => x.class === cls);
    return c ? pick(c.nameZh, c.nameEn) : cls;
  }, [classes, pick]);
  // useTaxonomy() answers a new object each render; its arrays stay the same, so key the lookups on them.
  const categories = taxonomy?.categories;
  const departments = taxonomy?.departments;
  const byCategory = useMemo(() => new Map((categories ?? []).map((c) => [c.code, c])), [categories]);
  const byDepartment = useMemo(() => new Map((departments ?? []).map((d) => [d.code, d])), [departments]);
  const categoryName = useCallback((code: string) => {
    const c = byCategory.get(code);
    return c ? pick(c.zh, c.en) : code;
  }, [byCategory, pick]);
  const departmentName = useCallback((code: string | null | undefined) => {
    if (!code) return '–';
    const d = byDepartment.get(code);
    return d ? pick(d.zh, d.en) : code;
  }, [byDepartment, pick]);
  return useMemo(() => ({ className, categoryName, departmentName, classes: classes ?? NO_CLASSES }), [className, categoryName, departmentName, classes]);
}
