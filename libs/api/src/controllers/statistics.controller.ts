import { Controller, Get, Headers, Inject, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminPrincipal } from '@rdx/admin';
import { ReadStatistics } from '@rdx/exchange';
import { ParticipantRecord, StatisticsScope } from '@rdx/persistence';
import type { FastifyReply } from 'fastify';
import { StatisticsQueryDto } from '../dto/statistics.dto';
import { CurrentAdmin, CurrentParticipant, ParticipantOrAdminGuard } from '../http/auth.guards';
import { statisticsCsv } from '../http/statistics-csv';
import { DtoPipe } from '../http/validation';

const PROBLEM = { description: 'application/problem+json (RFC 9457)' };

@ApiTags('statistics')
@ApiBearerAuth()
@UseGuards(ParticipantOrAdminGuard)
@Controller('v1/statistics')
export class StatisticsController {
  constructor(@Inject(ReadStatistics) private readonly readStatistics: ReadStatistics) {}

  @Get()
  @ApiOperation({
    summary:
      'Messages and the persons they name, counted by month, type, source and recipient country and ' +
      'nationality, over what the caller sent or received (an administrator: all; a country ' +
      'administrator: its country), small counts suppressed; JSON, or CSV with Accept: text/csv',
  })
  @ApiResponse({
    status: 200,
    description:
      'The counts by the dimensions asked, small ones suppressed: JSON, or CSV (a header, a line per row, a last line of totals)',
    content: {
      'application/json': { schema: { type: 'object' } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 400, ...PROBLEM })
  async statistics(
    @CurrentParticipant() participant: ParticipantRecord | undefined,
    @CurrentAdmin() admin: AdminPrincipal | undefined,
    @Query(new DtoPipe('bad-request')) query: StatisticsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.readStatistics.execute(scopeOf(participant, admin), query);
    void reply.header('vary', 'Accept');
    if (!wantsCsv(accept)) return view;
    void reply.type('text/csv; charset=utf-8');
    return statisticsCsv(view);
  }
}

/** Whose messages the caller may count. */
function scopeOf(
  participant: ParticipantRecord | undefined,
  admin: AdminPrincipal | undefined,
): StatisticsScope {
  if (participant !== undefined) return { participant: participant.id };
  if (admin?.role === 'country-admin') return { country: admin.country! };
  return { all: true };
}

/** CSV when the caller asks for it by name (`Accept: text/csv`), JSON otherwise. */
const wantsCsv = (accept: string | undefined) =>
  accept !== undefined &&
  accept.split(',').some((type) => type.split(';')[0].trim().toLowerCase() === 'text/csv');
