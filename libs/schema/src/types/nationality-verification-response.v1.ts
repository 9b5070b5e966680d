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
import { PersonDto, TRAVEL_DOCUMENT_TYPES } from '../person.dto';
import { Describe, IsIsoDate, IsMessageId, Optional } from '../schema.decorators';

export const VERIFICATION_OUTCOMES = ['confirmed', 'not-confirmed', 'inconclusive'] as const;

/** The travel document the state of nationality will issue so that the person can go home. */
export class DocumentToBeIssuedDto {
  @IsIn(TRAVEL_DOCUMENT_TYPES)
  type!: (typeof TRAVEL_DOCUMENT_TYPES)[number];

  @Optional()
  @IsString()
  @Length(1, 100)
  @Describe('The national name of the document, e.g. "SPLP (Surat Perjalanan Laksana Paspor)"')
  designation?: string;

  @IsString()
  @Length(1, 200)
  @Describe('The embassy, consulate or office that issues it')
  issuingAuthority!: string;

  @Optional()
  @IsIsoDate()
  @Describe('When the document is expected to be ready for collection')
  readyOn?: string;
}

/** A person block with the verdict of the state of nationality on that person. */
export class VerifiedPersonDto extends PersonDto {
  @IsIn(VERIFICATION_OUTCOMES)
  @Describe(
    'confirmed: a national, listed in verifiedNationalities; not-confirmed: the registers show the ' +
      'person is not a national; inconclusive: more is needed, outcomeNote says what',
  )
  outcome!: (typeof VERIFICATION_OUTCOMES)[number];

  @Optional()
  @IsString()
  @Length(1, 500)
  outcomeNote?: string;

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => DocumentToBeIssuedDto)
  @Describe('Absent when the person can travel on the document already held')
  documentToBeIssued?: DocumentToBeIssuedDto;
}

/** ACTIP art. 15(3)-(4): the state of nationality answers a verification request. */
export class NationalityVerificationResponseV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The case reference of the request; every message about this case carries it')
  caseRef!: string;

  @IsMessageId()
  @Describe('The id of the nationality verification request answered')
  inReplyTo!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VerifiedPersonDto)
  persons!: VerifiedPersonDto[];
}

export const nationalityVerificationResponseV1 = defineMessageType({
  type: 'org.asean.rdx.nationality-verification-response.v1',
  title: 'Nationality verification response',
  description:
    'The state of nationality answers a nationality verification request, person by person: confirmed, ' +
    'not confirmed or inconclusive, and the travel document it will issue (ACTIP art. 15(3)-(4)).',
  dataClass: NationalityVerificationResponseV1,
  aboutPersons: true,
  examples: [
    {
      // The Indonesian embassy in Phnom Penh confirms both victims and issues an SPLP to the one without a passport.
      caseRef: 'KH-CNP-2026-00042',
      inReplyTo: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
      persons: [
        {
          names: [{ value: 'Siti Rahmawati', script: 'Latn', kind: 'passport' }],
          dateOfBirth: '1998-03-14',
          sex: 'female',
          nationalities: ['ID'],
          verifiedNationalities: ['ID'],
          isMinor: false,
          outcome: 'confirmed',
          outcomeNote: 'Identity confirmed against the civil registry (Dukcapil) and passport records',
          documentToBeIssued: {
            type: 'emergency-travel-document',
            designation: 'SPLP (Surat Perjalanan Laksana Paspor)',
            issuingAuthority: 'Embassy of the Republic of Indonesia, Phnom Penh',
            readyOn: '2026-12-02',
          },
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
          outcome: 'confirmed',
        },
      ],
    },
    {
      // Laos confirms the woman and asks for more on the boy, whose village cannot yet place him.
      caseRef: 'MY-MAPO-2026-0311',
      inReplyTo: 'B3E1A7C4-2F9D-4E8B-A6C5-0D1E2F3A4B5C',
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
          outcome: 'confirmed',
          documentToBeIssued: {
            type: 'emergency-travel-document',
            designation: 'Laissez-passer',
            issuingAuthority: 'Embassy of the Lao PDR, Kuala Lumpur',
            readyOn: '2026-12-09',
          },
        },
        {
          names: [
            { value: 'ບຸນມີ ສີສະຫວາດ', script: 'Laoo' },
            { value: 'Bounmy Sisavath', script: 'Latn' },
          ],
          dateOfBirth: '2010-01-01',
          dateOfBirthEstimated: true,
          sex: 'male',
          nationalities: ['LA'],
          isMinor: true,
          outcome: 'inconclusive',
          outcomeNote: "Not in the Pakse family books; please send his parents' names and his village",
        },
      ],
    },
  ],
});
