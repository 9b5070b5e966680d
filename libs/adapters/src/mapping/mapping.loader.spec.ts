import { readFileSync } from 'node:fs';
import { brokenMappings, lineOf, mappingFailure, scratchFiles } from '@rdx/testing';
import { join, resolve } from 'node:path';
import { loadMapping } from './mapping.loader';

const INSTALLED = resolve(__dirname, '../../../../config/adapters');
/** Section 8's VN mapping, the base each case below breaks in one place. */
const VN = readFileSync(join(INSTALLED, 'vn.yaml'), 'utf8');

const files = scratchFiles('rdx-mapping-loader-', 'yaml');

const { broken, expectFailure } = brokenMappings(VN, files, loadMapping);

describe('loadMapping: each error names the file, the line and the key', () => {
  it('an unknown key', () =>
    expectFailure(/^group: true/m, 'grouping: true', 'grouping: true', 'grouping', /unknown key/));
  it('a key written twice', () =>
    expectFailure(/^date: /m, 'format: json\ndate: ', 'format: json', 'format', /twice/));
  it('rule 9 without a reference date', () =>
    expectFailure(', reference-date: true }', ' }', 'dateOfBirth:', 'person.dateOfBirth', /reference-date/));
  it('a required field that no value fills', () =>
    expectFailure(/^ {2}custody\.custodian:.*\n/m, '', 'fields:', 'fields', /custody\.custodian is missing/));
  it('a required field of a person that no value fills', () =>
    expectFailure(/^ {2}sex:.*\n/m, '', 'person:', 'person', /sex is missing/));
  it('an object half filled', () =>
    expectFailure(
      /^ {2}travelDocument\.issuer:.*\n/m,
      '',
      'person:',
      'person',
      /travelDocument\.issuer is missing/,
    ));
  it('a date pattern without a year', () =>
    expectFailure('date: DD/MM/YYYY', 'date: DD/MM/YY', 'date: DD/MM/YY', 'date', /not a date pattern/));
  it('a calling code YAML reads as a number', () =>
    expectFailure(
      'calling-code: "+84"',
      'calling-code: +84',
      'calling-code',
      'calling-code',
      /the number 84: quote it/,
    ));
  it('a value both true and false', () =>
    expectFailure('"K", "Không"', '"K", "c"', 'booleans', 'booleans', /"C" is both true and false/));
  it('an unknown message type', () =>
    expectFailure(
      'victim-identification-notification.v1',
      'victim-notification.v1',
      'type:',
      'type',
      /unknown message type/,
    ));
  it('persons with group', () =>
    expectFailure(
      /^group: true/m,
      'persons: x\ngroup: true',
      'persons: x',
      'persons',
      /without group: true/,
    ));
  it('an unknown format', () =>
    expectFailure('format: csv', 'format: xml', 'format:', 'format', /one of csv, json/));
  it('a country that is not one', () =>
    expectFailure('country: VN', 'country: ZZ', 'country:', 'country', /not an ISO 3166-1/));

  it('a required key that is missing, on the first line', () => {
    const { file } = broken(/^reference: .*\n/m, '');
    expect(mappingFailure(() => loadMapping(file)).message).toBe(`${file}:1: reference is missing`);
  });

  it('a YAML syntax error, on its line', () => {
    const { file, text } = broken('{ from: dia_diem }', '{ from: dia_diem');
    const error = mappingFailure(() => loadMapping(file));
    expect(error.line).toBeGreaterThanOrEqual(lineOf(text, 'dia_diem'));
    expect(error.message).toMatch(new RegExp(`^${file}:\\d+: not YAML: `));
  });

  it('a mapping for another country than the one asked for', () => {
    const error = mappingFailure(() => loadMapping(join(INSTALLED, 'sg.yaml'), { country: 'VN' }));
    expect(error.message).toBe(
      `${join(INSTALLED, 'sg.yaml')}:1: country: is SG, but the mapping is used for VN`,
    );
  });

  it('a file that cannot be read', () => {
    expect(mappingFailure(() => loadMapping(join(INSTALLED, 'none.yaml'))).message).toContain('ENOENT');
  });
});
