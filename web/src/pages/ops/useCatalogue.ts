/** Names the screen shows for codes: sensor classes (and their units) and event categories, in the current language. */
import { useCallback } from 'react';
import { api } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import type { SensorClassInfo } from './types.js';
import { usePoll } from './usePoll.js';

interface Service {
  service_code: string;
  service_name: string;
}

export interface Catalogue {
  className(cls: string): string;
  categoryName(code: string): string;
  classes: SensorClassInfo[];
}

export function useCatalogue(): Catalogue {
  const { lang, pick } = useI18n();
  const classes = usePoll((signal) => api<{ items: SensorClassInfo[] }>('/api/v1/sensor-classes', { signal }), 0, []).data?.items;
  const services = usePoll(
    (signal) => api<Service[]>('/open311/v2/services.json', { query: { locale: lang === 'zh-CN' ? 'zh' : 'en' }, signal }),
    0, [lang],
  ).data;
  const className = useCallback((cls: string) => {
    const c = classes?.find((x) => x.class === cls);
    return c ? pick(c.nameZh, c.nameEn) : cls;
  }, [classes, pick]);
  const categoryName = useCallback((code: string) => services?.find((s) => s.service_code === code)?.service_name ?? code, [services]);
  return { className, categoryName, classes: classes ?? [] };
}
