/** Org tree logic: unit validation, path computation from parents, and locating a point in the deepest unit. */
import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.js';
import type { Area, Polygon } from '../geo/index.js';
import { buildOrgIndex, checkOrgUnit, computePaths, locateIn, parseArea, type TreeNode } from './org.logic.js';
import type { OrgUnit } from './types.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as AppError).code;
  }
};

const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

describe('computePaths', () => {
  it('builds paths when parents come later in the same list', () => {
    const incoming: TreeNode[] = [
      { id: 'g1', parentId: 's1', level: 'grid' },
      { id: 's1', parentId: 'd1', level: 'street' },
      { id: 'd1', parentId: 'c', level: 'district' },
      { id: 'c', parentId: null, level: 'city' },
    ];
    const paths = computePaths([], incoming);
    expect(paths.get('g1')).toBe('/c/d1/s1/g1/');
    expect(paths.get('d1')).toBe('/c/d1/');
    expect(paths.get('c')).toBe('/c/');
  });

  it('resolves parents already stored and moves descendants when a unit changes parent', () => {
    const stored: TreeNode[] = [
      { id: 'c', parentId: null, level: 'city' },
      { id: 'd1', parentId: 'c', level: 'district' },
      { id: 'd2', parentId: 'c', level: 'district' },
      { id: 's1', parentId: 'd1', level: 'street' },
      { id: 'g1', parentId: 's1', level: 'grid' },
    ];
    const paths = computePaths(stored, [{ id: 's1', parentId: 'd2', level: 'street' }]);
    expect(paths.get('s1')).toBe('/c/d2/s1/');
    expect(paths.get('g1')).toBe('/c/d2/s1/g1/');
  });

  it('allows skipping a level (a grid straight under a district)', () => {
    const paths = computePaths([{ id: 'c', parentId: null, level: 'city' }, { id: 'd', parentId: 'c', level: 'district' }], [{ id: 'g', parentId: 'd', level: 'grid' }]);
    expect(paths.get('g')).toBe('/c/d/g/');
  });

  it('refuses unknown parents, wrong level order, cycles, duplicates and parentless non-cities', () => {
    expect(codeOf(() => computePaths([], [{ id: 'd', parentId: 'nope', level: 'district' }]))).toBe('UNKNOWN_PARENT');
    expect(codeOf(() => computePaths([], [{ id: 'c', parentId: null, level: 'city' }, { id: 'g', parentId: 'c', level: 'grid' }, { id: 's', parentId: 'g', level: 'street' }]))).toBe('BAD_ORG_PARENT');
    expect(codeOf(() => computePaths([], [{ id: 'd', parentId: null, level: 'district' }]))).toBe('BAD_ORG_PARENT');
    expect(codeOf(() => computePaths([], [{ id: 'c', parentId: 'x', level: 'city' }, { id: 'x', parentId: null, level: 'city' }]))).toBe('BAD_ORG_PARENT');
    expect(codeOf(() => computePaths([], [{ id: 'c', parentId: null, level: 'city' }, { id: 'c', parentId: null, level: 'city' }]))).toBe('DUPLICATE_ORG_UNIT');
    // re-levelling a stored parent below its stored child
    const stored: TreeNode[] = [{ id: 'c', parentId: null, level: 'city' }, { id: 'd', parentId: 'c', level: 'district' }, { id: 's', parentId: 'd', level: 'street' }];
    expect(codeOf(() => computePaths(stored, [{ id: 'd', parentId: 'c', level: 'grid' }]))).toBe('BAD_ORG_PARENT');
  });

  it('cannot be given a cycle: levels must deepen along every parent link', () => {
    const stored: TreeNode[] = [{ id: 'c', parentId: null, level: 'city' }];
    expect(codeOf(() => computePaths(stored, [{ id: 'a', parentId: 'b', level: 'street' }, { id: 'b', parentId: 'a', level: 'street' }]))).toBe('BAD_ORG_PARENT');
  });
});

describe('checkOrgUnit and parseArea', () => {
  const base = { id: 'd1', parentId: 'c', level: 'district' as const, code: 'D1', nameZh: '一区', nameEn: 'District 1', boundary: square(0, 0, 1, 1) };

  it('accepts a valid unit and trims names', () => {
    expect(checkOrgUnit({ ...base, nameEn: '  District 1 ' }, 'units[0]').nameEn).toBe('District 1');
  });

  it('refuses bad ids, levels, codes and boundaries with the field named', () => {
    const bad = (u: object) => {
      try {
        checkOrgUnit({ ...base, ...u } as never, 'units[2]');
        return undefined;
      } catch (e) {
        return `${(e as AppError).code} ${(e as AppError).message}`;
      }
    };
    expect(bad({ id: 'a/b' })).toMatch(/^BAD_ORG_UNIT units\[2\]\.id/);
    expect(bad({ level: 'province' })).toMatch(/^BAD_ORG_UNIT units\[2\]\.level/);
    expect(bad({ code: '' })).toMatch(/^BAD_ORG_UNIT units\[2\]\.code/);
    expect(bad({ boundary: { type: 'Point', coordinates: [0, 0] } })).toMatch(/^BAD_BOUNDARY units\[2\]\.boundary/);
    expect(bad({ boundary: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0.5]]] } })).toMatch(/not closed/);
    expect(bad({ boundary: { type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] } })).toMatch(/coordinates\[0\]\[1\]/);
  });

  it('parses MultiPolygons', () => {
    const mp = parseArea({ type: 'MultiPolygon', coordinates: [square(0, 0, 1, 1).coordinates, square(2, 2, 3, 3).coordinates] });
    expect(mp.type).toBe('MultiPolygon');
  });
});

describe('locate', () => {
  const unit = (id: string, level: OrgUnit['level'], boundary: Area | null): OrgUnit => ({ id, parentId: null, level, code: id, nameZh: id, nameEn: id, boundary, path: `/${id}/` });
  const index = buildOrgIndex([
    unit('city', 'city', square(0, 0, 10, 10)),
    unit('d1', 'district', square(0, 0, 5, 10)),
    unit('s1', 'street', square(0, 0, 5, 5)),
    unit('g1', 'grid', square(0, 0, 1, 1)),
    unit('g2', 'grid', { type: 'Polygon', coordinates: [square(2, 2, 4, 4).coordinates[0]!, square(2.5, 2.5, 3.5, 3.5).coordinates[0]!] }),
    unit('nobounds', 'grid', null),
  ]);

  it('answers the deepest unit that contains the point', () => {
    expect(locateIn(index, [0.5, 0.5])?.id).toBe('g1');
    expect(locateIn(index, [2.2, 2.2])?.id).toBe('g2');
    expect(locateIn(index, [1.5, 1.5])?.id).toBe('s1');
    expect(locateIn(index, [4, 7])?.id).toBe('d1');
    expect(locateIn(index, [7, 7])?.id).toBe('city');
  });

  it('respects holes and answers null outside every unit or for invalid points', () => {
    expect(locateIn(index, [3, 3])?.id).toBe('s1');
    expect(locateIn(index, [11, 11])).toBeNull();
    expect(locateIn(index, [Number.NaN, 1])).toBeNull();
    expect(locateIn(buildOrgIndex([]), [0, 0])).toBeNull();
  });
});
