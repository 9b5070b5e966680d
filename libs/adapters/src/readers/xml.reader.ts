import { SaxesParser } from 'saxes';
import { UnusableInput } from '../contract';
import { assertUtf8, textChunks } from './utf8';

/** An element of a record, with its attributes, child elements and own text. */
export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  text: string;
}

/** One record element (`Case`): its number (from 1) and its tree. */
export interface XmlRecord {
  record: number;
  element: XmlElement;
}

/**
 * Runs a non-validating, non-fetching parser over a file, refusing any `<!DOCTYPE` (and so any
 * `<!ENTITY`, which only a DOCTYPE can declare): no entity is ever expanded or fetched. Calls
 * `onRecord` with each complete `recordName` element under the root `rootName`.
 */
async function* parse(file: string, rootName: string, recordName: string): AsyncIterable<XmlElement> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const done: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let failure: Error | undefined;
  let sawRoot = false;
  parser.on('doctype', () => {
    failure ??= new UnusableInput(`${file} declares a DOCTYPE: no DTD or entity is accepted`);
  });
  parser.on('error', (error) => {
    failure ??= new UnusableInput(`${file} is not well-formed XML: ${error.message}`);
  });
  parser.on('opentag', (tag) => {
    if (stack.length === 0 && !sawRoot) {
      sawRoot = true;
      if (tag.name !== rootName)
        failure ??= new UnusableInput(`${file}: the root element is ${tag.name}, not ${rootName}`);
    }
    const element: XmlElement = {
      name: tag.name,
      attributes: { ...(tag.attributes as Record<string, string>) },
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  // A CDATA section is text too (`<Place><![CDATA[Shelter & home]]></Place>`).
  const onText = (text: string) => {
    const current = stack.at(-1);
    if (current !== undefined) current.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const element = stack.pop()!;
    // Only records are kept: the root does not hold on to what was already handed on.
    if (stack.length === 1 && element.name === recordName) {
      done.push(element);
      stack[0].children.length = 0;
    }
  });
  for await (const chunk of textChunks(file)) {
    parser.write(chunk);
    if (failure !== undefined) throw failure;
    yield* done.splice(0);
  }
  parser.close();
  if (failure !== undefined) throw failure;
  if (!sawRoot) throw new UnusableInput(`${file} holds no XML element`);
  yield* done.splice(0);
}

/**
 * The record elements of an XML file, streamed. A first pass checks the encoding, that the
 * whole document is well-formed, has no DOCTYPE, and has the expected root.
 */
export async function* xmlRecords(
  file: string,
  rootName: string,
  recordName: string,
): AsyncIterable<XmlRecord> {
  await assertUtf8(file);
  try {
    for await (const _ of parse(file, rootName, recordName)) {
      // The first pass only checks.
    }
  } catch (error) {
    if (error instanceof UnusableInput) throw error;
    throw new UnusableInput(`${file} is not well-formed XML: ${(error as Error).message}`);
  }
  let record = 0;
  for await (const element of parse(file, rootName, recordName)) yield { record: ++record, element };
}

/** The child elements of `element` named `name`. */
export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((c) => c.name === name);

/** The first child element named `name`, if any. */
export const childNamed = (element: XmlElement, name: string) =>
  element.children.find((c) => c.name === name);
