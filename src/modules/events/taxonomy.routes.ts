/** The event categories and departments of the taxonomy, for forms and labels in the web app and other clients. */
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import type { Taxonomy } from './timelimits.logic.js';

const Named = { code: Type.String(), zh: Type.String(), en: Type.String() };

export function registerTaxonomyRoutes(app: App, taxonomy: Taxonomy): void {
  const body = {
    categories: taxonomy.categories.map((c) => ({ code: c.code, zh: c.zh, en: c.en, department: c.department, hours: c.hours, urgentHours: c.urgentHours })),
    departments: taxonomy.departments.map((d) => ({ code: d.code, zh: d.zh, en: d.en })),
  };
  app.get('/api/v1/event-categories', {
    config: { access: 'public' },
    schema: {
      tags: ['events'],
      summary: 'Event categories (code, Chinese and English names, lead department, time limits in hours) and departments',
      response: {
        200: Type.Object({
          categories: Type.Array(Type.Object({ ...Named, department: Type.String(), hours: Type.Number(), urgentHours: Type.Number() })),
          departments: Type.Array(Type.Object(Named)),
        }),
      },
    },
  }, async () => body);
}
