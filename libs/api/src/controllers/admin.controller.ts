import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminPrincipal, IssueAdminToken, ManageKeys, ManageParticipants, ReadAudit } from '@rdx/admin';
import type { FastifyRequest } from 'fastify';
import { RegisterKeyDto, RevokeKeyDto } from '../dto/key.dto';
import { AuditQueryDto } from '../dto/page-query.dto';
import { CreateParticipantDto, PatchParticipantDto } from '../dto/participant.dto';
import { IssueTokenDto } from '../dto/token.dto';
import { AdminGuard, CurrentAdmin } from '../http/auth.guards';
import { DtoPipe, requireContentType } from '../http/validation';

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(ManageParticipants) private readonly participants: ManageParticipants,
    @Inject(ManageKeys) private readonly keys: ManageKeys,
    @Inject(IssueAdminToken) private readonly issueToken: IssueAdminToken,
    @Inject(ReadAudit) private readonly readAudit: ReadAudit,
  ) {}

  @Post('participants')
  @ApiOperation({ summary: 'Register a participant' })
  async register(
    @Req() r: FastifyRequest,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body(new DtoPipe()) body: CreateParticipantDto,
  ) {
    requireContentType(r, 'application/json');
    return this.participants.register(admin, body);
  }

  @Get('participants')
  @ApiOperation({ summary: 'List participants (a country administrator sees its own country)' })
  async list(@CurrentAdmin() admin: AdminPrincipal) {
    return { items: await this.participants.list(admin) };
  }

  @Get('participants/:id')
  @ApiOperation({ summary: 'A participant and its keys' })
  async get(@CurrentAdmin() admin: AdminPrincipal, @Param('id') id: string) {
    return this.participants.get(admin, id);
  }

  @Patch('participants/:id')
  @ApiOperation({ summary: 'Suspend or reinstate a participant' })
  async patch(
    @Req() r: FastifyRequest,
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('id') id: string,
    @Body(new DtoPipe()) body: PatchParticipantDto,
  ) {
    requireContentType(r, 'application/json');
    return this.participants.setStatus(admin, id, body.status);
  }

  @Post('participants/:id/keys')
  @ApiOperation({ summary: "Register one of a participant's public keys" })
  async registerKey(
    @Req() r: FastifyRequest,
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('id') id: string,
    @Body(new DtoPipe()) body: RegisterKeyDto,
  ) {
    requireContentType(r, 'application/json');
    const key = await this.keys.register(admin, id, body);
    return { kid: key.kid, status: key.status };
  }

  @Post('participants/:id/keys/:kid/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a key (rotation): it signs nothing new' })
  async retire(@CurrentAdmin() admin: AdminPrincipal, @Param('id') id: string, @Param('kid') kid: string) {
    return this.keys.retire(admin, id, kid);
  }

  @Post('participants/:id/keys/:kid/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key (compromise): nothing signed with it is accepted any more' })
  async revoke(
    @Req() r: FastifyRequest,
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('id') id: string,
    @Param('kid') kid: string,
    @Body(new DtoPipe()) body: RevokeKeyDto,
  ) {
    requireContentType(r, 'application/json');
    return this.keys.revoke(admin, id, kid, body.reason);
  }

  @Post('tokens')
  @ApiOperation({ summary: 'Issue an administrator token (shown once)' })
  async token(
    @Req() r: FastifyRequest,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body(new DtoPipe()) body: IssueTokenDto,
  ) {
    requireContentType(r, 'application/json');
    return this.issueToken.execute(admin, body);
  }

  @Get('audit')
  @ApiOperation({ summary: 'The hash-chained audit record' })
  async audit(
    @CurrentAdmin() admin: AdminPrincipal,
    @Query(new DtoPipe('bad-request')) query: AuditQueryDto,
  ) {
    return this.readAudit.execute(admin, query.after ?? 0, query.limit ?? 100);
  }
}
