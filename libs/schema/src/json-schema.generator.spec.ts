import 'reflect-metadata';
import Ajv2020 from 'ajv/dist/2020';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  Describe,
  IsSuppressibleCount,
  JSON_SCHEMA_DIALECT,
  LawEnforcementOnly,
  MESSAGE_TYPES,
  Optional,
  RequiredWhen,
  RDX_SCHEMA_KEYWORDS,
  SchemaDefinitionError,
  SchemaRegistry,
  SpecificData,
  generateJsonSchema,
  type JsonSchema,
  type MessageTypeDefinition,
} from '@rdx/schema';

function aDefinition(dataClass: new () => object): MessageTypeDefinition {
  return {
    type: 'org.asean.rdx.test.v1',
    title: 'Test',
    description: 'A test type',
    dataClass,
    examples: [{}],
    aboutPersons: false,
  };
}

// Every object schema and property schema in a generated document, with where it sits.
function* walk(schema: unknown, at = '#'): Generator<[string, JsonSchema]> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  yield [at, schema as JsonSchema];
  for (const [key, child] of Object.entries(schema)) {
    if (key !== 'examples' && key !== 'enum') yield* walk(child, `${at}/${key}`);
  }
}

describe('generated schemas of the catalogue', () => {
  const registry = new SchemaRegistry();
  const schemas = MESSAGE_TYPES.map(({ type }) => [type, registry.jsonSchema(type) as JsonSchema] as const);

  it.each(schemas)('%s compiles in ajv strict mode and carries its identity', (type, schema) => {
    const ajv = new Ajv2020({ strict: true });
    ajv.addVocabulary([...RDX_SCHEMA_KEYWORDS]);
    ajv.addFormat('date', true).addFormat('date-time', true);
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema).toMatchObject({
      $schema: JSON_SCHEMA_DIALECT,
      $id: `urn:rdx:schema:${type}`,
      title: registry.get(type)!.title,
      type: 'object',
      additionalProperties: false,
    });
    expect((schema.examples as unknown[]).length).toBeGreaterThanOrEqual(1);
  });

  it.each(schemas)(
    '%s refuses unknown properties on every object and bounds every string and array',
    (_t, schema) => {
      for (const [at, node] of walk(schema)) {
        if (node.type === 'object') expect([at, node.additionalProperties]).toEqual([at, false]);
        if (node.type === 'string' && !node.enum)
          expect([at, node.maxLength ?? node.format]).not.toEqual([at, undefined]);
        if (node.type === 'array') expect([at, typeof node.maxItems]).toEqual([at, 'number']);
      }
    },
  );

  it.each(schemas)('%s has no photograph anywhere', (_type, schema) => {
    const names = [...walk(schema)].flatMap(([, node]) => Object.keys((node.properties as object) ?? {}));
    expect(names.filter((name) => /photo|image|face/i.test(name))).toEqual([]);
  });

  it('marks specific personal data and law-enforcement-only fields', () => {
    const [alert, victim] = schemas.map(
      ([, schema]) => schema as { properties: JsonSchema; $defs: JsonSchema },
    );
    const person = (victim.$defs.VictimPerson as { properties: Record<string, JsonSchema> }).properties;
    expect(person.isMinor['x-rdx-specific-data']).toBe('children');
    expect(victim.properties.needs).toMatchObject({ 'x-rdx-specific-data': 'health' });
    expect(alert.properties.suspectIdentifiers).toMatchObject({
      'x-rdx-recipients': 'law-enforcement',
      'x-rdx-specific-data': 'criminal',
    });
  });

  it('marks the children, criminal and law-enforcement-only fields of the newer types', () => {
    const schemaOf = (type: string) =>
      registry.jsonSchema(`org.asean.rdx.${type}.v1`) as {
        properties: Record<string, JsonSchema>;
        $defs: Record<string, { properties: Record<string, JsonSchema> }>;
      };
    const repatriated = schemaOf('repatriation-plan').$defs.RepatriatedPerson.properties;
    expect(repatriated.minor).toMatchObject({ 'x-rdx-specific-data': 'children' });
    expect(repatriated.pendingProceedings).toMatchObject({ 'x-rdx-specific-data': 'criminal' });
    expect(repatriated.isMinor).toMatchObject({ 'x-rdx-specific-data': 'children' });
    expect(schemaOf('locate-request').properties.suspectIdentifiers).toMatchObject({
      'x-rdx-recipients': 'law-enforcement',
      'x-rdx-specific-data': 'criminal',
    });
    for (const [type, schema] of schemas) {
      const recipients = [...walk(schema)].filter(([, node]) => node['x-rdx-recipients'] !== undefined);
      const expected = type.endsWith('trafficking-incident-alert.v1') || type.endsWith('locate-request.v1');
      expect([type, recipients.length > 0]).toEqual([type, expected]);
    }
  });
});

