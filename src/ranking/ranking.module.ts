import { Module } from '@nestjs/common';
import { RankingController } from './ranking.controller';
import { RankingRepository } from './ranking.repository';
import { RankingRollupJob } from './ranking-rollup.job';
import { RankingService } from './ranking.service';

@Module({
  controllers: [RankingController],
  providers: [RankingService, RankingRepository, RankingRollupJob],
  exports: [RankingRepository],
})
export class RankingModule {}
