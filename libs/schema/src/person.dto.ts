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
  ValidateNested,
} from 'class-validator';
import {
  Describe,
  IsCountryCode,
  IsE164Phone,
  IsIsoDate,
  IsLanguageTag,
  IsScriptCode,
  Optional,
  SpecificData,
} from './schema.decorators';

export const NAME_KINDS = ['passport', 'alias'] as const;
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const TRAVEL_DOCUMENT_TYPES = ['passport', 'emergency-travel-document', 'id-card', 'other'] as const;
export const DOCUMENT_HOLDERS = ['self', 'exploiter', 'authority', 'lost'] as const;

/** A name as written in one script; a person has as many as the documents and interviews gave. */
export class PersonNameDto {
  @IsString()
  @Length(1, 200)
  value!: string;

  @Optional()
  @IsScriptCode()
  @Describe('ISO 15924 script of value, e.g. Latn, Khmr, Thai, Mymr, Laoo')
  script?: string;

  @Optional()
  @IsIn(NAME_KINDS)
  @Describe('passport: as printed in the travel document; alias: a name used or given in the compound')
  kind?: (typeof NAME_KINDS)[number];
}

/** The document that lets the person travel, and who holds it now. */
export class TravelDocumentDto {
  @IsIn(TRAVEL_DOCUMENT_TYPES)
  type!: (typeof TRAVEL_DOCUMENT_TYPES)[number];

  @IsString()
  @Length(1, 40)
  number!: string;

  @IsCountryCode()
  @Describe('ISO 3166-1 alpha-2 code of the issuing state')
  issuer!: string;

  @Optional()
  @IsIsoDate()
  expiresOn?: string;

  @IsIn(DOCUMENT_HOLDERS)
  @Describe('Who holds the document now; exploiter means it was confiscated')
  heldBy!: (typeof DOCUMENT_HOLDERS)[number];
}

// No photograph field, on purpose: a message about a child must carry none, and a face is biometric data.
/** The person block shared by every message type about persons. */
export class PersonDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PersonNameDto)
  names!: PersonNameDto[];

  @Optional()
  @IsIsoDate()
  dateOfBirth?: string;

  @Optional()
  @IsBoolean()
  @Describe('true when dateOfBirth is an estimate (age assessment, the person does not know it)')
  dateOfBirthEstimated?: boolean;

  @IsIn(SEXES)
  sex!: (typeof SEXES)[number];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsCountryCode({ each: true })
  @Describe('Nationalities the person claims, not yet verified by the state concerned')
  nationalities!: string[];

  @Optional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsCountryCode({ each: true })
  @Describe('Nationalities verified by the state concerned (ACTIP art. 15)')
  verifiedNationalities?: string[];

  @IsBoolean()
  @SpecificData('children')
  @Describe('true when under 18, or when the age is unknown and the person appears to be a child')
  isMinor!: boolean;

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => TravelDocumentDto)
  travelDocument?: TravelDocumentDto;

  @Optional()
  @IsE164Phone()
  @Describe('A number the person can be reached on now, not the one the recruiters used')
  phone?: string;

  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsLanguageTag({ each: true })
  @Describe('BCP 47 tags of the languages the person speaks, most fluent first (interpreter booking)')
  languages?: string[];
}
