// Resolves shared/entities/registry.ts to the test-only v1 registry beside this file.
const V1 = new URL('./registry-v1.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.endsWith('/shared/entities/registry.ts') && !context.parentURL?.endsWith('/registry-v1.ts')) {
    return { ...resolved, url: V1 };
  }
  return resolved;
}
