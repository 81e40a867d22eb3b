import { Module } from '@nestjs/common';
import { RankingRepository } from './ranking.repository';
import { RankingRollupJob } from './ranking-rollup.job';
import { RankingService } from './ranking.service';

// GET /products/top is served by ProductController (route order, see there).
@Module({
  providers: [RankingService, RankingRepository, RankingRollupJob],
  exports: [RankingService],
})
export class RankingModule {}
