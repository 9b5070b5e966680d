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
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AdminPrincipal,
  adminView,
  GetParticipant,
  IssueAdminToken,
  ListParticipants,
  ReadAudit,
  RegisterKey,
  RegisterParticipant,
  RetireKey,
  RevokeKey,
  SetParticipantStatus,
} from '@rdx/admin';
import { RegisterKeyDto, RevokeKeyDto } from '../dto/key.dto';
import { AuditQueryDto } from '../dto/page-query.dto';
import { CreateParticipantDto, PatchParticipantDto } from '../dto/participant.dto';
import { IssueTokenDto } from '../dto/token.dto';
import { AdminGuard, CurrentAdmin } from '../http/auth.guards';
import { DtoPipe } from '../http/validation';

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(RegisterParticipant) private readonly registerParticipant: RegisterParticipant,
    @Inject(ListParticipants) private readonly listParticipants: ListParticipants,
    @Inject(GetParticipant) private readonly getParticipant: GetParticipant,
    @Inject(SetParticipantStatus) private readonly setParticipantStatus: SetParticipantStatus,
    @Inject(RegisterKey) private readonly registerKey: RegisterKey,
    @Inject(RetireKey) private readonly retireKey: RetireKey,
    @Inject(RevokeKey) private readonly revokeKey: RevokeKey,
    @Inject(IssueAdminToken) private readonly issueToken: IssueAdminToken,
    @Inject(ReadAudit) private readonly readAudit: ReadAudit,
  ) {}

  @Get('me')
  @ApiOperation({
    summary: "The calling administrator: its token's id, its role, and a country administrator's country",
  })
  me(@CurrentAdmin() admin: AdminPrincipal) {
    return adminView(admin);
  }

  @Post('participants')
  @ApiOperation({ summary: 'Register a participant' })
  async register(@CurrentAdmin() admin: AdminPrincipal, @Body(new DtoPipe()) body: CreateParticipantDto) {
    return this.registerParticipant.execute(admin, body);
  }

  @Get('participants')
  @ApiOperation({ summary: 'List participants (a country administrator sees its own country)' })
  async list(@CurrentAdmin() admin: AdminPrincipal) {
    return { items: await this.listParticipants.execute(admin) };
  }

  @Get('participants/:id')
  @ApiOperation({ summary: 'A participant and its keys' })
  async get(@CurrentAdmin() admin: AdminPrincipal, @Param('id') id: string) {
    return this.getParticipant.execute(admin, id);
  }

  @Patch('participants/:id')
  @ApiOperation({ summary: 'Suspend or reinstate a participant' })
  async patch(
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('id') id: string,
    @Body(new DtoPipe()) body: PatchParticipantDto,
  ) {
    return this.setParticipantStatus.execute(admin, id, body.status);
  }

  @Post('participants/:id/keys')
  @ApiOperation({ summary: "Register one of a participant's public keys" })
  async addKey(
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('id') id: string,
    @Body(new DtoPipe()) body: RegisterKeyDto,
  ) {
    const key = await this.registerKey.execute(admin, id, body);
    return { kid: key.kid, status: key.status };
  }

  @Post('participants/:id/keys/:kid/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a key (rotation): it signs nothing new' })
  async retire(@CurrentAdmin() admin: AdminPrincipal, @Param('id') id: string, @Param('kid') kid: string) {
    return this.retireKey.execute(admin, id, kid);
  }

  @Post('participants/:id/keys/:kid/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key (compromise): nothing signed with it is accepted any more' })
  async revoke(
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('id') id: string,
    @Param('kid') kid: string,
    @Body(new DtoPipe()) body: RevokeKeyDto,
  ) {
    return this.revokeKey.execute(admin, id, kid, body.reason);
  }

  @Post('tokens')
  @ApiOperation({ summary: 'Issue an administrator token (shown once)' })
  async token(@CurrentAdmin() admin: AdminPrincipal, @Body(new DtoPipe()) body: IssueTokenDto) {
    return this.issueToken.execute(admin, body);
  }

  @Get('audit')
  @ApiOperation({ summary: 'The hash-chained audit record, searchable by actor, action and subject' })
  async audit(
    @CurrentAdmin() admin: AdminPrincipal,
    @Query(new DtoPipe('bad-request')) query: AuditQueryDto,
  ) {
    const { after, limit, ...search } = query;
    return this.readAudit.execute(admin, after ?? 0, limit ?? 100, search);
  }
}
