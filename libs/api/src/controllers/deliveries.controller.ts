import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminPrincipal, adminActor } from '@rdx/admin';
import { DeliveryScope, ListDeliveries, ReplayDeliveries } from '@rdx/delivery';
import { RdxError } from '@rdx/errors';
import { ParticipantRecord } from '@rdx/persistence';
import { DeliveryQueryDto, ReplayWindowDto } from '../dto/delivery.dto';
import { AdminGuard, CurrentAdmin, CurrentParticipant, ParticipantGuard } from '../http/auth.guards';
import { DtoPipe } from '../http/validation';

const own = (participant: ParticipantRecord): DeliveryScope => ({
  kind: 'participant',
  participantId: participant.id,
});
const asAdmin = (admin: AdminPrincipal): DeliveryScope => ({
  kind: 'admin',
  role: admin.role,
  country: admin.country,
});

@ApiTags('delivery')
@ApiBearerAuth()
@UseGuards(ParticipantGuard)
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    @Inject(ListDeliveries) private readonly listDeliveries: ListDeliveries,
    @Inject(ReplayDeliveries) private readonly replayDeliveries: ReplayDeliveries,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's webhook deliveries (e.g. ?status=failed)" })
  async list(
    @CurrentParticipant() participant: ParticipantRecord,
    @Query(new DtoPipe('bad-request')) query: DeliveryQueryDto,
  ) {
    if (query.participant !== undefined && query.participant !== participant.id) {
      throw new RdxError('forbidden', 'a participant sees its own deliveries only');
    }
    return { items: await this.listDeliveries.execute(own(participant), query, query.limit ?? 100) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One delivery, with every attempt' })
  async one(@CurrentParticipant() participant: ParticipantRecord, @Param('id') id: string) {
    return this.listDeliveries.one(own(participant), id);
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send again every delivery of a time window (delivered ones too, unless status says)',
  })
  async replayWindow(
    @CurrentParticipant() participant: ParticipantRecord,
    @Body(new DtoPipe()) body: ReplayWindowDto,
  ) {
    return this.replayDeliveries.execute(own(participant), body, participant.id);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one delivery again' })
  async replay(@CurrentParticipant() participant: ParticipantRecord, @Param('id') id: string) {
    return this.replayDeliveries.execute(own(participant), { id }, participant.id);
  }
}

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin/deliveries')
export class AdminDeliveriesController {
  constructor(
    @Inject(ListDeliveries) private readonly listDeliveries: ListDeliveries,
    @Inject(ReplayDeliveries) private readonly replayDeliveries: ReplayDeliveries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Webhook deliveries (a country administrator names one of its participants)' })
  async list(
    @CurrentAdmin() admin: AdminPrincipal,
    @Query(new DtoPipe('bad-request')) query: DeliveryQueryDto,
  ) {
    return { items: await this.listDeliveries.execute(asAdmin(admin), query, query.limit ?? 100) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One delivery, with every attempt' })
  async one(@CurrentAdmin() admin: AdminPrincipal, @Param('id') id: string) {
    return this.listDeliveries.one(asAdmin(admin), id);
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again every delivery of a time window' })
  async replayWindow(@CurrentAdmin() admin: AdminPrincipal, @Body(new DtoPipe()) body: ReplayWindowDto) {
    return this.replayDeliveries.execute(asAdmin(admin), body, adminActor(admin));
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one delivery again' })
  async replay(@CurrentAdmin() admin: AdminPrincipal, @Param('id') id: string) {
    return this.replayDeliveries.execute(asAdmin(admin), { id }, adminActor(admin));
  }
}
