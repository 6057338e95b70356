/** Event categories and departments (GET /api/v1/event-categories), fetched once and shared by every screen. */
import { useEffect, useState } from 'react';
import { api } from './client.js';

export interface Category { code: string; zh: string; en: string; department: string; hours: number; urgentHours: number }
export interface DepartmentName { code: string; zh: string; en: string }
export interface TaxonomyData { categories: Category[]; departments: DepartmentName[] }

let pending: Promise<TaxonomyData> | null = null;

export function loadTaxonomy(): Promise<TaxonomyData> {
  pending ??= api<TaxonomyData>('/api/v1/event-categories').catch((err: unknown) => {
    pending = null;
    throw err;
  });
  return pending;
}

/** The taxonomy once loaded (null before), with lookups by code. */
export function useTaxonomy(): (TaxonomyData & { category(code: string): Category | undefined; department(code: string | null): DepartmentName | undefined }) | null {
  const [data, setData] = useState<TaxonomyData | null>(null);
  useEffect(() => {
    let live = true;
    loadTaxonomy().then((d) => live && setData(d)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (!data) return null;
  const byCat = new Map(data.categories.map((c) => [c.code, c]));
  const byDep = new Map(data.departments.map((d) => [d.code, d]));
  return { ...data, category: (c) => byCat.get(c), department: (c) => (c ? byDep.get(c) : undefined) };
}
