/**
 * `HttpHeaders`: the request's headers as the parser left them (names as sent, in order),
 * looked up case-insensitively. No map is built: a request has few headers, and a linear scan
 * with a length check first is cheaper than hashing every name of every request.
 *
 * Invariants (test/http/server.test.ts): `get` joins repeated headers with ", " (`set-cookie`
 * too, as Fetch's `Headers.get` does); `entries()` yields lowercased names in arrival order.
 * @module
 */

/**
 * Read-only, case-insensitive request headers.
 *
 * @example
 * ```ts
 * const type = req.headers.get('content-type'); // null when absent
 * for (const [name, value] of req.headers.entries()) console.log(name, value);
 * ```
 */
export class HttpHeaders implements Iterable<[string, string]> {
  /** @internal */
  constructor(
    private readonly names: readonly string[],
    private readonly values: readonly string[],
  ) {}

  private indexFrom(lname: string, from: number): number {
    const names = this.names;
    const n = lname.length;
    for (let i = from; i < names.length; i++) {
      const k = names[i]!;
      if (k.length === n && (k === lname || k.toLowerCase() === lname)) return i;
    }
    return -1;
  }

  /**
   * The value of `name` (any case), repeated headers joined by ", ", or null.
   *
   * @example
   * ```ts
   * req.headers.get('Content-Type'); // 'application/json'
   * ```
   */
  get(name: string): string | null {
    const l = name.toLowerCase();
    let i = this.indexFrom(l, 0);
    if (i < 0) return null;
    let v = this.values[i]!;
    while ((i = this.indexFrom(l, i + 1)) >= 0) v += ', ' + this.values[i]!;
    return v;
  }

  /**
   * True when `name` (any case) is present.
   *
   * @example
   * ```ts
   * if (req.headers.has('authorization')) authenticate(req);
   * ```
   */
  has(name: string): boolean {
    return this.indexFrom(name.toLowerCase(), 0) >= 0;
  }

  /**
   * Every header as `[lowercased name, value]`, in arrival order (repeats not joined).
   *
   * @example
   * ```ts
   * const all = [...req.headers.entries()];
   * ```
   */
  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.names.length; i++) yield [this.names[i]!.toLowerCase(), this.values[i]!];
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.entries();
  }

  /**
   * The names as sent and their values, flattened like node's `rawHeaders`.
   *
   * @example
   * ```ts
   * req.headers.raw(); // ['Host', 'x', 'Accept', '*\/*']
   * ```
   */
  raw(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.names.length; i++) out.push(this.names[i]!, this.values[i]!);
    return out;
  }
}
