import type { MessageToRender, OutboundAdapter } from '../contract';
import { renderVictimRecord, VictimRecordFormat } from '../outbound/victim-record';
import { VICTIM_NOTIFICATION } from '../victim-notification';

/** The DFA-OUMWA referral's names, codes and dates (FORMATS.md section 7 "Out"). */
export const DFA_OUMWA_REFERRAL: VictimRecordFormat = {
  country: 'PH',
  date: 'MM/DD/YYYY',
  keys: {
    caseRef: 'referenceNo',
    messageId: 'messageId',
    reportingCountry: 'reportingCountry',
    identifiedOn: 'identifiedDate',
    status: 'status',
    location: 'location',
    custody: 'custody',
    needs: 'needs',
    victims: 'victims',
  },
  locationKeys: { country: 'country', area: 'areaCode', place: 'place' },
  custodyKeys: { type: 'type', custodian: 'custodian' },
  victimKeys: {
    name: 'fullName',
    otherNames: 'aliases',
    sex: 'sex',
    dateOfBirth: 'birthDate',
    dateOfBirthEstimated: 'birthDateEstimated',
    isMinor: 'minor',
    passportNumber: 'passportNo',
    passportHeldBy: 'passportHeldBy',
    phone: 'mobile',
    objectsToNotification: 'objectsToNotification',
    consularAccess: 'consularAccessRequested',
  },
  codes: {
    status: { presumed: 'PRESUMED', identified: 'IDENTIFIED', screening: 'SCREENING' },
    custody: {
      shelter: 'SHELTER',
      police: 'POLICE',
      'immigration-detention': 'IMMIGRATION_DETENTION',
      hospital: 'HOSPITAL',
      other: 'OTHER',
    },
    needs: {
      medical: 'MEDICAL',
      psychosocial: 'PSYCHOSOCIAL',
      legal: 'LEGAL',
      interpreter: 'INTERPRETER',
      documents: 'DOCUMENTS',
    },
    sex: { male: 'M', female: 'F', other: 'X', unknown: 'U' },
    heldBy: { self: 'SELF', exploiter: 'RECRUITER', authority: 'AUTHORITIES', lost: 'LOST' },
  },
};

/** PH: a victim identification notification as a DFA-OUMWA referral of Filipino victims. */
export class PhReferral implements OutboundAdapter {
  readonly country = 'PH';
  readonly types = [VICTIM_NOTIFICATION];

  render(message: MessageToRender): Record<string, unknown> {
    return renderVictimRecord(message, DFA_OUMWA_REFERRAL);
  }
}
