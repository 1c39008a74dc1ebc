import { describe, expect, it } from 'vitest';
import { linkTokenOf } from './link-token';
import { describeClient, groupedSecret } from './second-factor';
import { PASSWORD_BOUNDS, validateEmail, validateNewPassword } from './use-account';

describe('linkTokenOf', () => {
  it('reads the secret from a link’s fragment', () => {
    expect(linkTokenOf('#token=kat_abc-DEF_123')).toBe('kat_abc-DEF_123');
    expect(linkTokenOf('token=kat_abc')).toBe('kat_abc');
  });

  it('answers null for a fragment without a secret', () => {
    expect(linkTokenOf('')).toBeNull();
    expect(linkTokenOf('#token=')).toBeNull();
    expect(linkTokenOf('#other=1')).toBeNull();
  });
});

describe('validateNewPassword', () => {
  it('follows the API’s bounds and wants the same password twice', () => {
    const short = 'x'.repeat(PASSWORD_BOUNDS.minLength - 1);
    const good = 'x'.repeat(PASSWORD_BOUNDS.minLength);
    expect(PASSWORD_BOUNDS).toEqual({ minLength: 12, maxLength: 200 });
    expect(validateNewPassword('', '')).toEqual({ password: 'Choose a password.', confirmation: 'Enter the password again.' });
    expect(validateNewPassword(short, short).password).toBe('Use at least 12 characters.');
    expect(validateNewPassword('x'.repeat(201), 'x'.repeat(201)).password).toBe('Use at most 200 characters.');
    expect(validateNewPassword(good, `${good}y`)).toEqual({ password: undefined, confirmation: 'The two passwords differ.' });
    expect(validateNewPassword(good, good)).toEqual({ password: undefined, confirmation: undefined });
  });
});

describe('validateEmail', () => {
  it('wants an address within the bound', () => {
    expect(validateEmail('  ', 254)).toBe('Enter an email address.');
    expect(validateEmail('nope', 254)).toBe('Enter a valid email address.');
    expect(validateEmail(`${'a'.repeat(250)}@b.cd`, 254)).toBe('At most 254 characters.');
    expect(validateEmail(' someone@example.org ', 254)).toBeUndefined();
  });
});

describe('describeClient', () => {
  it('names the browser and system of a user agent', () => {
    expect(
      describeClient('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36'),
    ).toBe('Chrome on Linux');
    expect(
      describeClient('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15'),
    ).toBe('Safari on macOS');
    expect(describeClient('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe('Firefox on Windows');
    expect(
      describeClient(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0',
      ),
    ).toBe('Edge on Windows');
    expect(describeClient('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) CriOS/140.0 Mobile Safari/604.1')).toBe('Chrome on iOS');
  });

  it('keeps what an API client says, and says when there is nothing', () => {
    expect(describeClient('node')).toBe('node');
    expect(describeClient(null)).toBe('Unknown device');
    expect(describeClient('   ')).toBe('Unknown device');
    expect(describeClient('x'.repeat(80))).toHaveLength(58);
  });
});

describe('groupedSecret', () => {
  it('groups a base32 secret by four', () => {
    expect(groupedSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupedSecret('ABCDEF')).toBe('ABCD EF');
  });
});
