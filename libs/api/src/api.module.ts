import { Module } from '@nestjs/common';
import { AdminController } from './controllers/admin.controller';
import { AdminDeliveriesController, DeliveriesController } from './controllers/deliveries.controller';
import { OverviewController } from './controllers/overview.controller';
import { InboxController } from './controllers/inbox.controller';
import { MessagesController } from './controllers/messages.controller';
import { PublicController } from './controllers/public.controller';
import { ThreadsController } from './controllers/threads.controller';
import { StatisticsController } from './controllers/statistics.controller';
import { AdminGuard, ParticipantGuard, ParticipantOrAdminGuard } from './http/auth.guards';
import { OperationsModule } from './operations.module';

/** The HTTP API of PROTOCOL.md: controllers that unpack requests and delegate to use cases. */
@Module({
  imports: [OperationsModule],
  controllers: [
    MessagesController,
    ThreadsController,
    InboxController,
    DeliveriesController,
    AdminController,
    AdminDeliveriesController,
    OverviewController,
    PublicController,
    StatisticsController,
  ],
  providers: [AdminGuard, ParticipantGuard, ParticipantOrAdminGuard],
})
export class ApiModule {}
