/** One operation of the OpenAPI document the gateway serves. */
export interface ApiOperation {
  method: string;
  /** The OpenAPI path, with `{name}` placeholders. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** The media types its request body may have; empty when it takes none. */
  bodyTypes: string[];
  /** The JSON Schema of a JSON request body, its `$ref`s resolved. */
  bodySchema?: JsonSchema;
  /** Who may call it: nobody needs credentials, an administrator, or a participant. */
  caller: 'anyone' | 'admin' | 'participant';
}

export type JsonSchema = Record<string, any>;

/** Reads every operation from the gateway's own `/openapi.json`, so a new route is covered at once. */
export async function apiOperations(gatewayUrl: string): Promise<ApiOperation[]> {
  const document = (await (await fetch(`${gatewayUrl}/openapi.json`)).json()) as JsonSchema;
  const resolve = (schema: JsonSchema | undefined, depth = 0): JsonSchema | undefined => {
    if (schema === undefined || depth > 10) return schema;
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/components/schemas/', '');
      return resolve(document.components?.schemas?.[name], depth + 1);
    }
    const resolved: JsonSchema = { ...schema };
    if (schema.properties !== undefined) {
      resolved.properties = Object.fromEntries(
        Object.entries(schema.properties as Record<string, JsonSchema>).map(([k, v]) => [
          k,
          resolve(v, depth + 1),
        ]),
      );
    }
    if (schema.items !== undefined) resolved.items = resolve(schema.items, depth + 1);
    if (Array.isArray(schema.allOf))
      return resolve(
        Object.assign({}, ...schema.allOf.map((s: JsonSchema) => resolve(s, depth + 1))),
        depth + 1,
      );
    return resolved;
  };
  const operations: ApiOperation[] = [];
  for (const [path, methods] of Object.entries(
    document.paths as Record<string, Record<string, JsonSchema>>,
  )) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? []) as { name: string; in: string }[];
      const content = (operation.requestBody?.content ?? {}) as Record<string, { schema?: JsonSchema }>;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyTypes: Object.keys(content),
        bodySchema: resolve(content['application/json']?.schema),
        caller:
          operation.security === undefined
            ? 'anyone'
            : path.startsWith('/v1/admin/')
              ? 'admin'
              : 'participant',
      });
    }
  }
  return operations;
}

/** The operation's path with each `{name}` replaced (values URL-encoded unless `raw`). */
export function pathOf(operation: ApiOperation, value: (name: string) => string, raw = false): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    raw ? value(name) : encodeURIComponent(value(name)),
  );
}
