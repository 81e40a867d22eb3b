// `npm run token -- <userId> [lifetime]`: prints an access token for the user, signed (HS256) with
// the configured AUTH_JWT_SECRET, AUTH_ISSUER and AUTH_AUDIENCE (from the environment or .env).
// For development and demos: in production the identity provider issues tokens.
import { parseUserId } from '../src/auth/token-verifier';
import { InvalidConfigError, loadConfig } from '../src/config/app-config';
import { signDevToken } from './dev-token';

async function main(): Promise<void> {
  const [idArgument, lifetime = '12h'] = process.argv.slice(2);
  const userId = parseUserId(idArgument);
  if (userId === undefined) throw new InvalidConfigError('usage: npm run token -- <userId> [lifetime, e.g. 30m or 12h; default 12h]');
  console.log(await signDevToken(loadConfig().auth, userId, lifetime));
}

main().catch((error: unknown) => {
  // jose reports a bad lifetime as a TypeError ("Invalid time period format").
  console.error(error instanceof InvalidConfigError || error instanceof TypeError ? error.message : error);
  process.exit(1);
});
