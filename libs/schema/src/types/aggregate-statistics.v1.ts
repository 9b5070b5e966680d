import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { ISO_COUNTRIES } from '../countries.constants';
import { defineMessageType } from '../message-type.definition';
import { SEXES } from '../person.dto';
import {
  Describe,
  IsAseanCountry,
  IsCountryCode,
  IsIsoDate,
  IsSuppressibleCount,
  Optional,
  type SuppressedCount,
} from '../schema.decorators';
import { EXPLOITATION_TYPES } from './trafficking-incident-alert.v1';

// Bands split at 18 so that children are always counted apart from adults.
export const AGE_BANDS = ['0-11', '12-17', '18-24', '25-34', '35-44', '45-59', '60+', 'unknown'] as const;
export const STATISTIC_MEASURES = [
  'presumed-victims',
  'identified-victims',
  'repatriated-victims',
  'received-victims',
] as const;

/** A count: 0, 11 and more, or `{ suppressed: true }` in place of 1 to 10. */
export type Count = number | SuppressedCount;

/** The days counted, both included. */
export class PeriodDto {
  @IsIsoDate()
  from!: string;

  @IsIsoDate()
  @Describe('Not before from (a rule the schema cannot state)')
  to!: string;
}

/** The count of one sex. */
export class SexCellDto {
  @IsIn(SEXES)
  sex!: (typeof SEXES)[number];

  @IsSuppressibleCount()
  count!: Count;
}

/** The count of one age band, by age when identified. */
export class AgeBandCellDto {
  @IsIn(AGE_BANDS)
  ageBand!: (typeof AGE_BANDS)[number];

  @IsSuppressibleCount()
  count!: Count;
}

/** The count of one type of exploitation. */
export class ExploitationTypeCellDto {
  @IsIn(EXPLOITATION_TYPES)
  exploitationType!: (typeof EXPLOITATION_TYPES)[number];

  @IsSuppressibleCount()
  count!: Count;
}

/** The count of one nationality. */
export class NationalityCellDto {
  @IsCountryCode()
  nationality!: string;

  @IsSuppressibleCount()
  count!: Count;
}

/** Counts of victims over a period, with small cells suppressed; carries no person and no case. */
export class AggregateStatisticsV1 {
  @IsObject()
  @ValidateNested()
  @Type(() => PeriodDto)
  period!: PeriodDto;

  @IsAseanCountry()
  @Describe('The reporting country')
  country!: string;

  @IsIn(STATISTIC_MEASURES)
  @Describe(
    'What is counted: presumed or identified victims in the reporting country, victims it repatriated, ' +
      'or its nationals received home',
  )
  measure!: (typeof STATISTIC_MEASURES)[number];

  @IsSuppressibleCount()
  total!: Count;

  // The schema refuses small cells, but it cannot see sums: the sender also suppresses a second cell of a
  // breakdown whenever the suppressed one could be recovered by subtracting the others from the total.
  @IsArray()
  @ArrayMaxSize(SEXES.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SexCellDto)
  @Describe(
    'One cell per sex at most; [] when not broken down. No suppressed cell may be derivable from the total',
  )
  bySex!: SexCellDto[];

  @IsArray()
  @ArrayMaxSize(AGE_BANDS.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AgeBandCellDto)
  @Describe(
    'One cell per band at most; [] when not broken down. No suppressed cell may be derivable from the total',
  )
  byAgeBand!: AgeBandCellDto[];

  @IsArray()
  @ArrayMaxSize(EXPLOITATION_TYPES.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ExploitationTypeCellDto)
  @Describe('One cell per type at most; a victim exploited in several ways counts in each')
  byExploitationType!: ExploitationTypeCellDto[];

  @IsArray()
  @ArrayMaxSize(ISO_COUNTRIES.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => NationalityCellDto)
  @Describe('One cell per nationality at most; a victim of two nationalities counts in both')
  byNationality!: NationalityCellDto[];

  @Optional()
  @IsString()
  @Length(1, 1000)
  @Describe('How the figures were compiled, and any break in the series')
  note?: string;
}

export const aggregateStatisticsV1 = defineMessageType({
  type: 'org.asean.rdx.aggregate-statistics.v1',
  title: 'Aggregate statistics',
  description:
    'Counts of trafficking victims for a period and a country, by sex, age band, exploitation type and ' +
    'nationality. A count from 1 to 10 is never sent: the cell says {"suppressed": true} instead.',
  dataClass: AggregateStatisticsV1,
  aboutPersons: false,
  examples: [
    {
      // Thai police's yearly figures; two age bands and two nationalities are suppressed, so neither is derivable.
      period: { from: '2025-01-01', to: '2025-12-31' },
      country: 'TH',
      measure: 'identified-victims',
      total: 412,
      bySex: [
        { sex: 'female', count: 240 },
        { sex: 'male', count: 172 },
      ],
      byAgeBand: [
        { ageBand: '0-11', count: { suppressed: true } },
        { ageBand: '12-17', count: 37 },
        { ageBand: '18-24', count: 121 },
        { ageBand: '25-34', count: 148 },
        { ageBand: '35-44', count: 66 },
        { ageBand: '45-59', count: 31 },
        { ageBand: '60+', count: { suppressed: true } },
      ],
      byExploitationType: [
        { exploitationType: 'forced-criminality', count: 265 },
        { exploitationType: 'labour', count: 96 },
        { exploitationType: 'sexual', count: 51 },
        { exploitationType: 'other', count: 0 },
      ],
      byNationality: [
        { nationality: 'MM', count: 160 },
        { nationality: 'TH', count: 118 },
        { nationality: 'LA', count: 54 },
        { nationality: 'KH', count: 41 },
        { nationality: 'CN', count: 22 },
        { nationality: 'ID', count: 12 },
        { nationality: 'VN', count: { suppressed: true } },
        { nationality: 'PH', count: { suppressed: true } },
      ],
      note: 'ข้อมูลจากระบบคัดแยกผู้เสียหาย กองบังคับการปราบปรามการค้ามนุษย์ / From the ATPD victim screening system',
    },
    {
      // The Philippine council's quarter: victims repatriated from scam compounds, every small cell suppressed.
      period: { from: '2026-07-01', to: '2026-09-30' },
      country: 'PH',
      measure: 'repatriated-victims',
      total: 57,
      bySex: [
        { sex: 'female', count: 35 },
        { sex: 'male', count: 22 },
      ],
      byAgeBand: [
        { ageBand: '12-17', count: { suppressed: true } },
        { ageBand: '18-24', count: 19 },
        { ageBand: '25-34', count: 24 },
        { ageBand: '35-44', count: { suppressed: true } },
      ],
      byExploitationType: [
        { exploitationType: 'forced-criminality', count: 41 },
        { exploitationType: 'labour', count: { suppressed: true } },
        { exploitationType: 'sexual', count: { suppressed: true } },
      ],
      byNationality: [{ nationality: 'PH', count: 57 }],
    },
  ],
});
