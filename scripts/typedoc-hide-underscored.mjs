// TypeDoc plugin (typedoc.json): a name with a leading underscore is internal
// by this project's convention, so it stays out of the API reference even
// where its comment lacks the @internal tag.
import { Converter, ReflectionKind } from 'typedoc';

export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const hidden = context.project.getReflectionsByKind(ReflectionKind.All).filter((r) => r.name.startsWith('_'));
    for (const reflection of hidden) context.project.removeReflection(reflection);
  });
}
