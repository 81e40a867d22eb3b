import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, JWK, SignJWT, UnsecuredJWT } from 'jose';
import { AuthConfig } from '../config/app-config';
import { InvalidTokenError, TOKEN_CACHE_BUDGET, TokenFailure, TokenVerifier } from './token-verifier';

const SECRET = 'unit-test-secret-0123456789abcdef-0123';
const ISSUER = 'https://id.example';
const AUDIENCE = 'order-service';
const config = (overrides: Partial<AuthConfig> = {}): AuthConfig => ({
  issuer: ISSUER,
  audience: AUDIENCE,
  jwtSecret: SECRET,
  jwksUrl: undefined,
  userIdClaim: 'sub',
  ...overrides,
});
const now = () => Math.floor(Date.now() / 1000);

/** A token with the accepted iss/aud/exp unless overridden; `claims` may set any claim to undefined to drop it. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = { sub: '42', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}
const hs256 = (payload = claims(), secret = SECRET) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));

async function expectRefused(verifier: TokenVerifier, token: string, reason: TokenFailure): Promise<void> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  expect((error as InvalidTokenError).reason).toBe(reason);
}

describe(TokenVerifier.name, () => {
  describe('HS256 with AUTH_JWT_SECRET', () => {
    const sut = new TokenVerifier(config());

    it("returns the user id of a valid token's sub", async () => {
      await expect(sut.verify(await hs256())).resolves.toBe(42);
    });

    it('accepts an integer sub, an aud array containing the audience, and a token within the 30 s tolerance', async () => {
      await expect(sut.verify(await hs256(claims({ sub: 7 })))).resolves.toBe(7);
      await expect(sut.verify(await hs256(claims({ sub: '8', aud: ['other', AUDIENCE] })))).resolves.toBe(8);
      await expect(sut.verify(await hs256(claims({ sub: '9', exp: now() - 20, iat: now() - 100 })))).resolves.toBe(9);
      await expect(sut.verify(await hs256(claims({ sub: '10', nbf: now() + 20, iat: now() + 20 })))).resolves.toBe(10);
    });

    it('reads the id from AUTH_USER_ID_CLAIM when configured', async () => {
      const custom = new TokenVerifier(config({ userIdClaim: 'https://shop.example/user_id' }));
      await expect(custom.verify(await hs256(claims({ sub: 'idp|abc', 'https://shop.example/user_id': '77' })))).resolves.toBe(77);
      await expectRefused(custom, await hs256(claims({ sub: '77' })), 'invalid_user_id');
    });

    it.each([
      ['not a JWT', 'abc', 'malformed'],
      ['three segments of junk', 'a.b.c', 'malformed'],
    ] as const)('refuses %s', async (_case, token, reason) => {
      await expectRefused(sut, token, reason);
    });

    it('refuses a token signed with another secret (bad signature)', async () => {
      await expectRefused(sut, await hs256(claims(), 'another-secret-of-enough-length-0123456'), 'bad_signature');
    });

    it('refuses a changed payload', async () => {
      const [header, , signature] = (await hs256(claims({ sub: '42' }))).split('.');
      const forged = Buffer.from(JSON.stringify(claims({ sub: '1' }))).toString('base64url');
      await expectRefused(sut, `${header}.${forged}.${signature}`, 'bad_signature');
    });

    it('refuses alg: none', async () => {
      const unsigned = new UnsecuredJWT(claims()).encode();
      await expectRefused(sut, unsigned, 'algorithm_refused');
    });

    it('refuses an RS256 token when no JWKS is configured', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(privateKey);
      await expectRefused(sut, token, 'algorithm_refused');
    });

    it.each([
      ['expired (beyond the tolerance)', { exp: now() - 31 }, 'expired'],
      ['without exp', { exp: undefined }, 'invalid_claims'],
      ['not valid before a future nbf', { nbf: now() + 60 }, 'not_yet_valid'],
      ['issued in the future', { iat: now() + 60 }, 'not_yet_valid'],
      ['from another issuer', { iss: 'https://evil.example' }, 'wrong_issuer'],
      ['without iss', { iss: undefined }, 'wrong_issuer'],
      ['for another audience', { aud: 'another-service' }, 'wrong_audience'],
      ['for an audience list without ours', { aud: ['a', 'b'] }, 'wrong_audience'],
      ['for an audience that only begins with ours', { aud: `${AUDIENCE}-evil` }, 'wrong_audience'],
      ['from an issuer that only begins with ours', { iss: `${ISSUER}.evil` }, 'wrong_issuer'],
      ['without aud', { aud: undefined }, 'wrong_audience'],
      ['with an exp that is not a number', { exp: String(now() + 600) }, 'invalid_claims'],
      ['with an iat that is not a NumericDate', { iat: 'abc' }, 'invalid_claims'],
      ['with an iat given as a numeric string', { iat: String(now()) }, 'invalid_claims'],
      ['with an nbf that is not a NumericDate', { nbf: '0' }, 'invalid_claims'],
      ['without sub', { sub: undefined }, 'invalid_user_id'],
      ['with sub 0', { sub: '0' }, 'invalid_user_id'],
      ['with a negative sub', { sub: -3 }, 'invalid_user_id'],
      ['with a fractional sub', { sub: 1.5 }, 'invalid_user_id'],
      ['with a sub that is not decimal', { sub: '0x10' }, 'invalid_user_id'],
      ['with a leading-zero sub', { sub: '042' }, 'invalid_user_id'],
      ['with a sub beyond safe integers', { sub: '9007199254740993' }, 'invalid_user_id'],
      ['with a sub that is an object', { sub: { id: 1 } }, 'invalid_user_id'],
    ] as const)('refuses a token %s', async (_case, overrides, reason) => {
      await expectRefused(sut, await hs256(claims(overrides)), reason);
    });

    it('accepts a signature only in its one canonical base64url spelling', async () => {
      const token = await hs256(claims({ sub: '6' }));
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      // 32 signature bytes in 43 characters: the last one carries 2 unused bits, so 4 spellings decode alike.
      const last = alphabet.indexOf(token.at(-1)!);
      const spellings = [0, 1, 2, 3].map((bits) => `${token.slice(0, -1)}${alphabet[(last & ~3) | bits]}`).filter((spelling) => spelling !== token);
      expect(spellings).toHaveLength(3);
      for (const spelling of spellings) await expectRefused(sut, spelling, 'malformed');
      await expectRefused(sut, `${token}=`, 'malformed');
      await expect(sut.verify(token)).resolves.toBe(6);
    });

    it('holds at most its byte budget of tokens, however large the valid tokens it sees', async () => {
      const verifier = new TokenVerifier(config());
      const groups = 'g'.repeat(14_000);
      for (let i = 0; i < 2_000; i++) await verifier.verify(await hs256(claims({ sub: String(i + 1), groups })));
      expect(verifier.cachedBytes).toBeGreaterThan(TOKEN_CACHE_BUDGET.bytes - 20_000);
      expect(verifier.cachedBytes).toBeLessThanOrEqual(TOKEN_CACHE_BUDGET.bytes);
    });

    it('verifies a token once and then answers from its cache, still refusing others', async () => {
      const token = await hs256(claims({ sub: '5' }));
      await expect(sut.verify(token)).resolves.toBe(5);
      await expect(sut.verify(token)).resolves.toBe(5);
      await expectRefused(sut, `${token}x`, 'bad_signature');
    });
  });

  describe('RS256 / ES256 with AUTH_JWKS_URL', () => {
    let server: Server;
    let served: JWK[] = [];
    let fetches = 0;
    let jwksUrl: string;

    beforeAll(async () => {
      server = createServer((_request, response) => {
        fetches++;
        response.setHeader('Content-Type', 'application/json');
        response.end(JSON.stringify({ keys: served }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    async function keyPair(alg: 'RS256' | 'ES256', kid: string) {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
      const sign = (payload = claims()) => new SignJWT(payload).setProtectedHeader({ alg, kid }).sign(privateKey);
      return { publicKey, jwk, sign };
    }

    it('verifies RS256 and ES256 tokens with the keys of the JWKS', async () => {
      const rsa = await keyPair('RS256', 'rsa-1');
      const ec = await keyPair('ES256', 'ec-1');
      served = [rsa.jwk, ec.jwk];
      const sut = new TokenVerifier(config({ jwtSecret: undefined, jwksUrl }));

      await expect(sut.verify(await rsa.sign(claims({ sub: '11' })))).resolves.toBe(11);
      await expect(sut.verify(await ec.sign(claims({ sub: '12' })))).resolves.toBe(12);
      await expectRefused(sut, await rsa.sign(claims({ sub: '13', aud: 'other' })), 'wrong_audience');
    });

    it('refuses time claims that are not NumericDate numbers, as on the HS256 path', async () => {
      const rsa = await keyPair('RS256', 'rsa-dates');
      served = [rsa.jwk];
      const sut = new TokenVerifier(config({ jwtSecret: undefined, jwksUrl }));
      for (const overrides of [{ iat: 'abc' }, { iat: String(now()) }, { nbf: '0' }, { exp: String(now() + 600) }]) {
        await expectRefused(sut, await rsa.sign(claims(overrides)), 'invalid_claims');
      }
    });

    it('refuses an HS256 token signed with the JWKS public key as the secret', async () => {
      const rsa = await keyPair('RS256', 'rsa-confused');
      served = [rsa.jwk];
      const publicPem = await exportSPKI(rsa.publicKey);
      const forged = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'rsa-confused' })
        .sign(new TextEncoder().encode(publicPem));

      // JWKS only: HS256 is not an accepted algorithm at all.
      await expectRefused(new TokenVerifier(config({ jwtSecret: undefined, jwksUrl })), forged, 'algorithm_refused');
      // Both configured: an HS256 token is checked against the shared secret only, never a public key.
      await expectRefused(new TokenVerifier(config({ jwksUrl })), forged, 'bad_signature');
    });

    it('refuses a token whose kid is in no key set, fetching again at most once per cool-down', async () => {
      served = [(await keyPair('RS256', 'known')).jwk];
      const stranger = await keyPair('RS256', 'unknown');
      const sut = new TokenVerifier(config({ jwtSecret: undefined, jwksUrl }), { jwksCooldownMs: 60_000 });
      fetches = 0;

      await expectRefused(sut, await stranger.sign(), 'unknown_key');
      await expectRefused(sut, await stranger.sign(), 'unknown_key');
      expect(fetches).toBe(1);
    });

    it('follows a key rotation: a token with the new kid makes it fetch the key set again', async () => {
      const old = await keyPair('RS256', '2026-11-old');
      const next = await keyPair('ES256', '2026-11-new');
      served = [old.jwk];
      const sut = new TokenVerifier(config({ jwtSecret: undefined, jwksUrl }), { jwksCooldownMs: 0 });
      fetches = 0;
      await expect(sut.verify(await old.sign(claims({ sub: '21' })))).resolves.toBe(21);
      expect(fetches).toBe(1);

      served = [next.jwk]; // the provider rotates: the old key is withdrawn
      await expect(sut.verify(await next.sign(claims({ sub: '22' })))).resolves.toBe(22);
      expect(fetches).toBe(2);
      await expectRefused(sut, await old.sign(claims({ sub: '23' })), 'unknown_key');
    });
  });
});
