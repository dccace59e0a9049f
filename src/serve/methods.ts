/** Which methods each route answers, to tell a wrong method (405) from an unknown path (404). */
export type RouteMethods = ReadonlyMap<string, ReadonlySet<string>>;

/** The methods allowed on the path of `url` (its query ignored), sorted; undefined when no route has that path. */
export function allowMethods(routes: RouteMethods, url: string): string[] | undefined {
  const methods = routes.get(url.split('?')[0]);
  return methods === undefined ? undefined : [...methods].sort();
}
