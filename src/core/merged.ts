// Objects merged without a hidden class of their own per call.
//
// On Node 20 (V8 11.3) an object literal that begins with a spread, `{ ...a, b }` or `{ ...(c ? { x } : {}), ...d }`,
// gets a map (V8's hidden class) that no transition tree holds: every property added after the spread makes a new
// map and descriptor array, in the old generation at once, where only a full collection takes them back (~1 µs a
// property, against ~0.2 µs for the same object built by Object.assign). A daemon cycle made 22 such maps; at 10,000
// targets that was most of the old generation's garbage (bench/README.md, scale round 7). Object.assign onto a
// fresh `{}` follows the transitions every such object shares. A literal that begins with a plain property
// (`{ ts, ...rest }`) is not affected. The values are the same as the spread's; only a `__proto__` key would differ
// (Object.assign sets the prototype), and the objects merged here are the guard's own.

/** The type of `{ ...a, ...b }` (over each member of a union `A`, as a spread's is). */
export type Merged<A, B> = A extends unknown ? Omit<A, keyof B> & B : never;

/** `{ ...a, ...b }`: b's fields win; a field of `b` that is undefined is copied as undefined, as a spread does. */
export function merged<A extends object, B extends object>(a: A, b: B): Merged<A, B> {
  return Object.assign({}, a, b) as unknown as Merged<A, B>;
}
