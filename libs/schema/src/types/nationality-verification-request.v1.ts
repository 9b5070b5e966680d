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
import { Describe, IsCountryCode, IsIsoDate, Optional } from '../schema.decorators';

export const VERIFICATION_REASONS = [
  'travel-document',
  'repatriation',
  'victim-identification',
  'consular-protection',
  'legal-proceedings',
  'other',
] as const;
export const PRESENTED_DOCUMENT_TYPES = [
  'passport',
  'national-id-card',
  'birth-certificate',
  'family-register',
  'driving-licence',
  'seafarer-book',
  'work-permit',
  'other',
] as const;
export const DOCUMENT_FORMS = ['original', 'copy', 'photo', 'stated'] as const;

/** A document the person showed or named: what the state of nationality searches its registers with. */
export class PresentedDocumentDto {
  @IsIn(PRESENTED_DOCUMENT_TYPES)
  @Describe("family-register: a household register such as Indonesia's Kartu Keluarga or Laos' family book")
  type!: (typeof PRESENTED_DOCUMENT_TYPES)[number];

  @Optional()
  @IsString()
  @Length(1, 40)
  number?: string;

  @IsCountryCode()
  @Describe('ISO 3166-1 alpha-2 code of the issuing state')
  issuer!: string;

  @Optional()
  @IsIsoDate()
  expiresOn?: string;

  @IsIn(DOCUMENT_FORMS)
  @Describe(
    "original: seen in hand; copy: a paper copy; photo: an image, often on the person's phone; " +
      'stated: the person gave the number from memory',
  )
  form!: (typeof DOCUMENT_FORMS)[number];
}

/** A person block with what the state of nationality needs to find the person in its registers. */
export class VerificationSubjectDto extends PersonDto {
  @Optional()
  @IsString()
  @Length(1, 200)
  @Describe('As the person states it, e.g. "Kabupaten Indramayu, Jawa Barat"')
  placeOfBirth?: string;

  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PresentedDocumentDto)
  @Describe('Every document shown or named; [] when the person has none, which is common after a compound')
  documentsPresented!: PresentedDocumentDto[];
}

/** ACTIP art. 15(3): asks the state of nationality to verify that persons are its nationals. */
export class NationalityVerificationRequestV1 {
  @Matches(CASE_REF_PATTERN)
  @Length(4, 64)
  @Describe('The sender case reference; every message about this case carries it')
  caseRef!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VerificationSubjectDto)
  persons!: VerificationSubjectDto[];

  @IsIn(VERIFICATION_REASONS)
  @Describe('Why verification is needed; travel-document: so that an emergency travel document can be issued')
  reason!: (typeof VERIFICATION_REASONS)[number];

  @Optional()
  @IsString()
  @Length(1, 500)
  reasonDetail?: string;

  @IsIsoDate()
  @Describe('The date by which the requesting agency needs the answer, e.g. the end of a shelter stay')
  respondBy!: string;
}

export const nationalityVerificationRequestV1 = defineMessageType({
  type: 'org.asean.rdx.nationality-verification-request.v1',
  title: 'Nationality verification request',
  description:
    'Asks the state of nationality to verify, without undue delay, that persons found abroad are its ' +
    'nationals (ACTIP art. 15(3)), listing the documents they presented. Routed only to that state.',
  dataClass: NationalityVerificationRequestV1,
  aboutPersons: true,
  examples: [
    {
      // Cambodian police ask the Indonesian embassy to verify two victims of the Sihanoukville raid.
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
          placeOfBirth: 'Kabupaten Indramayu, Jawa Barat',
          documentsPresented: [
            { type: 'passport', number: 'X1234567', issuer: 'ID', expiresOn: '2028-02-10', form: 'photo' },
            { type: 'national-id-card', number: '3212015403980002', issuer: 'ID', form: 'photo' },
          ],
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
          documentsPresented: [
            { type: 'passport', number: 'C7654321', issuer: 'ID', expiresOn: '2029-05-20', form: 'original' },
          ],
        },
      ],
      reason: 'travel-document',
      reasonDetail:
        "Siti Rahmawati's passport was kept by the compound managers; she needs an SPLP to return",
      respondBy: '2026-12-04',
    },
    {
      // Malaysia asks Laos to verify a woman whose passport is lost and a boy who has no document at all.
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
          languages: ['lo', 'th'],
          placeOfBirth: 'Xaybouly district, Savannakhet',
          documentsPresented: [
            { type: 'passport', number: 'P1234567', issuer: 'LA', form: 'stated' },
            { type: 'family-register', issuer: 'LA', form: 'copy' },
          ],
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
          languages: ['lo'],
          placeOfBirth: 'Pakse, Champasak',
          documentsPresented: [],
        },
      ],
      reason: 'repatriation',
      respondBy: '2026-12-15',
    },
  ],
});
