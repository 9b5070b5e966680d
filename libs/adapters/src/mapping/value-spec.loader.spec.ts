import { readFileSync } from 'node:fs';
import { brokenMappings, scratchFiles } from '@rdx/testing';
import { join, resolve } from 'node:path';
import { loadMapping } from './mapping.loader';

const INSTALLED = resolve(__dirname, '../../../../config/adapters');
/** Section 8's VN mapping, the base each case below breaks in one place. */
const VN = readFileSync(join(INSTALLED, 'vn.yaml'), 'utf8');

const files = scratchFiles('rdx-value-spec-', 'yaml');

const { expectFailure } = brokenMappings(VN, files, loadMapping);

describe('loadMapping: each error of a value spec names the file, the line and the key', () => {
  it('an unknown key of a value spec', () =>
    expectFailure(
      '{ from: dia_diem }',
      '{ from: dia_diem, required: true }',
      'dia_diem',
      'fields.location.place.required',
      /unknown key/,
    ));
  it('a target that is not a field', () =>
    expectFailure(
      'location.place:',
      'location.places:',
      'location.places',
      'fields.location.places',
      /location\.places is not a field of org\.asean\.rdx\.victim-identification-notification\.v1/,
    ));
  it('a target that is an object', () =>
    expectFailure(
      'location.country:    { value: VN }',
      'location: { value: VN }',
      'location: {',
      'fields.location',
      /an object/,
    ));
  it('a person target that is not a field of a person', () =>
    expectFailure('phone:', 'mobile:', 'mobile:', 'person.mobile', /not a field/));
  it('a code table value the schema refuses', () =>
    expectFailure(
      'CA: police',
      'CA: polis',
      'CA: polis',
      'fields.custody.type.map.CA',
      /the schema refuses it: "polis"/,
    ));
  it('a code YAML reads as a number', () =>
    expectFailure(
      '"79": VN-SG',
      '79: VN-SG',
      '79: VN-SG',
      'fields.location.area.map.79',
      /the number 79: quote it/,
    ));
  it('a code twice without case', () =>
    expectFailure(
      'CA: police',
      'CA: police, ca: police',
      'ca: police',
      'fields.custody.type.map.ca',
      /twice/,
    ));
  it('a constant the schema refuses', () =>
    expectFailure(
      '{ value: passport }',
      '{ value: passeport }',
      'passeport',
      'person.travelDocument.type.value',
      /refuses/,
    ));
  it('a constant that YAML reads as a number', () =>
    expectFailure(
      '{ value: VN }',
      '{ value: 84 }',
      '{ value: 84 }',
      'fields.location.country.value',
      /refuses/,
    ));
  it('both from and value', () =>
    expectFailure(
      '{ from: dia_diem }',
      '{ from: dia_diem, value: x }',
      'dia_diem',
      'fields.location.place',
      /exactly one of from and value/,
    ));
  it('neither from nor value', () =>
    expectFailure(
      '{ from: dia_diem }',
      '{ optional: true }',
      'location.place:',
      'fields.location.place',
      /exactly one of from and value/,
    ));
  it('a value spec that is not a map', () =>
    expectFailure(
      '{ from: dia_diem }',
      'dia_diem',
      'location.place:',
      'fields.location.place',
      /must be a value spec/,
    ));
  it('a key that has no use with value', () =>
    expectFailure(
      '{ value: VN }',
      '{ value: VN, optional: true }',
      '{ value: VN',
      'fields.location.country.optional',
      /no use with value/,
    ));
  it('an unknown as', () =>
    expectFailure(
      '{ from: co_quan }',
      '{ from: co_quan, as: name }',
      'co_quan',
      'fields.custody.custodian.as',
      /unknown; as is one of text, date/,
    ));
  it('an as that the target does not take', () =>
    expectFailure(
      '{ from: co_quan }',
      '{ from: co_quan, as: boolean }',
      'co_quan',
      'fields.custody.custodian.as',
      /as: boolean does not give what custody\.custodian takes/,
    ));
  it('an as whose setting is missing', () =>
    expectFailure(/^calling-code: .*\n/m, '', 'dien_thoai', 'person.phone.as', /needs calling-code/));
  it('split on a single value', () =>
    expectFailure(
      '{ from: co_quan }',
      '{ from: co_quan, split: ";" }',
      'co_quan',
      'fields.custody.custodian.split',
      /not a list/,
    ));
  it('alias outside the names', () =>
    expectFailure(
      '{ from: co_quan }',
      '{ from: co_quan, alias: true }',
      'co_quan',
      'fields.custody.custodian.alias',
      /names only/,
    ));
  it('a flag that is not a boolean', () =>
    expectFailure(
      '{ from: dia_diem }',
      '{ from: dia_diem, optional: "yes" }',
      'dia_diem',
      'fields.location.place.optional',
      /true or false/,
    ));
  it('reference-date outside fields', () =>
    expectFailure(
      '{ from: ngay_sinh, as: date, optional: true }',
      '{ from: ngay_sinh, as: date, reference-date: true }',
      'ngay_sinh',
      'person.dateOfBirth.reference-date',
      /marks a date of fields/,
    ));
  it('a name given as a code', () =>
    expectFailure(
      '{ from: ho_ten }',
      '{ from: ho_ten, map: { A: b } }',
      'ho_ten',
      'person.names[0].map',
      /not a code/,
    ));
});
