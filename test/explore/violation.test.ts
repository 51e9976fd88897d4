import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Violation, describeThrown } from '../../src/explore/violation.js';

/** Values code under test may throw that throw in turn when the checker reads them. */
function hostile(): [string, () => unknown, RegExp][] {
  return [
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
      /^a value that throws when it is read/,
    ],
    [
      'an Error whose message getter throws',
      () =>
        Object.defineProperty(new TypeError('x'), 'message', {
          get() {
            throw new Error('no');
          },
        }),
      /^TypeError: \(its message cannot be read\)$/,
    ],
    [
      'a Proxy whose every trap throws',
      () =>
        new Proxy(
          {},
          {
            get() {
              throw new Error('no');
            },
            getPrototypeOf() {
              throw new Error('no');
            },
          },
        ),
      /^a value that throws when it is read/,
    ],
    [
      'an object whose toString throws',
      () => ({
        toString() {
          throw new Error('no');
        },
      }),
      /^\[object Object\]$/,
    ],
    ['a huge string', () => 'x'.repeat(1e6), /^"x+…$/],
    ['a symbol', () => Symbol('s'), /^Symbol\(s\)$/],
  ];
}

describe('describeThrown: never throws, whatever was thrown', () => {
  for (const [name, make, expected] of hostile()) {
    it(name, () => {
      const text = describeThrown(make());
      assert.match(text, expected);
      assert.ok(text.length <= 301, `${text.length} characters`);
    });
  }
  it('an Error as before: its name and message', () => {
    assert.equal(describeThrown(new TypeError('x is null')), 'TypeError: x is null');
    assert.equal(describeThrown(new Error('plain')), 'plain');
  });
});

describe('instanceof Violation: what the constructor made, and nothing else', () => {
  it('a Violation is one; a Proxy that says so, a revoked Proxy and an Error are not', () => {
    assert.ok(new Violation('threw', 'x') instanceof Violation);
    const liar = new Proxy({}, { getPrototypeOf: () => Violation.prototype });
    assert.equal(liar instanceof Violation, false);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    assert.equal(proxy instanceof Violation, false);
    assert.equal(new Error('x') instanceof Violation, false);
    assert.equal(Object.create(Violation.prototype) instanceof Violation, false);
  });
  it('a subclass checks its own prototype too', () => {
    class Other extends Violation {}
    assert.ok(new Other('k', 'm') instanceof Violation);
    assert.ok(new Other('k', 'm') instanceof Other);
    assert.equal(new Violation('k', 'm') instanceof Other, false);
  });
});
