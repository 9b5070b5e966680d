import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { CASE_REF_PATTERN } from '../countries.constants';
import { defineMessageType } from '../message-type.definition';
import {
  Describe,
  IsIsoDate,
  IsMessageId,
  IsParticipantId,
  Optional,
  RequiredWhen,
} from '../schema.decorators';
import { EscortDto, RepatriatedPersonDto, RouteLegDto } from './repatriation-plan.v1.dto';

export const REPATRIATION_STAGES = ['request', 'proposal', 'confirmation'] as const;

// Stages at which the plan is concrete enough to name a date, a route and who receives the persons.
const PLANNED = ['proposal', 'confirmation'] as const;

/** The return of victims home, negotiated in three steps: request, proposal, confirmation. */
export class RepatriationPlanV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The sender case reference; every message about this case carries it')
  caseRef!: string;

  @IsIn(REPATRIATION_STAGES)
  @Describe('request: asks for a return; proposal: offers a date and route; confirmation: agrees to one')
  stage!: (typeof REPATRIATION_STAGES)[number];

  @Optional()
  @IsMessageId()
  @Describe('The id of the request or proposal this message answers')
  inReplyTo?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => RepatriatedPersonDto)
  @Describe('Each person travels on the document in their travelDocument')
  persons!: RepatriatedPersonDto[];

  @RequiredWhen('stage', PLANNED)
  @IsIsoDate()
  departureOn?: string;

  @RequiredWhen('stage', PLANNED)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => RouteLegDto)
  route?: RouteLegDto[];

  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => EscortDto)
  escorts?: EscortDto[];

  @RequiredWhen('stage', PLANNED)
  @IsParticipantId()
  @Describe('The participant that receives the persons on arrival, e.g. a welfare or labour agency')
  receivingAgency?: string;

  @Optional()
  @IsString()
  @Length(1, 300)
  @Describe('Where the receiving agency meets the persons')
  receptionPoint?: string;
}

