/** Password hashing: round trip, salts differ, wrong and malformed inputs refused. */
import { describe, expect, it } from 'vitest';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.js';

const FAST = { N: 1 << 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery', FAST);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterz', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('salts every hash differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', FAST), hashPassword('same password', FAST)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('uses the default cost (N = 2^15) and still verifies', async () => {
    const h = await hashPassword('密码也可以是中文的哦');
    expect(h.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('密码也可以是中文的哦', h)).toBe(true);
  });

  it('treats malformed stored hashes as a mismatch instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$x$8$1$abc$def', 'bcrypt$1$2$3$4$5', 'scrypt$1024$8$1$abc$']) {
      expect(await verifyPassword('whatever-password', bad)).toBe(false);
    }
  });

  it('burns a check for unknown users and answers false', async () => {
    expect(await burnPasswordCheck('anything at all')).toBe(false);
  });
});
