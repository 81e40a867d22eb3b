import type { PinoLogger } from 'nestjs-pino';
import { AppLogger } from './app-logger';

describe(AppLogger.name, () => {
  const calls: Array<[string, unknown]> = [];
  const pino = { info: (fields: object, msg: string) => calls.push(['info', { ...fields, msg }]), debug: (fields: object, msg: string) => calls.push(['debug', { ...fields, msg }]) };
  const sut = new AppLogger(pino as unknown as PinoLogger, {});

  beforeEach(() => {
    calls.length = 0;
  });

  it.each(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication'])('moves Nest start-up lines of %s to debug', (context) => {
    sut.log('Mapped {/api/v1/orders, POST} route', context);
    expect(calls).toEqual([['debug', { context, msg: 'Mapped {/api/v1/orders, POST} route' }]]);
  });

  it("keeps the service's own lines at info", () => {
    sut.log('order service listening on http://localhost:3000', 'Bootstrap');
    sut.log('no context');
    expect(calls).toEqual([
      ['info', { context: 'Bootstrap', msg: 'order service listening on http://localhost:3000' }],
      ['info', { msg: 'no context' }],
    ]);
  });
});
