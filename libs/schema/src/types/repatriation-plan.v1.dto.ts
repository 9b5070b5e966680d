import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PersonDto } from '../person.dto';
import {
  Describe,
  IsE164Phone,
  IsIsoDate,
  IsIsoDateTime,
  Optional,
  RequiredWhen,
  SpecificData,
} from '../schema.decorators';

/* The parts of a repatriation plan (`RepatriationPlanV1`): the persons who return, and their journey. */

export const CONSENT_STATUSES = ['given', 'refused', 'pending'] as const;
export const EXIT_CLEARANCE_STATUSES = ['not-required', 'pending', 'granted', 'refused'] as const;
export const PROCEEDING_KINDS = ['criminal', 'immigration', 'labour', 'civil'] as const;
export const PROCEEDING_ROLES = ['witness', 'complainant', 'accused', 'claimant'] as const;
export const TRAVEL_MODES = ['air', 'land', 'sea'] as const;
export const ESCORT_PROVIDERS = [
  'consular-officer',
  'police',
  'social-worker',
  'international-organisation',
  'ngo',
  'family',
] as const;
export const GUARDIAN_TYPES = ['parent', 'relative', 'appointed-guardian', 'social-welfare-agency'] as const;
export const ASSESSMENT_STATUSES = ['pending', 'completed'] as const;

/** The person's informed consent to return, which should be voluntary (UN Trafficking Protocol art. 8(2)). */
export class ConsentDto {
  @IsIn(CONSENT_STATUSES)
  status!: (typeof CONSENT_STATUSES)[number];

  @Optional()
  @IsIsoDate()
  recordedOn?: string;
}

/** Leave to exit the country where the person is: overstay, fines, detention orders. */
export class ExitClearanceDto {
  @IsIn(EXIT_CLEARANCE_STATUSES)
  status!: (typeof EXIT_CLEARANCE_STATUSES)[number];

  @Optional()
  @IsBoolean()
  @Describe('Fines for overstay or illegal entry are waived, as for a victim of trafficking')
  overstayFinesWaived?: boolean;

  @Optional()
  @IsString()
  @Length(1, 200)
  authority?: string;

  @Optional()
  @IsIsoDate()
  clearedOn?: string;
}

/** A proceeding in the country where the person is that may hold the person back or call them back. */
export class ProceedingDto {
  @IsIn(PROCEEDING_KINDS)
  kind!: (typeof PROCEEDING_KINDS)[number];

  @IsIn(PROCEEDING_ROLES)
  @Describe(
    "The person's role; accused is rare for a victim (ACTIP art. 14(7)) but must be known before travel",
  )
  role!: (typeof PROCEEDING_ROLES)[number];

  @IsString()
  @Length(1, 200)
  @Describe('The court, prosecutor or office in charge')
  authority!: string;

  @Optional()
  @IsString()
  @Length(1, 64)
  reference?: string;

  @IsBoolean()
  @Describe('true when the person may not leave until the proceeding allows it')
  blocksDeparture!: boolean;

  @Optional()
  @IsIsoDate()
  nextHearingOn?: string;
}

/** Who is responsible for the child at home, or until the child is home. */
export class GuardianDto {
  @IsIn(GUARDIAN_TYPES)
  type!: (typeof GUARDIAN_TYPES)[number];

  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Optional()
  @IsString()
  @Length(1, 200)
  @Describe('The institution of an appointed guardian or social-welfare agency')
  organisation?: string;

  @Optional()
  @IsE164Phone()
  phone?: string;
}

/** Whether returning the child, to this family, is in the child's best interests. */
export class BestInterestsAssessmentDto {
  @IsIn(ASSESSMENT_STATUSES)
  status!: (typeof ASSESSMENT_STATUSES)[number];

  @IsString()
  @Length(1, 200)
  conductedBy!: string;

  @Optional()
  @IsIsoDate()
  completedOn?: string;

  @Optional()
  @IsBoolean()
  @Describe("The assessment finds that return to the guardian is in the child's best interests")
  returnInBestInterests?: boolean;

  @Optional()
  @IsString()
  @Length(1, 1000)
  summary?: string;
}

/** What must be settled before a child travels: a guardian (VCCR art. 37(b)) and a best-interests assessment. */
export class MinorBlockDto {
  @IsObject()
  @ValidateNested()
  @Type(() => GuardianDto)
  guardian!: GuardianDto;

  @IsObject()
  @ValidateNested()
  @Type(() => BestInterestsAssessmentDto)
  bestInterestsAssessment!: BestInterestsAssessmentDto;
}

/** A person block with what decides whether, and how, this person can travel. */
export class RepatriatedPersonDto extends PersonDto {
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;

  @IsObject()
  @ValidateNested()
  @Type(() => ExitClearanceDto)
  exitClearance!: ExitClearanceDto;

  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ProceedingDto)
  @SpecificData('criminal')
  @Describe('Pending proceedings; [] when there are none')
  pendingProceedings!: ProceedingDto[];

  @RequiredWhen('isMinor', [true])
  @IsObject()
  @ValidateNested()
  @Type(() => MinorBlockDto)
  @SpecificData('children')
  @Describe('Required when isMinor is true')
  minor?: MinorBlockDto;
}

/** One leg of the journey home. */
export class RouteLegDto {
  @IsIn(TRAVEL_MODES)
  mode!: (typeof TRAVEL_MODES)[number];

  @IsString()
  @Length(1, 100)
  from!: string;

  @IsString()
  @Length(1, 100)
  to!: string;

  @Optional()
  @IsIsoDateTime()
  departsAt?: string;

  @Optional()
  @IsString()
  @Length(1, 40)
  @Describe('Flight, train, bus or boat service, e.g. "AK 537"')
  service?: string;
}

/** Who accompanies the persons. */
export class EscortDto {
  @IsIn(ESCORT_PROVIDERS)
  provider!: (typeof ESCORT_PROVIDERS)[number];

  @IsString()
  @Length(1, 200)
  organisation!: string;

  @IsInt()
  @Min(1)
  @Max(20)
  @Describe('How many escorts')
  count!: number;
}
