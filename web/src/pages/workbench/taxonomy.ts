/**
 * Event categories and departments from the server's taxonomy
 * (GET /api/v1/event-categories via the shared api/taxonomy.ts): the lists
 * the lifecycle API checks department and category codes against.
 */
import { useMemo } from 'react';
import { useTaxonomy, type Category } from '../../api/taxonomy.js';
import type { Department } from './types.js';

export type { Category };

const NONE: readonly Category[] = [];
const NO_DEPARTMENTS: readonly Department[] = [];

/** Categories once loaded (empty before). */
export function useCategories(): readonly Category[] {
  return useTaxonomy()?.categories ?? NONE;
}

/** Departments an event may be dispatched, transferred or given to as co-handler (empty until loaded). */
export function useDepartments(): readonly Department[] {
  const tax = useTaxonomy();
  const deps = tax?.departments;
  return useMemo(() => deps?.map((d) => ({ code: d.code, nameZh: d.zh, nameEn: d.en })) ?? NO_DEPARTMENTS, [deps]);
}
