import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminController } from './controllers/admin.controller';
import { InboxController } from './controllers/inbox.controller';
import { MessagesController } from './controllers/messages.controller';
import { OperationsController } from './controllers/operations.controller';
import { PublicController } from './controllers/public.controller';
import { AdminGuard, ParticipantGuard, ParticipantOrAdminGuard } from './http/auth.guards';
import { Metrics } from './http/metrics';
import { OpenApiDocument } from './http/openapi';
import { ProblemFilter } from './http/problem.filter';

/** The HTTP API of PROTOCOL.md: controllers that unpack requests and delegate to use cases. */
@Module({
  controllers: [MessagesController, InboxController, AdminController, PublicController, OperationsController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    AdminGuard,
    ParticipantGuard,
    ParticipantOrAdminGuard,
    Metrics,
    OpenApiDocument,
  ],
})
export class ApiModule {}
