/** Keeps each dashboard ConfigMap within what Kubernetes and kubectl accept. */
import { ConfigError } from '../config';
import { metadataRules } from '../model/kubernetes';
import type { ConfigMap } from './manifests';

/** Client-side `kubectl apply` stores the object in this annotation, and all annotations together are capped. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const annotationsLimitBytes = metadataRules.annotationsMaxBytes;
/** A ConfigMap's data is capped at 1 MiB; the whole manifest under it leaves that cap unreachable. */
export const configMapLimitBytes = 1_048_576;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/**
 * kubectl writes the annotation with Go's encoding/json, which escapes `<`, `>`, `&`, U+2028 and U+2029 that
 * JSON.stringify keeps.
 */
export function goJsonByteLength(value: unknown): number {
  const json = JSON.stringify(value);
  return bytes(json) + 5 * count(json, /[<>&]/g) + 3 * count(json, /[\u2028\u2029]/g);
}

/** Bytes of all annotations once client-side apply has added its copy of the object as applied in `namespace`. */
export function annotationsAfterClientSideApply(configMap: ConfigMap, namespace: string): number {
  const applied = { ...configMap, metadata: { ...configMap.metadata, namespace } };
  const annotations = Object.entries(configMap.metadata.annotations ?? {});
  const own = annotations.reduce((sum, [key, value]) => sum + bytes(key) + bytes(value), 0);
  return own + bytes(lastAppliedAnnotation) + goJsonByteLength(applied);
}

const formatBytes = (n: number) => n.toLocaleString('en-US');

/** Throws one line naming the dashboard, its size, the limit and the way out. */
export function checkConfigMapSize(options: {
  source: string;
  configMap: ConfigMap;
  file: string;
  namespace: string;
  serverSideApply: boolean;
}): void {
  const { source, configMap, file, namespace, serverSideApply } = options;
  const name = configMap.metadata.name;
  const fileBytes = bytes(file);
  if (serverSideApply) {
    if (fileBytes >= configMapLimitBytes) {
      const limit = `the ${formatBytes(configMapLimitBytes)}-byte ConfigMap limit`;
      throw new ConfigError(
        `${source}: ConfigMap ${name} would be ${formatBytes(fileBytes)} bytes, over ${limit} ` +
          'even with kubectl apply --server-side; make the dashboard smaller or split it.',
      );
    }
    return;
  }
  const needed = Math.max(fileBytes, annotationsAfterClientSideApply(configMap, namespace));
  if (needed >= annotationsLimitBytes) {
    const kept = 'that client-side kubectl apply can keep in its last-applied annotation';
    const limit = `the ${formatBytes(annotationsLimitBytes)} ${kept}`;
    throw new ConfigError(
      `${source}: ConfigMap ${name} needs ${formatBytes(needed)} bytes, over ${limit}; ` +
        'install with kubectl apply --server-side and set packaging.serverSideApply: true, ' +
        'or make the dashboard smaller.',
    );
  }
}
