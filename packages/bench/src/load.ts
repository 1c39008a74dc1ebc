/** Fixed-concurrency HTTP load with autocannon: requests per second and latency percentiles. */
import autocannon from 'autocannon';

export interface LoadResult {
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface GraphQLRequest {
  url: string;
  body: string;
  headers?: Record<string, string>;
}

export async function runLoad(request: GraphQLRequest, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: request.url,
    method: 'POST',
    body: request.body,
    headers: { 'content-type': 'application/json', ...request.headers },
    connections,
    duration: seconds,
    // One request in flight per connection: concurrency is exactly `connections`.
    pipelining: 1,
  });
  return {
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
