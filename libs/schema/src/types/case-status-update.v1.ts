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
import { PersonDto } from '../person.dto';
import { Describe, IsIsoDate, Optional } from '../schema.decorators';

// In the order a case usually moves through them; detained and deceased can happen at any point.
export const CASE_STATUSES = [
  'reported',
  'located',
  'rescued',
  'screened',
  'identified',
  'in-shelter',
  'nationality-verified',
  'document-issued',
  'exit-cleared',
  'repatriated',
  'received-and-referred',
  'closed',
  'detained',
  'deceased',
] as const;

/** Tells the agencies following a case where it stands, from the first report to its closure. */
export class CaseStatusUpdateV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The case reference; every message about this case carries it')
  caseRef!: string;

  @IsIn(CASE_STATUSES)
  @Describe(
    'received-and-referred: received at home and referred to welfare or labour services; ' +
      'detained: held by police or immigration, whatever the ground',
  )
  status!: (typeof CASE_STATUSES)[number];

  @IsIsoDate()
  @Describe('When the case reached the status, not when this message was sent')
  effectiveOn!: string;

  @Optional()
  @IsString()
  @Length(1, 1000)
  note?: string;

  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  @Describe('The persons the status applies to, when not all persons of the case')
  persons?: PersonDto[];
}

export const caseStatusUpdateV1 = defineMessageType({
  type: 'org.asean.rdx.case-status-update.v1',
  title: 'Case status update',
  description:
    'Where a case stands: reported, located, rescued, screened, identified, in shelter, nationality ' +
    'verified, document issued, exit cleared, repatriated, received and referred, closed; or detained, deceased.',
  dataClass: CaseStatusUpdateV1,
  aboutPersons: true,
  examples: [
    {
      // Indonesia's migrant-worker agency received Siti at the airport and referred her to a trauma centre.
      caseRef: 'KH-CNP-2026-00042',
      status: 'received-and-referred',
      effectiveOn: '2026-12-10',
      note: 'Received at Soekarno-Hatta; referred to the social ministry trauma centre in Bambu Apus',
      persons: [
        {
          names: [{ value: 'Siti Rahmawati', script: 'Latn', kind: 'passport' }],
          dateOfBirth: '1998-03-14',
          sex: 'female',
          nationalities: ['ID'],
          verifiedNationalities: ['ID'],
          isMinor: false,
        },
      ],
    },
    {
      // Thai police report that two of the people named in their Myawaddy alert crossed back and are safe.
      caseRef: 'TH-ATPD-2026-0098',
      status: 'rescued',
      effectiveOn: '2026-11-22',
      note: 'Handed over at Mae Sot Friendship Bridge; screening tomorrow',
      persons: [
        {
          names: [
            { value: 'สมชาย ใจดี', script: 'Thai', kind: 'passport' },
            { value: 'Somchai Jaidee', script: 'Latn', kind: 'passport' },
          ],
          dateOfBirth: '1999-04-12',
          sex: 'male',
          nationalities: ['TH'],
          isMinor: false,
          languages: ['th'],
        },
        {
          names: [
            { value: 'សុខ ដារា', script: 'Khmr' },
            { value: 'Sok Dara', script: 'Latn' },
          ],
          dateOfBirth: '2010-06-01',
          dateOfBirthEstimated: true,
          sex: 'male',
          nationalities: ['KH'],
          isMinor: true,
          languages: ['km'],
        },
      ],
    },
    {
      // Cambodia's national committee closes a case after the victims' reintegration, naming no one.
      caseRef: 'KH-NCCT-2026-0219',
      status: 'closed',
      effectiveOn: '2026-12-20',
      note: 'បិទសំណុំរឿង: ជនរងគ្រោះទាំងអស់បានវិលត្រឡប់ និងធ្វើសមាហរណកម្ម / Closed: all victims returned and reintegrated',
    },
  ],
});
