import { DynamicModule, Module } from '@nestjs/common';
import { AttemptMeter } from './attempt-meter';
import { DeliverWebhook, EndpointCircuits } from './deliver-webhook.use-case';
import { ListDeliveries } from './list-deliveries.use-case';
import { PinnedHttpClient } from './pinned-http.client';
import { ReplayDeliveries } from './replay-deliveries.use-case';
import { WebhookDispatcher } from './webhook-dispatcher';

/** Webhook delivery: the worker's dispatcher, and listing and replaying deliveries. */
@Module({})
export class DeliveryModule {
  /** `worker` runs the dispatcher that sends due deliveries. */
  static forRoot(options: { worker: boolean }): DynamicModule {
    return {
      module: DeliveryModule,
      global: true,
      providers: [
        AttemptMeter,
        DeliverWebhook,
        EndpointCircuits,
        PinnedHttpClient,
        ListDeliveries,
        ReplayDeliveries,
        ...(options.worker ? [WebhookDispatcher] : []),
      ],
      exports: [DeliverWebhook, EndpointCircuits, ListDeliveries, ReplayDeliveries],
    };
  }
}
