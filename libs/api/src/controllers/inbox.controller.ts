import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateSubscription,
  DeleteSubscription,
  ListSubscriptions,
  PullInbox,
  RotateWebhookSecret,
} from '@rdx/exchange';
import { ParticipantRecord } from '@rdx/persistence';
import { InboxQueryDto } from '../dto/page-query.dto';
import { CreateSubscriptionDto } from '../dto/subscription.dto';
import { CurrentParticipant, ParticipantGuard } from '../http/auth.guards';
import { DtoPipe } from '../http/validation';

@ApiTags('delivery')
@ApiBearerAuth()
@UseGuards(ParticipantGuard)
@Controller('v1')
export class InboxController {
  constructor(
    @Inject(PullInbox) private readonly pullInbox: PullInbox,
    @Inject(CreateSubscription) private readonly createSubscription: CreateSubscription,
    @Inject(ListSubscriptions) private readonly listSubscriptions: ListSubscriptions,
    @Inject(DeleteSubscription) private readonly deleteSubscription: DeleteSubscription,
    @Inject(RotateWebhookSecret) private readonly rotateWebhookSecret: RotateWebhookSecret,
  ) {}

  @Get('inbox')
  @ApiOperation({ summary: 'Pull the messages addressed to the caller, in seq order' })
  async inbox(
    @CurrentParticipant() participant: ParticipantRecord,
    @Query(new DtoPipe('bad-request')) query: InboxQueryDto,
  ) {
    return this.pullInbox.execute(participant.id, query.after, query.limit ?? 100);
  }

  @Post('subscriptions')
  @ApiOperation({ summary: 'Subscribe to message types' })
  @ApiResponse({ status: 201, description: 'The subscription' })
  async subscribe(
    @CurrentParticipant() participant: ParticipantRecord,
    @Body(new DtoPipe()) body: CreateSubscriptionDto,
  ) {
    return this.createSubscription.execute(participant.id, body);
  }

  @Get('subscriptions')
  @ApiOperation({ summary: "The caller's subscriptions" })
  async list(@CurrentParticipant() participant: ParticipantRecord) {
    return { items: await this.listSubscriptions.execute(participant.id) };
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a subscription' })
  async unsubscribe(@CurrentParticipant() participant: ParticipantRecord, @Param('id') id: string) {
    await this.deleteSubscription.execute(participant.id, id);
  }

  @Post('subscriptions/:id/secret')
  @HttpCode(200)
  @ApiOperation({
    summary: "Rotate a webhook subscription's secret (the old one keeps signing during the overlap)",
  })
  async rotateSecret(@CurrentParticipant() participant: ParticipantRecord, @Param('id') id: string) {
    return this.rotateWebhookSecret.execute(participant.id, id);
  }
}
