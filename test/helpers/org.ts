/** A small org tree for integration tests: city c1 (lon 1–2, lat 42–43) with district d1 (lon 1.5–1.6, lat 42.5–42.6). */
import type { Polygon } from '../../src/platform/geo/index.js';
import type { CityOps } from '../../src/main.js';

/** An axis-aligned rectangle [west, south] → [east, north] as a GeoJSON polygon. */
export const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

export async function seedCityAndDistrict(city: CityOps): Promise<void> {
  await city.services.auth.upsertOrgUnits([
    { id: 'c1', parentId: null, level: 'city', code: 'C1', nameZh: '城', nameEn: 'City', boundary: square(1, 42, 2, 43) },
    { id: 'd1', parentId: 'c1', level: 'district', code: 'D1', nameZh: '区', nameEn: 'District', boundary: square(1.5, 42.5, 1.6, 42.6) },
  ], 'test');
}
