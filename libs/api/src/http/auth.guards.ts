import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AdminAuthenticator, AdminPrincipal } from '@rdx/admin';
import { RdxError } from '@rdx/errors';
import { ParticipantAuthenticator } from '@rdx/exchange';
import { ParticipantRecord } from '@rdx/persistence';
import { addLogFields } from '@rdx/telemetry';
import type { FastifyRequest } from 'fastify';

type AuthenticatedRequest = FastifyRequest & {
  rdxParticipant?: ParticipantRecord;
  rdxAdmin?: AdminPrincipal;
};

function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer +([\x21-\x7e]+)$/i.exec(header);
  if (match === null) throw new RdxError('invalid-token', 'send Authorization: Bearer <token>');
  return match[1];
}

// A participant's token is a JWT (three dot-separated parts); an administrator's is opaque.
const isJwt = (token: string) => token.split('.').length === 3;

/** Admits a participant with a valid bearer JWT (PROTOCOL.md section 2). */
@Injectable()
export class ParticipantGuard implements CanActivate {
  constructor(@Inject(ParticipantAuthenticator) private readonly participants: ParticipantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearer(request);
    if (!isJwt(token)) throw new RdxError('invalid-token', 'this call takes a participant bearer JWT');
    request.rdxParticipant = await this.participants.authenticate(token);
    addLogFields({ participantId: request.rdxParticipant.id });
    return true;
  }
}

/** Admits an administrator token holder; roles are checked by each use case. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(AdminAuthenticator) private readonly admins: AdminAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearer(request);
    if (isJwt(token)) throw new RdxError('invalid-token', 'this call takes an administrator token');
    request.rdxAdmin = await this.admins.authenticate(token);
    return true;
  }
}

/** Admits either, by the shape of the token. */
@Injectable()
export class ParticipantOrAdminGuard implements CanActivate {
  constructor(
    @Inject(ParticipantAuthenticator) private readonly participants: ParticipantAuthenticator,
    @Inject(AdminAuthenticator) private readonly admins: AdminAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearer(request);
    if (isJwt(token)) {
      request.rdxParticipant = await this.participants.authenticate(token);
      addLogFields({ participantId: request.rdxParticipant.id });
    } else request.rdxAdmin = await this.admins.authenticate(token);
    return true;
  }
}

/** The participant a guard admitted. */
export const CurrentParticipant = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().rdxParticipant,
);

/** The administrator a guard admitted. */
export const CurrentAdmin = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().rdxAdmin,
);
