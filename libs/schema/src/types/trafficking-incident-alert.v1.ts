import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CASE_REF_PATTERN } from '../countries.constants';
import { defineMessageType } from '../message-type.definition';
import { PersonDto } from '../person.dto';
import {
  Describe,
  IsAseanCountry,
  IsAseanSubdivision,
  IsCountryCode,
  IsIsoDate,
  IsIsoDateTime,
  LawEnforcementOnly,
  Optional,
  SpecificData,
} from '../schema.decorators';

export const EXPLOITATION_TYPES = ['forced-criminality', 'labour', 'sexual', 'other'] as const;
export const SUSPECT_IDENTIFIER_KINDS = ['phone', 'account', 'wallet', 'other'] as const;

/** How many presumed victims of one nationality were seen. */
export class NationalityCountDto {
  @IsCountryCode()
  nationality!: string;

  @IsInt()
  @Min(1)
  @Max(100000)
  count!: number;
}

/** A phone number, platform account or crypto wallet linked to the suspects. */
export class SuspectIdentifierDto {
  @IsIn(SUSPECT_IDENTIFIER_KINDS)
  kind!: (typeof SUSPECT_IDENTIFIER_KINDS)[number];

  @IsString()
  @Length(1, 200)
  @Describe('As observed: "+85512345678", "telegram:@hr_recruit_kh", a TRC-20 wallet address')
  value!: string;
}

/** A compound or operation where trafficking is suspected, shared so that other states can act early. */
export class TraffickingIncidentAlertV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The sender case reference; every message about this case carries it')
  caseRef!: string;

  @IsAseanCountry()
  country!: string;

  @IsAseanSubdivision()
  area!: string;

  @IsString()
  @Length(1, 300)
  @Describe('The compound or place as locals name it')
  site!: string;

  @IsIsoDate()
  observedOn!: string;

  @IsArray()
  @ArrayMaxSize(EXPLOITATION_TYPES.length)
  @ArrayUnique()
  @IsIn(EXPLOITATION_TYPES, { each: true })
  exploitationTypes!: (typeof EXPLOITATION_TYPES)[number][];

  @IsInt()
  @Min(0)
  @Max(100000)
  estimatedVictims!: number;

  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => NationalityCountDto)
  victimsByNationality!: NationalityCountDto[];

  @IsBoolean()
  minorsPresent!: boolean;

  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Describe('How victims were recruited, e.g. "Facebook job group for data-entry work in Bangkok"')
  recruitmentChannels!: string[];

  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @Describe('Platforms used to recruit or to defraud, e.g. "Facebook", "Telegram", "WhatsApp"')
  platforms!: string[];

  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SuspectIdentifierDto)
  @LawEnforcementOnly()
  @SpecificData('criminal')
  suspectIdentifiers?: SuspectIdentifierDto[];

  @IsIsoDateTime()
  @Describe('After this instant the alert is stale and its payload is purged')
  expiresAt!: string;

  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  @Describe('Persons already known by name, e.g. those who called home for help')
  persons?: PersonDto[];
}

export const traffickingIncidentAlertV1 = defineMessageType({
  type: 'org.asean.rdx.trafficking-incident-alert.v1',
  title: 'Trafficking incident alert',
  description:
    'A compound or operation where trafficking in persons is suspected: where, since when, what kind, ' +
    'how many victims of which nationalities. Suspect identifiers travel only to law enforcement.',
  dataClass: TraffickingIncidentAlertV1,
  aboutPersons: true,
  examples: [
    {
      // Cambodian police report a scam compound in Sihanoukville before a raid.
      caseRef: 'KH-CNP-2026-00042',
      country: 'KH',
      area: 'KH-18',
      site: 'Walled compound of five blocks off Otres road, Sihanoukville',
      observedOn: '2026-11-18',
      exploitationTypes: ['forced-criminality', 'labour'],
      estimatedVictims: 140,
      victimsByNationality: [
        { nationality: 'ID', count: 60 },
        { nationality: 'VN', count: 35 },
        { nationality: 'CN', count: 25 },
        { nationality: 'MM', count: 20 },
      ],
      minorsPresent: false,
      recruitmentChannels: ['Facebook job group offering customer-service work in Phnom Penh at USD 1,200'],
      platforms: ['Facebook', 'Telegram', 'WhatsApp'],
      suspectIdentifiers: [
        { kind: 'phone', value: '+85512345678' },
        { kind: 'account', value: 'telegram:@example_hr_recruiter' },
        { kind: 'wallet', value: 'TQ5Ha9oT7dFqUu3JtVqDzJg6xD5Gf8Rk2p' },
      ],
      expiresAt: '2026-12-18T00:00:00Z',
      persons: [
        {
          names: [{ value: 'Nur Aini Safitri', script: 'Latn', kind: 'passport' }],
          sex: 'female',
          nationalities: ['ID'],
          isMinor: false,
          phone: '+6285712345678',
        },
      ],
    },
    {
      // Thai police alert their neighbours to a compound across the river at Myawaddy holding children.
      caseRef: 'TH-ATPD-2026-0098',
      country: 'MM',
      area: 'MM-13',
      site: 'Compound on the Moei riverbank south of Myawaddy, Kayin State',
      observedOn: '2026-11-02',
      exploitationTypes: ['forced-criminality', 'sexual'],
      estimatedVictims: 300,
      victimsByNationality: [
        { nationality: 'TH', count: 40 },
        { nationality: 'LA', count: 30 },
        { nationality: 'KH', count: 25 },
      ],
      minorsPresent: true,
      recruitmentChannels: ['Agent in Bangkok promising casino work', 'TikTok video advertising jobs abroad'],
      platforms: ['TikTok', 'LINE'],
      expiresAt: '2026-12-02T12:00:00+07:00',
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
          travelDocument: { type: 'passport', number: 'AA1234567', issuer: 'TH', heldBy: 'exploiter' },
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
  ],
});
