import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminPrincipal } from '@rdx/admin';
import { AcknowledgeMessage, GetMessageStatus, PublishMessage } from '@rdx/exchange';
import { ParticipantRecord } from '@rdx/persistence';
import { addLogFields } from '@rdx/telemetry';
import type { FastifyReply } from 'fastify';
import { CurrentAdmin, CurrentParticipant, ParticipantOrAdminGuard } from '../http/auth.guards';

const JOSE = 'application/jose';
const PROBLEM = { description: 'application/problem+json (RFC 9457)' };

@ApiTags('messages')
@Controller('v1/messages')
export class MessagesController {
  constructor(
    @Inject(PublishMessage) private readonly publishMessage: PublishMessage,
    @Inject(AcknowledgeMessage) private readonly acknowledgeMessage: AcknowledgeMessage,
    @Inject(GetMessageStatus) private readonly getMessageStatus: GetMessageStatus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Publish a signed message (compact JWS, typ rdx+jws)' })
  @ApiConsumes(JOSE)
  @ApiBody({ schema: { type: 'string', description: 'compact JWS' } })
  @ApiResponse({ status: 202, description: 'Accepted: stored durably, with a signed receipt' })
  @ApiResponse({ status: 200, description: 'The byte-identical message posted again: the same answer' })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 401, ...PROBLEM })
  @ApiResponse({ status: 403, ...PROBLEM })
  @ApiResponse({ status: 409, ...PROBLEM })
  @ApiResponse({ status: 413, ...PROBLEM })
  @ApiResponse({ status: 415, ...PROBLEM })
  @ApiResponse({ status: 422, ...PROBLEM })
  @ApiResponse({ status: 429, ...PROBLEM })
  @ApiResponse({ status: 503, ...PROBLEM })
  async publish(@Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown) {
    const result = await this.publishMessage.execute(joseBody(body));
    void reply.status(result.status);
    return result.body;
  }

  @Post(':id/acks')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge a message (compact JWS, typ rdx-ack+jws)' })
  @ApiConsumes(JOSE)
  @ApiBody({ schema: { type: 'string', description: 'compact JWS' } })
  @ApiResponse({ status: 200, description: 'The acknowledgement now recorded' })
  @ApiResponse({ status: 404, ...PROBLEM })
  @ApiResponse({ status: 409, ...PROBLEM })
  async acknowledge(@Param('id') id: string, @Body() body: unknown) {
    addLogFields({ messageId: id });
    return this.acknowledgeMessage.execute(id, joseBody(body));
  }

  @Get(':id')
  @UseGuards(ParticipantOrAdminGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delivery and acknowledgement status, for the sender or an administrator' })
  @ApiResponse({ status: 404, ...PROBLEM })
  async status(
    @Param('id') id: string,
    @CurrentParticipant() participant: ParticipantRecord | undefined,
    @CurrentAdmin() _admin: AdminPrincipal | undefined,
  ) {
    addLogFields({ messageId: id });
    return this.getMessageStatus.execute(id, participant?.id);
  }
}

/** The compact JWS of an application/jose body, without the line ending a file or shell may add. */
function joseBody(body: unknown): string {
  return typeof body === 'string' ? body.replace(/\r?\n$/, '') : '';
}
