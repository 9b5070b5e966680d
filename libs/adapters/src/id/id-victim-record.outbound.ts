import type { MessageToRender, OutboundAdapter } from '../contract';
import { renderVictimRecord, VictimRecordFormat } from '../outbound/victim-record';
import { VICTIM_NOTIFICATION } from '../victim-notification';

/** The Portal Peduli WNI victim record's names, codes and dates (FORMATS.md section 6 "Out"). */
export const PORTAL_PEDULI_WNI: VictimRecordFormat = {
  country: 'ID',
  date: 'DD-MM-YYYY',
  keys: {
    caseRef: 'nomor_kasus',
    messageId: 'id_pesan',
    reportingCountry: 'negara_pelapor',
    identifiedOn: 'tanggal_identifikasi',
    status: 'status',
    location: 'lokasi',
    custody: 'penampungan',
    needs: 'kebutuhan',
    victims: 'korban',
  },
  locationKeys: { country: 'negara', area: 'wilayah', place: 'tempat' },
  custodyKeys: { type: 'jenis', custodian: 'nama' },
  victimKeys: {
    name: 'nama',
    otherNames: 'nama_lain',
    sex: 'jenis_kelamin',
    dateOfBirth: 'tanggal_lahir',
    dateOfBirthEstimated: 'perkiraan',
    isMinor: 'anak',
    passportNumber: 'nomor_paspor',
    passportHeldBy: 'paspor_dipegang',
    phone: 'telepon',
    objectsToNotification: 'menolak_pemberitahuan',
    consularAccess: 'minta_akses_konsuler',
  },
  codes: {
    status: { presumed: 'DIDUGA', identified: 'TERIDENTIFIKASI', screening: 'PENYARINGAN' },
    custody: {
      shelter: 'RUMAH_AMAN',
      police: 'KEPOLISIAN',
      'immigration-detention': 'DETENSI_IMIGRASI',
      hospital: 'RUMAH_SAKIT',
      other: 'LAINNYA',
    },
    needs: {
      medical: 'MEDIS',
      psychosocial: 'PSIKOSOSIAL',
      legal: 'HUKUM',
      interpreter: 'PENERJEMAH',
      documents: 'DOKUMEN',
    },
    sex: { male: 'L', female: 'P', other: 'LAINNYA', unknown: 'TIDAK_DIKETAHUI' },
    heldBy: { self: 'SENDIRI', exploiter: 'PERUSAHAAN', authority: 'APARAT', lost: 'HILANG' },
  },
};

/** ID: a victim identification notification as Portal Peduli WNI's record of Indonesian victims. */
export class IdVictimRecord implements OutboundAdapter {
  readonly country = 'ID';
  readonly types = [VICTIM_NOTIFICATION];

  render(message: MessageToRender): Record<string, unknown> {
    return renderVictimRecord(message, PORTAL_PEDULI_WNI);
  }
}
