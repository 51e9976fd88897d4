import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Frontier } from '../../src/explore/frontier.js';

describe('Frontier: a layer as packed rows', () => {
  it('gives back what was pushed, through growth, with path counts and sleep fields', () => {
    const worlds = ['w0', 'w1'];
    const layer = new Frontier<string>(
      2,
      3,
      (i) => worlds[i]!,
      (w) => worlds.indexOf(w),
    );
    for (let i = 0; i < 200; i++) {
      layer.push({
        id: 1000 + i,
        memory: Int32Array.of(i, -i),
        world: worlds[i % 2]!,
        logs: Int32Array.of(i, i + 1, i + 2),
        paths: i,
        ...(i === 7 ? { only: 5, concrete: 'k' } : {}),
      });
    }
    assert.equal(layer.length, 200);
    layer.addPaths(150, 0.5);
    const n = layer.at(150);
    assert.deepEqual(
      { ...n, memory: [...n.memory], logs: [...n.logs] },
      { id: 1150, world: 'w0', memory: [150, -150], logs: [150, 151, 152], paths: 150.5 },
    );
    assert.equal(layer.id(199), 1199);
    assert.deepEqual(layer.extra(7), { sleep: undefined, only: 5, concrete: 'k' });
    layer.setSleep(7, new Map());
    assert.equal(layer.at(7).only, 5);
    assert.equal(layer.at(7).sleep?.size, 0);
    assert.equal(layer.extra(8), undefined);
  });
});
