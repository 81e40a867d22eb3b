import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ReplicaStatus, replicaStatuses } from '../database/read-replicas';
import { ServiceUnavailableError } from '../errors/http-errors';
import { ApiErrors } from '../openapi/api-errors';
import { Public } from '../routing/route-access';

class LiveResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

class ReplicaStatusItem {
  @ApiProperty({ example: '10.0.0.12:3306', description: 'The replica as DB_REPLICA_HOSTS names it (host:port)' }) replica: string;
  @ApiProperty({ enum: ['up', 'down'], description: 'up: it answered within 1 s; down: public reads skip it and go to another replica or the primary' })
  status: 'up' | 'down';
}

class ReadyResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ type: 'object', additionalProperties: true, example: { database: { status: 'up' } } }) info: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) error: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: object;
  @ApiProperty({ type: [ReplicaStatusItem], description: 'Each read replica (DB_REPLICA_HOSTS; empty without); one that is down leaves the service ready' })
  replicas: ReplicaStatusItem[];
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LiveResponse, description: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: the primary database answers; each read replica is reported' })
  @ApiOkResponse({ type: ReadyResponse, description: 'The primary database answers' })
  @ApiErrors(ServiceUnavailableError)
  async ready(): Promise<HealthCheckResult & { replicas: ReplicaStatus[] }> {
    // Only the primary decides readiness: without replicas the public reads go to it.
    const [result, replicas] = await Promise.all([
      this.health.check([() => this.database.pingCheck('database', { timeout: 1_000 })]),
      replicaStatuses(this.dataSource, 1_000),
    ]);
    return { ...result, replicas };
  }
}
