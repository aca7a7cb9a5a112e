/** What `init` and `doctor` ask a Prometheus: instant queries at one time, answered as label sets. */
import { getJson, InspectError, type Deadline, type Endpoint } from './client';

export interface PrometheusReader {
  /** The series of an instant query at the inspected time, as their label sets. */
  series(expr: string): Promise<Array<Record<string, string>>>;
  /** Whether the query returns anything. */
  has(expr: string): Promise<boolean>;
  /**
   * Whether any series matches the selector within the last `seconds` before the inspected time: asked of the index
   * (`/api/v1/labels?match[]=`), which reads no samples, so it stays fast on a large fleet.
   */
  exists(selector: string, seconds: number): Promise<boolean>;
}

interface VectorAnswer {
  resultType: string;
  result: Array<{ metric: Record<string, string> }>;
}

/** A reader at time `at`; its first call proves the URL is a Prometheus (or refuses it in one line). */
export async function prometheusReader(endpoint: Endpoint, at: number, deadline: Deadline): Promise<PrometheusReader> {
  const query = async (expr: string) => {
    const data = (await getJson(endpoint, 'Prometheus', '/api/v1/query', { query: expr, time: String(at) }, deadline,
      'POST')) as VectorAnswer | undefined;
    if (!data || !Array.isArray(data.result)) {
      throw new InspectError(`${endpoint.url} answered /api/v1/query without a result: is it a Prometheus?`);
    }
    return data;
  };
  const probe = await query('vector(1)');
  if (probe.resultType !== 'vector') {
    throw new InspectError(`${endpoint.url} answered /api/v1/query unlike a Prometheus; give the Prometheus base URL`);
  }
  // Many small queries: a few at a time keeps the server and the deadline comfortable.
  let running = 0;
  const waiting: Array<() => void> = [];
  const limited = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= 6) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  const cache = new Map<string, Promise<Array<Record<string, string>>>>();
  const series = (expr: string) => {
    let answer = cache.get(expr);
    if (!answer) {
      answer = limited(async () => (await query(expr)).result.map((item) => item.metric));
      cache.set(expr, answer);
    }
    return answer;
  };
  const labelNames = new Map<string, Promise<boolean>>();
  const exists = (selector: string, seconds: number) => {
    const key = `${seconds}|${selector}`;
    let answer = labelNames.get(key);
    if (!answer) {
      const params = { 'match[]': selector, start: String(at - seconds), end: String(at) };
      answer = limited(async () => {
        const names = (await getJson(endpoint, 'Prometheus', '/api/v1/labels', params, deadline)) as string[] | null;
        return (names ?? []).length > 0;
      });
      labelNames.set(key, answer);
    }
    return answer;
  };
  return { series, has: async (expr) => (await series(expr)).length > 0, exists };
}
