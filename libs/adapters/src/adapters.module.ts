import { Module } from '@nestjs/common';
import { AdapterRegistry } from './adapter.registry';
import { INBOUND_ADAPTERS, InboundAdapter, OUTBOUND_ADAPTERS, OutboundAdapter } from './contract';
import { KhRescueRegister } from './kh/kh-rescue-register.inbound';
import { mappingAdapters } from './mapping/mapping.directory';

/** Every member's adapters, under one token each, and the registry that picks one by country. */
@Module({
  providers: [
    {
      provide: INBOUND_ADAPTERS,
      useFactory: (): InboundAdapter[] => [new KhRescueRegister(), ...mappingAdapters()],
    },
    { provide: OUTBOUND_ADAPTERS, useFactory: (): OutboundAdapter[] => [] },
    AdapterRegistry,
  ],
  exports: [AdapterRegistry],
})
export class AdaptersModule {}
