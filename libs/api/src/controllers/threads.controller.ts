import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetThread } from '@rdx/exchange';
import { ParticipantRecord } from '@rdx/persistence';
import { addLogFields } from '@rdx/telemetry';
import { CurrentParticipant, ParticipantGuard } from '../http/auth.guards';

const PROBLEM = { description: 'application/problem+json (RFC 9457)' };

@ApiTags('messages')
@Controller('v1/threads')
export class ThreadsController {
  constructor(@Inject(GetThread) private readonly getThread: GetThread) {}

  @Get(':id')
  @UseGuards(ParticipantGuard)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "A case's conversation: the messages linked to this one (inreplyto, supersedes, withdrawals) that the caller sent or received, each with its status",
  })
  @ApiResponse({ status: 200, description: '{"threadId", "messages": [...]} in acceptance order' })
  @ApiResponse({ status: 404, ...PROBLEM })
  async thread(@Param('id') id: string, @CurrentParticipant() participant: ParticipantRecord) {
    addLogFields({ messageId: id });
    return this.getThread.execute(id, participant.id);
  }
}
