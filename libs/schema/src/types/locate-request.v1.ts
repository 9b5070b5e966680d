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
import {
  Describe,
  IsAseanCountry,
  IsAseanSubdivision,
  IsIsoDate,
  LawEnforcementOnly,
  Optional,
  SpecificData,
} from '../schema.decorators';
import { SuspectIdentifierDto } from './trafficking-incident-alert.v1';

export const REPORTER_RELATIONSHIPS = [
  'parent',
  'spouse',
  'child',
  'sibling',
  'other-relative',
  'friend',
  'community-leader',
  'other',
] as const;
export const CONTACT_CHANNELS = [
  'phone-call',
  'sms',
  'whatsapp',
  'telegram',
  'facebook-messenger',
  'line',
  'wechat',
  'signal',
  'other',
] as const;

/** Where the missing person was when last heard from. */
export class LastKnownLocationDto {
  @IsAseanCountry()
  country!: string;

  @Optional()
  @IsAseanSubdivision()
  area?: string;

  @IsString()
  @Length(1, 300)
  @Describe('As the family knows it: a town, a compound, an employer, a shared location pin')
  place!: string;
}

/** A family reports a missing migrant; the home state asks the destination state to find them. */
export class LocateRequestV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The sender case reference; every message about this case carries it')
  caseRef!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  @Describe('The missing persons; phone is the number they last used')
  persons!: PersonDto[];

  @IsObject()
  @ValidateNested()
  @Type(() => LastKnownLocationDto)
  lastKnownLocation!: LastKnownLocationDto;

  @IsIsoDate()
  lastContactOn!: string;

  @IsIn(CONTACT_CHANNELS)
  @Describe('How the missing person last reached the family')
  lastContactChannel!: (typeof CONTACT_CHANNELS)[number];

  @IsString()
  @Length(1, 2000)
  @Describe('How they left, the job promised, what the last messages said')
  circumstances!: string;

  @IsIn(REPORTER_RELATIONSHIPS)
  @Describe("Who reported; the reporter's own identity and contact details stay with the home state")
  reporterRelationship!: (typeof REPORTER_RELATIONSHIPS)[number];

  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SuspectIdentifierDto)
  @LawEnforcementOnly()
  @SpecificData('criminal')
  @Describe('Identifiers of the recruiter or broker the family knows of')
  suspectIdentifiers?: SuspectIdentifierDto[];
}

export const locateRequestV1 = defineMessageType({
  type: 'org.asean.rdx.locate-request.v1',
  title: 'Locate request',
  description:
    'A family reported a migrant missing; the home state asks the destination state to find them. The ' +
    'reporter is named only by relationship. Suspect identifiers travel only to law enforcement.',
  dataClass: LocateRequestV1,
  aboutPersons: true,
  examples: [
    {
      // A mother in Cirebon has not heard from her daughter since a voice message from Poipet.
      caseRef: 'ID-KEMLU/PWNI/2026/0815',
      persons: [
        {
          names: [{ value: 'Dewi Lestari', script: 'Latn', kind: 'passport' }],
          dateOfBirth: '2000-08-21',
          sex: 'female',
          nationalities: ['ID'],
          isMinor: false,
          travelDocument: { type: 'passport', number: 'E2345678', issuer: 'ID', heldBy: 'exploiter' },
          phone: '+6289612345678',
          languages: ['id', 'su'],
        },
      ],
      lastKnownLocation: {
        country: 'KH',
        area: 'KH-1',
        place: 'Casino and office blocks near the border, Poipet',
      },
      lastContactOn: '2026-10-30',
      lastContactChannel: 'whatsapp',
      circumstances:
        'Left Cirebon on 12 September for a data-entry job in Bangkok found on Facebook; taken by car across ' +
        'the border. Her last voice message said her passport was taken and she must pay USD 3,000 to leave.',
      reporterRelationship: 'parent',
      suspectIdentifiers: [
        { kind: 'phone', value: '+6281398765432' },
        { kind: 'account', value: 'facebook:Lowongan Kerja Thailand Gaji Besar' },
      ],
    },
    {
      // A Cambodian father asks Thailand to find his son, 16, who went to work on the Samut Sakhon docks.
      caseRef: 'KH-NCCT-2026-0301',
      persons: [
        {
          names: [
            { value: 'ចាន់ សុភា', script: 'Khmr' },
            { value: 'Chan Sophea', script: 'Latn' },
          ],
          dateOfBirth: '2010-03-05',
          sex: 'male',
          nationalities: ['KH'],
          isMinor: true,
          phone: '+66812345678',
          languages: ['km'],
        },
      ],
      lastKnownLocation: { country: 'TH', area: 'TH-74', place: 'Fish-processing sheds by Mahachai pier' },
      lastContactOn: '2026-09-14',
      lastContactChannel: 'facebook-messenger',
      circumstances:
        'Crossed at Poipet with a broker from the village in July; said he was moved to a fishing boat ' +
        'and would be at sea for months.',
      reporterRelationship: 'parent',
      suspectIdentifiers: [{ kind: 'phone', value: '+85592345678' }],
    },
  ],
});
