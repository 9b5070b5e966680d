import { Module } from '@nestjs/common';
import { AdapterRegistry } from './adapter.registry';
import { INBOUND_ADAPTERS, InboundAdapter, OUTBOUND_ADAPTERS, OutboundAdapter } from './contract';
import { IdComplaints } from './id/id-complaints.inbound';
import { IdVictimRecord } from './id/id-victim-record.outbound';
import { KhRescueRegister } from './kh/kh-rescue-register.inbound';
import { mappingAdapters } from './mapping/mapping.directory';
import { MyShelterAdmissions } from './my/my-shelter-admissions.inbound';
import { PhIncidentReport } from './ph/ph-incident-report.inbound';
import { PhReferral } from './ph/ph-referral.outbound';
import { ThScreeningReport } from './th/th-screening-report.inbound';

/** Every member's adapters, under one token each, and the registry that picks one by country. */
@Module({
  providers: [
    {
      provide: INBOUND_ADAPTERS,
      useFactory: (): InboundAdapter[] => [
        new KhRescueRegister(),
        new ThScreeningReport(),
        new MyShelterAdmissions(),
        new IdComplaints(),
        new PhIncidentReport(),
        ...mappingAdapters(),
      ],
    },
    {
      provide: OUTBOUND_ADAPTERS,
      useFactory: (): OutboundAdapter[] => [new IdVictimRecord(), new PhReferral()],
    },
    AdapterRegistry,
  ],
  exports: [AdapterRegistry],
})
export class AdaptersModule {}
