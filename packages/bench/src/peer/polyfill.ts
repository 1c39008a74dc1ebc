/**
 * Loaded first by the peer server, before anything from PostGraphile is imported.
 *
 * - PostGraphile 5 (grafast, @dataplan/pg, grafserv) calls `Promise.withResolvers` (ES2024,
 *   Node ≥ 22). On Node 20 it is missing and every query answers a masked error; this adds it.
 *   Only this process is patched: nothing else in the benchmark imports this module.
 * - grafast decides development/production mode once, when it is first loaded, from
 *   GRAPHILE_ENV (else NODE_ENV); development mode adds costly planning checks. The peer runs in
 *   production mode unless told otherwise.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseWithResolvers = Promise as PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

if (typeof PromiseWithResolvers.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve'];
      let reject!: Resolvers<T>['reject'];
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

process.env.NODE_ENV ??= 'production';
process.env.GRAPHILE_ENV ??= 'production';

export {};
