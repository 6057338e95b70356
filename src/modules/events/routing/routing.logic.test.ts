// Routing rules: order, district prefix match, category wildcards, taxonomy default and the JD fallback.
import { describe, expect, it } from 'vitest';
import { FALLBACK_DEPARTMENT, inUnit, labelsToExamples, route, type RoutingRule } from './routing.logic.js';

const PATH_IN_ESCALDES = '/c-andorra/d-escaldes/s-main/g-1/';
const PATH_ELSEWHERE = '/c-andorra/d-canillo/s-x/';
const rule = (over: Partial<RoutingRule>): RoutingRule => ({ id: 'r', priority: 100, category: null, orgUnitId: null, department: 'JD', ...over });

describe('route', () => {
  const rules = [rule({ id: 'r-water-escaldes', category: 'WATERLOGGING', orgUnitId: 'd-escaldes', department: 'JD' })];

  it('sends a category to another department inside a district, including its streets and grids', () => {
    expect(route(rules, { category: 'WATERLOGGING', orgPath: PATH_IN_ESCALDES, taxonomyDepartment: 'SWJ' }))
      .toEqual({ department: 'JD', ruleId: 'r-water-escaldes', reason: 'rule' });
    expect(route(rules, { category: 'WATERLOGGING', orgPath: '/c-andorra/d-escaldes/', taxonomyDepartment: 'SWJ' }).department).toBe('JD');
  });

  it('uses the taxonomy department elsewhere, for other categories and when the place is unknown', () => {
    expect(route(rules, { category: 'WATERLOGGING', orgPath: PATH_ELSEWHERE, taxonomyDepartment: 'SWJ' })).toEqual({ department: 'SWJ', ruleId: null, reason: 'taxonomy' });
    expect(route(rules, { category: 'NOISE', orgPath: PATH_IN_ESCALDES, taxonomyDepartment: 'HBJ' }).department).toBe('HBJ');
    expect(route(rules, { category: 'WATERLOGGING', orgPath: null, taxonomyDepartment: 'SWJ' }).department).toBe('SWJ');
  });

  it('falls back to the local street office when nobody clearly owns the request', () => {
    expect(route([], { category: 'X', orgPath: null, taxonomyDepartment: null })).toEqual({ department: FALLBACK_DEPARTMENT, ruleId: null, reason: 'fallback' });
  });

  it('tries rules by priority, first match wins, ties keep their order', () => {
    const rs = [
      rule({ id: 'late', priority: 50, category: 'NOISE', department: 'CGJ' }),
      rule({ id: 'early', priority: 10, orgUnitId: 'd-escaldes', department: 'JD' }),
      rule({ id: 'tie', priority: 10, category: 'NOISE', department: 'HBJ' }),
    ];
    expect(route(rs, { category: 'NOISE', orgPath: PATH_IN_ESCALDES, taxonomyDepartment: 'HBJ' }).ruleId).toBe('early');
    expect(route(rs, { category: 'NOISE', orgPath: PATH_ELSEWHERE, taxonomyDepartment: 'HBJ' }).ruleId).toBe('tie');
  });

  it('matches whole path segments only', () => {
    expect(inUnit('/c/d-escaldes2/', 'd-escaldes')).toBe(false);
    expect(inUnit(null, 'd-escaldes')).toBe(false);
  });
});

describe('labelsToExamples', () => {
  it('keeps the latest correction of each event', () => {
    const l = (id: string, eventId: string, category: string) => ({ id, eventId, text: `t-${eventId}`, category, urgent: false });
    expect(labelsToExamples([l('1', 'e1', 'NOISE'), l('2', 'e2', 'GARBAGE'), l('3', 'e1', 'CONSTRUCTION_NUISANCE')]).map((x) => [x.text, x.category]))
      .toEqual([['t-e1', 'CONSTRUCTION_NUISANCE'], ['t-e2', 'GARBAGE']]);
  });
});
