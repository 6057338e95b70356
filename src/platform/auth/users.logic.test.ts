/** Input rules for users and keys: usernames, password length, roles. */
import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.js';
import { checkKeyRoles, checkPassword, checkUserRoles, normalizeUsername, rolesFromJson } from './users.logic.js';
import { ROLES } from './roles.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as AppError).code;
  }
};

describe('user input rules', () => {
  it('accepts 3–64 characters of [A-Za-z0-9._-] and lowercases', () => {
    expect(normalizeUsername('Admin.One_2-x')).toBe('admin.one_2-x');
    expect(normalizeUsername('abc')).toBe('abc');
    expect(normalizeUsername('a'.repeat(64))).toHaveLength(64);
    for (const bad of ['ab', 'a'.repeat(65), 'with space', 'ünï', 'a/b', '']) expect(codeOf(() => normalizeUsername(bad))).toBe('INVALID_USERNAME');
  });

  it('needs passwords of at least 10 characters, counted as characters not bytes', () => {
    expect(codeOf(() => checkPassword('123456789'))).toBe('PASSWORD_TOO_SHORT');
    expect(codeOf(() => checkPassword('1234567890'))).toBeUndefined();
    expect(codeOf(() => checkPassword('密码密码密码密码密'))).toBe('PASSWORD_TOO_SHORT');
    expect(codeOf(() => checkPassword('x'.repeat(1025)))).toBe('PASSWORD_TOO_LONG');
  });

  it('checks roles: users never get "device", keys may', () => {
    expect(checkUserRoles(['admin', 'admin', 'auditor'])).toEqual(['admin', 'auditor']);
    expect(codeOf(() => checkUserRoles([]))).toBe('NO_ROLES');
    expect(codeOf(() => checkUserRoles(['device']))).toBe('UNKNOWN_ROLE');
    expect(codeOf(() => checkUserRoles(['root']))).toBe('UNKNOWN_ROLE');
    expect(checkKeyRoles(['device'])).toEqual(['device']);
  });

  it('reads role JSON defensively', () => {
    expect(rolesFromJson('["admin","bogus"]', ROLES)).toEqual(['admin']);
    expect(rolesFromJson('not json', ROLES)).toEqual([]);
    expect(rolesFromJson('{"a":1}', ROLES)).toEqual([]);
  });
});