describe('generateJsonSchema', () => {
  class Leaf {
    @IsString()
    @MaxLength(10)
    @Describe('a leaf')
    name!: string;

    @Optional()
    @IsArray()
    @ArrayMaxSize(3)
    @IsObject({ each: true })
    @ValidateNested({ each: true })
    @Type(() => Leaf)
    children?: Leaf[];
  }
  class Root {
    @IsObject()
    @ValidateNested()
    @Type(() => Leaf)
    @SpecificData('biometric')
    @LawEnforcementOnly()
    leaf!: Leaf;
  }

  it('nests classes through $defs, recursion included, and keeps @Optional fields out of required', () => {
    expect(generateJsonSchema(aDefinition(Root))).toMatchObject({
      properties: {
        leaf: {
          $ref: '#/$defs/Leaf',
          'x-rdx-specific-data': 'biometric',
          'x-rdx-recipients': 'law-enforcement',
        },
      },
      required: ['leaf'],
      $defs: {
        Leaf: {
          properties: {
            name: { description: 'a leaf', type: 'string', maxLength: 10 },
            children: { type: 'array', maxItems: 3, items: { $ref: '#/$defs/Leaf' } },
          },
          required: ['name'],
          additionalProperties: false,
        },
      },
    });
  });

  it('turns @RequiredWhen into if/then on the object, one per condition', () => {
    class Child {
      @IsBoolean()
      isMinor!: boolean;

      @IsIn(['draft', 'final'])
      stage!: string;

      @RequiredWhen('isMinor', [true])
      @IsString()
      @MaxLength(10)
      guardian?: string;

      @RequiredWhen('stage', ['final'])
      @IsString()
      @MaxLength(10)
      signedBy?: string;

      @RequiredWhen('stage', ['final'])
      @IsString()
      @MaxLength(10)
      signedOn?: string;
    }
    expect(generateJsonSchema(aDefinition(Child))).toMatchObject({
      required: ['isMinor', 'stage'],
      allOf: [
        {
          if: { properties: { isMinor: { const: true } }, required: ['isMinor'] },
          then: { properties: { guardian: true }, required: ['guardian'] },
        },
        {
          if: { properties: { stage: { const: 'final' } }, required: ['stage'] },
          then: { properties: { signedBy: true, signedOn: true }, required: ['signedBy', 'signedOn'] },
        },
      ],
    });
  });

  it('publishes the suppressible count once, as a oneOf that leaves out 1 to 10', () => {
    class Cells {
      @IsSuppressibleCount()
      total!: number;

      @IsSuppressibleCount()
      @Describe('women')
      female!: number;
    }
    const schema = generateJsonSchema(aDefinition(Cells)) as {
      properties: JsonSchema;
      $defs: { SuppressibleCount: JsonSchema };
    };
    expect(schema.properties).toEqual({
      total: { $ref: '#/$defs/SuppressibleCount' },
      female: { description: 'women', $ref: '#/$defs/SuppressibleCount' },
    });
    const ajv = new Ajv2020({ strict: true });
    const validate = ajv.compile(schema);
    const accepted = [0, 11, { suppressed: true }].filter((count) => validate({ total: count, female: 0 }));
    const refused = [1, 5, 10, 11.5, -11, { suppressed: false }, { suppressed: true, count: 3 }, null];
    expect(accepted).toHaveLength(3);
    expect(refused.filter((count) => validate({ total: count, female: 0 }))).toEqual([]);
  });

  class UnknownDecorator {
    @IsEmail()
    @MaxLength(100)
    email!: string;
  }
  class NullableOptional {
    @IsOptional()
    @IsString()
    @MaxLength(10)
    note?: string;
  }
  class NestedWithoutType {
    @IsObject()
    @ValidateNested()
    leaf!: Leaf;
  }
  class TypeWithoutNested {
    @IsObject()
    @Type(() => Leaf)
    leaf!: Leaf;
  }
  class NestedWithoutIsObject {
    @ValidateNested()
    @Type(() => Leaf)
    leaf!: Leaf;
  }
  class UnboundedString {
    @IsString()
    note!: string;
  }
  class UnboundedArray {
    @IsArray()
    @IsString({ each: true })
    @MaxLength(5, { each: true })
    notes!: string[];
  }
  class EachWithoutArray {
    @IsString({ each: true })
    @MaxLength(5, { each: true })
    notes!: string[];
  }
  class FlaggedPattern {
    @Matches(/^[a-z]+$/i)
    @MaxLength(5)
    code!: string;
  }
  class Untyped {
    @Describe('what is it?')
    mystery!: unknown;
  }
  class Grouped {
    @IsString({ groups: ['admin'] })
    @MaxLength(5)
    note!: string;
  }
  class Undecorated {
    note?: string;
  }
  class RequiredWhenNobody {
    @RequiredWhen('stage', ['final'])
    @IsString()
    @MaxLength(5)
    note?: string;
  }
  class OptionalAndRequiredWhen {
    @IsBoolean()
    isMinor!: boolean;

    @Optional()
    @RequiredWhen('isMinor', [true])
    @IsString()
    @MaxLength(5)
    guardian?: string;
  }

  it.each([
    [UnknownDecorator, /UnknownDecorator\.email: @isEmail has no JSON Schema mapping/],
    [NullableOptional, /NullableOptional\.note: use @Optional\(\)/],
    [NestedWithoutType, /needs @Type/],
    [TypeWithoutNested, /@Type without @ValidateNested/],
    [NestedWithoutIsObject, /needs @IsObject/],
    [UnboundedString, /a string needs @MaxLength/],
    [UnboundedArray, /an array needs @ArrayMaxSize/],
    [EachWithoutArray, /needs @IsArray/],
    [FlaggedPattern, /@Matches with flags/],
    [Untyped, /no type decorator/],
    [Grouped, /groups and conditions/],
    [Undecorated, /has no validation decorators/],
    [RequiredWhenNobody, /@RequiredWhen names stage, no such property/],
    [OptionalAndRequiredWhen, /@Optional and @RequiredWhen together/],
  ])('refuses %p instead of publishing a schema that drifts', (dataClass, message) => {
    expect(() => generateJsonSchema(aDefinition(dataClass))).toThrow(SchemaDefinitionError);
    expect(() => generateJsonSchema(aDefinition(dataClass))).toThrow(message);
  });

  it('makes a registry holding such a type fail when built, not at the first request', () => {
    expect(() => new SchemaRegistry([aDefinition(UnknownDecorator)])).toThrow(SchemaDefinitionError);
  });
});
