import { authHeader } from './support/auth';
import { ADMIN_KEY, useTestApp } from './support/test-app';

describe('users (e2e)', () => {
  const t = useTestApp();

  it('creates a user (admin) with a zero balance', async () => {
    const response = await t.http.post('/api/v1/users').set('X-Admin-Key', ADMIN_KEY).send({ name: 'kim' }).expect(201);
    expect(response.body).toEqual({ id: expect.any(Number), name: 'kim' });
    await t.http.get(`/api/v1/users/${response.body.id}/balance`).set(await authHeader(response.body.id)).expect(200, { userId: response.body.id, balance: 0 });
  });

  it('requires the admin key', async () => {
    const response = await t.http.post('/api/v1/users').send({ name: 'lee' }).expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  });

  it.each([
    ['missing name', {}, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['name too long', { name: 'x'.repeat(101) }, 'name'],
    ['unknown field', { name: 'kim', admin: true }, 'admin'],
  ])('%s → 400 VALIDATION_FAILED, nothing created', async (_case, body, field) => {
    const [before] = await t.query('SELECT COUNT(*) AS n FROM users');
    const response = await t.http.post('/api/v1/users').set('X-Admin-Key', ADMIN_KEY).send(body).expect(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    expect(await t.query('SELECT COUNT(*) AS n FROM users')).toEqual([before]);
  });
});
