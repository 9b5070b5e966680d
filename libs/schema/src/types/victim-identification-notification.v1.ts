import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
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
import {
  Describe,
  IsAseanCountry,
  IsAseanSubdivision,
  IsIsoDate,
  Optional,
  SpecificData,
} from '../schema.decorators';

export const CUSTODY_TYPES = ['shelter', 'police', 'immigration-detention', 'hospital', 'other'] as const;
export const IDENTIFICATION_STATUSES = ['presumed', 'identified', 'screening'] as const;
export const VICTIM_NEEDS = ['medical', 'psychosocial', 'legal', 'interpreter', 'documents'] as const;

/** A person block with the victim's own wishes, which the gateway obeys when routing. */
export class VictimPersonDto extends PersonDto {
  @IsBoolean()
  @Describe('ACTIP art. 14(3): the victim objects to their state being notified; routing to it stops')
  victimObjectsToNotification!: boolean;

  @IsBoolean()
  @Describe('The victim fears persecution at home; nothing is routed to the home state')
  fearsPersecutionAtHome!: boolean;

  @Optional()
  @IsBoolean()
  @Describe('VCCR art. 36(1)(b): a detained person asks that their consulate be told; absent means not asked')
  requestsConsularAccess?: boolean;
}

/** Where the victims are now. */
export class VictimLocationDto {
  @IsAseanCountry()
  country!: string;

  @Optional()
  @IsAseanSubdivision()
  area?: string;

  @IsString()
  @Length(1, 300)
  place!: string;
}

/** Who has the victims in their care. */
export class CustodyDto {
  @IsIn(CUSTODY_TYPES)
  type!: (typeof CUSTODY_TYPES)[number];

  @IsString()
  @Length(1, 200)
  custodian!: string;
}

/** ACTIP art. 14(3) and VCCR arts. 36-37: tells the victims' state that its nationals were identified. */
export class VictimIdentificationNotificationV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The sender case reference; every message about this case carries it')
  caseRef!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VictimPersonDto)
  persons!: VictimPersonDto[];

  @IsObject()
  @ValidateNested()
  @Type(() => VictimLocationDto)
  location!: VictimLocationDto;

  @IsObject()
  @ValidateNested()
  @Type(() => CustodyDto)
  custody!: CustodyDto;

  @IsIn(IDENTIFICATION_STATUSES)
  @Describe('presumed: indicators seen, screening: interviews under way, identified: formally identified')
  identificationStatus!: (typeof IDENTIFICATION_STATUSES)[number];

  @IsArray()
  @ArrayMaxSize(VICTIM_NEEDS.length)
  @ArrayUnique()
  @IsIn(VICTIM_NEEDS, { each: true })
  @SpecificData('health')
  needs!: (typeof VICTIM_NEEDS)[number][];

  @IsIsoDate()
  identifiedOn!: string;
}

export const victimIdentificationNotificationV1 = defineMessageType({
  type: 'org.asean.rdx.victim-identification-notification.v1',
  title: 'Victim identification notification',
  description:
    'The state where victims of trafficking were identified notifies their state of nationality ' +
    '(ACTIP art. 14(3); VCCR arts. 36 and 37), unless a victim objects. Routed only to that state.',
  dataClass: VictimIdentificationNotificationV1,
  aboutPersons: true,
  examples: [
    {
      // Two Indonesians lured by a job ad, freed in a police raid on a scam compound in Sihanoukville.
      caseRef: 'KH-CNP-2026-00042',
      persons: [
        {
          names: [{ value: 'Siti Rahmawati', script: 'Latn', kind: 'passport' }],
          dateOfBirth: '1998-03-14',
          sex: 'female',
          nationalities: ['ID'],
          isMinor: false,
          travelDocument: { type: 'passport', number: 'X1234567', issuer: 'ID', heldBy: 'exploiter' },
          phone: '+6281234567890',
          languages: ['id', 'jv'],
          victimObjectsToNotification: false,
          fearsPersecutionAtHome: false,
          requestsConsularAccess: true,
        },
        {
          names: [
            { value: 'Agus Setiawan', script: 'Latn', kind: 'passport' },
            { value: 'Kevin', script: 'Latn', kind: 'alias' },
          ],
          dateOfBirth: '2001-07-02',
          sex: 'male',
          nationalities: ['ID'],
          isMinor: false,
          travelDocument: {
            type: 'passport',
            number: 'C7654321',
            issuer: 'ID',
            expiresOn: '2029-05-20',
            heldBy: 'authority',
          },
          languages: ['id'],
          victimObjectsToNotification: false,
          fearsPersecutionAtHome: false,
        },
      ],
      location: { country: 'KH', area: 'KH-18', place: 'Provincial social affairs shelter, Sihanoukville' },
      custody: {
        type: 'shelter',
        custodian: 'Preah Sihanouk Department of Social Affairs, Veterans and Youth Rehabilitation',
      },
      identificationStatus: 'identified',
      needs: ['medical', 'psychosocial', 'documents'],
      identifiedOn: '2026-11-26',
    },
    {
      // A Burmese girl who escaped a compound in Myawaddy and crossed to Mae Sot; her age is estimated.
      caseRef: 'TH-ATPD-2026-0117',
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
          isMinor: true,
          languages: ['my'],
          victimObjectsToNotification: false,
          fearsPersecutionAtHome: false,
        },
      ],
      location: { country: 'TH', area: 'TH-63', place: 'Child protection shelter, Mae Sot district, Tak' },
      custody: {
        type: 'shelter',
        custodian: 'Tak Provincial Office of Social Development and Human Security',
      },
      identificationStatus: 'presumed',
      needs: ['psychosocial', 'interpreter', 'documents'],
      identifiedOn: '2026-11-20',
    },
    {
      // A Lao woman found in a raid in Johor, held at an immigration depot, who asks to see her consul.
      caseRef: 'MY-MAPO-2026-0311',
      persons: [
        {
          names: [
            { value: 'ສົມຈິດ ພົມມະວົງ', script: 'Laoo', kind: 'passport' },
            { value: 'Somchit Phommavong', script: 'Latn', kind: 'passport' },
          ],
          dateOfBirth: '1995-10-09',
          sex: 'female',
          nationalities: ['LA'],
          isMinor: false,
          travelDocument: { type: 'passport', number: 'P1234567', issuer: 'LA', heldBy: 'lost' },
          phone: '+8562055512345',
          languages: ['lo', 'th'],
          victimObjectsToNotification: false,
          fearsPersecutionAtHome: false,
          requestsConsularAccess: true,
        },
      ],
      location: { country: 'MY', area: 'MY-01', place: 'Immigration depot, Johor Bahru' },
      custody: { type: 'immigration-detention', custodian: 'Immigration Department of Malaysia, Johor' },
      identificationStatus: 'screening',
      needs: ['legal', 'interpreter'],
      identifiedOn: '2026-11-24',
    },
  ],
});