export const repatriationPlanV1 = defineMessageType({
  type: 'org.asean.rdx.repatriation-plan.v1',
  title: 'Repatriation plan',
  description:
    'Arranges the return of victims to their state of nationality: requested, proposed with a date, ' +
    'route, escort and receiving agency, then confirmed. Carries consent, exit clearance, pending ' +
    'proceedings and, for a child, the guardian and best-interests assessment. Routed only to that state.',
  dataClass: RepatriationPlanV1,
  aboutPersons: true,
  examples: [
    {
      // Indonesia proposes to fly the two Sihanoukville victims home, one on an SPLP, escorted by the embassy.
      caseRef: 'KH-CNP-2026-00042',
      stage: 'proposal',
      inReplyTo: '0c5e7a9b-1d3f-4a2c-9e8b-7f6a5d4c3b2a',
      persons: [
        {
          names: [{ value: 'Siti Rahmawati', script: 'Latn', kind: 'passport' }],
          dateOfBirth: '1998-03-14',
          sex: 'female',
          nationalities: ['ID'],
          verifiedNationalities: ['ID'],
          isMinor: false,
          travelDocument: {
            type: 'emergency-travel-document',
            number: 'SPLP-PNH-2026-0117',
            issuer: 'ID',
            expiresOn: '2027-01-31',
            heldBy: 'authority',
          },
          consent: { status: 'given', recordedOn: '2026-11-28' },
          exitClearance: {
            status: 'granted',
            overstayFinesWaived: true,
            authority: 'General Department of Immigration, Cambodia',
            clearedOn: '2026-12-03',
          },
          pendingProceedings: [],
        },
        {
          names: [{ value: 'Agus Setiawan', script: 'Latn', kind: 'passport' }],
          dateOfBirth: '2001-07-02',
          sex: 'male',
          nationalities: ['ID'],
          verifiedNationalities: ['ID'],
          isMinor: false,
          travelDocument: {
            type: 'passport',
            number: 'C7654321',
            issuer: 'ID',
            expiresOn: '2029-05-20',
            heldBy: 'authority',
          },
          consent: { status: 'given', recordedOn: '2026-11-28' },
          exitClearance: { status: 'granted', overstayFinesWaived: true, clearedOn: '2026-12-03' },
          pendingProceedings: [
            {
              kind: 'criminal',
              role: 'witness',
              authority: 'Preah Sihanouk Provincial Court',
              reference: 'PSH-2026-CR-0871',
              blocksDeparture: false,
              nextHearingOn: '2027-02-15',
            },
          ],
        },
      ],
      departureOn: '2026-12-10',
      route: [
        { mode: 'land', from: 'Sihanoukville shelter', to: 'Techo International Airport, Phnom Penh' },
        {
          mode: 'air',
          from: 'Phnom Penh',
          to: 'Kuala Lumpur',
          departsAt: '2026-12-10T13:15:00+07:00',
          service: 'AK 537',
        },
        {
          mode: 'air',
          from: 'Kuala Lumpur',
          to: 'Jakarta Soekarno-Hatta',
          departsAt: '2026-12-10T18:40:00+08:00',
          service: 'AK 380',
        },
      ],
      escorts: [{ provider: 'consular-officer', organisation: 'Embassy of Indonesia, Phnom Penh', count: 1 }],
      receivingAgency: 'ID.P2MI',
      receptionPoint: 'Soekarno-Hatta Terminal 3, migrant worker service post',
    },
    {
      // Thailand and Myanmar confirm the return of a Burmese girl to her mother, after a best-interests assessment.
      caseRef: 'TH-ATPD-2026-0117',
      stage: 'confirmation',
      inReplyTo: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
      persons: [
        {
          names: [
            { value: 'မြင့်မြင့်အေး', script: 'Mymr' },
            { value: 'Myint Myint Aye', script: 'Latn' },
          ],
          dateOfBirth: '2010-01-01',
          dateOfBirthEstimated: true,
          sex: 'female',
          nationalities: ['MM'],
          verifiedNationalities: ['MM'],
          isMinor: true,
          travelDocument: {
            type: 'emergency-travel-document',
            number: 'CI-0048213',
            issuer: 'MM',
            heldBy: 'authority',
          },
          languages: ['my'],
          consent: { status: 'given', recordedOn: '2026-12-01' },
          exitClearance: {
            status: 'granted',
            overstayFinesWaived: true,
            authority: 'Immigration Division 4, Tak',
          },
          pendingProceedings: [],
          minor: {
            guardian: { type: 'parent', name: 'ဒေါ်ခင်မာဝင်း (Daw Khin Ma Win)', phone: '+959420123456' },
            bestInterestsAssessment: {
              status: 'completed',
              conductedBy: 'Tak Provincial Office of Social Development and Human Security, with MM.DSW',
              completedOn: '2026-12-05',
              returnInBestInterests: true,
              summary: 'Family traced in Bago; the mother did not take part in the recruitment',
            },
          },
        },
      ],
      departureOn: '2026-12-18',
      route: [
        { mode: 'air', from: 'Mae Sot', to: 'Bangkok Don Mueang', service: 'FD 3121' },
        { mode: 'air', from: 'Bangkok Don Mueang', to: 'Yangon', service: 'FD 251' },
      ],
      escorts: [
        { provider: 'social-worker', organisation: 'Tak child protection shelter', count: 1 },
        { provider: 'international-organisation', organisation: 'IOM Thailand', count: 1 },
      ],
      receivingAgency: 'MM.DSW',
      receptionPoint: 'Yangon International Airport, Department of Social Welfare desk',
    },
    {
      // Malaysia asks Laos to take back a verified woman; she must first testify, so no date is proposed yet.
      caseRef: 'MY-MAPO-2026-0311',
      stage: 'request',
      persons: [
        {
          names: [
            { value: 'ສົມຈິດ ພົມມະວົງ', script: 'Laoo', kind: 'passport' },
            { value: 'Somchit Phommavong', script: 'Latn', kind: 'passport' },
          ],
          dateOfBirth: '1995-10-09',
          sex: 'female',
          nationalities: ['LA'],
          verifiedNationalities: ['LA'],
          isMinor: false,
          languages: ['lo', 'th'],
          consent: { status: 'given', recordedOn: '2026-12-02' },
          exitClearance: { status: 'pending', overstayFinesWaived: true },
          pendingProceedings: [
            {
              kind: 'criminal',
              role: 'witness',
              authority: 'Sessions Court, Johor Bahru',
              blocksDeparture: true,
              nextHearingOn: '2027-01-12',
            },
          ],
        },
      ],
    },
  ],
});
