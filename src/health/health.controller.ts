import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ServiceUnavailableError } from '../errors/http-errors';
import { ApiErrors } from '../openapi/api-errors';
import { Public } from '../routing/route-access';

class LiveResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

class ReadyResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ type: 'object', additionalProperties: true, example: { database: { status: 'up' } } }) info: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) error: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: object;
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LiveResponse, description: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: the database answers' })
  @ApiOkResponse({ type: ReadyResponse, description: 'The database answers' })
  @ApiErrors(ServiceUnavailableError)
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1_000 })]);
  }
}
