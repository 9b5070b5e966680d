const ASEAN = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'TL', 'VN'] as const;

export type AseanCountry = (typeof ASEAN)[number];

/** The eleven ASEAN members (Timor-Leste since 26 October 2025), ISO 3166-1 alpha-2. */
export const ASEAN_COUNTRIES: readonly string[] = ASEAN;

// The 249 officially assigned codes only: reserved and user-assigned codes (XK, EU, ZZ...) are refused so that
// routing by nationality never meets a code no participant can own.
export const ISO_COUNTRIES: readonly string[] = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`
  .trim()
  .split(/\s+/);

/** ISO 3166-2 subdivision of an ASEAN member, e.g. "KH-18" (Preah Sihanouk) or "ID-JK" (Jakarta). */
export const ASEAN_SUBDIVISION_PATTERN = new RegExp(`^(?:${ASEAN_COUNTRIES.join('|')})-[A-Z0-9]{1,3}$`);

/** International phone number in E.164 form, e.g. "+6281234567890". */
export const E164_PATTERN = /^\+[1-9][0-9]{6,14}$/;

// BCP 47 language, optional script, region and variants: enough for "id", "km-KH", "rhg", "zh-Hant-TW";
// extensions and private use are left out on purpose, no agency needs them to book an interpreter.
export const LANGUAGE_TAG_PATTERN =
  /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$/;

/** ISO 15924 script code, e.g. "Latn", "Khmr", "Thai", "Mymr", "Laoo". */
export const SCRIPT_PATTERN = /^[A-Z][a-z]{3}$/;

// A case reference starts with the issuing country so that two agencies never mint the same one.
export const CASE_REF_PATTERN = /^[A-Z]{2}-[A-Z0-9][A-Z0-9./-]{0,62}$/;

/** A participant of the exchange, `CC.AGENCY`, e.g. "ID.P2MI" or "PH.PNP-WCPC" (the gateway's own rule). */
export const PARTICIPANT_ID_PATTERN = new RegExp(`^(?:${ASEAN_COUNTRIES.join('|')})\\.[A-Z0-9-]{2,32}$`);

// A message id is the CloudEvents `id`, a UUID; the gateway accepts either case, so the pattern does too
// (JSON Schema patterns carry no `i` flag).
export const MESSAGE_ID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
