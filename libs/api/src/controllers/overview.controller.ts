import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminPrincipal, ReadAttention, ReadFlow } from '@rdx/admin';
import { FlowQueryDto } from '../dto/flow.dto';
import { AdminGuard, CurrentAdmin } from '../http/auth.guards';
import { DtoPipe } from '../http/validation';

/** What the console's first pages show: what needs attention, and the message flow. */
@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin')
export class OverviewController {
  constructor(
    @Inject(ReadAttention) private readonly readAttention: ReadAttention,
    @Inject(ReadFlow) private readonly readFlow: ReadFlow,
  ) {}

  @Get('attention')
  @ApiOperation({
    summary:
      'What needs attention: active keys expiring within 14 days, subscriptions with failed or retrying ' +
      'webhook deliveries, suspended participants with active subscriptions, replies overdue past a request ' +
      'deadline (a country administrator: its country)',
  })
  async attention(@CurrentAdmin() admin: AdminPrincipal) {
    return this.readAttention.execute(admin);
  }

  @Get('flow')
  @ApiOperation({
    summary:
      'Accepted messages counted per time bucket, type and sender country (at most 31 days, 500 buckets), ' +
      'and webhook deliveries pending, retrying and failed per subscription',
  })
  async flow(@CurrentAdmin() admin: AdminPrincipal, @Query(new DtoPipe('bad-request')) query: FlowQueryDto) {
    return this.readFlow.execute(admin, query);
  }
}
