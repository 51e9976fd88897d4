/**
 * The README is the front page and docs/ holds the chapters (issue 19 item 9): the README
 * opens with the two commands, and every relative link in the documents lands on a file, and
 * on a heading when it names one.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headingAnchors, relativeLinks } from '../helpers/markdown.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const markdownIn = (folder: string) =>
  readdirSync(join(ROOT, folder))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `${folder}/${f}`);

const DOCUMENTS = [
  'README.md',
  ...markdownIn('docs'),
  'packages/pageref/README.md',
  ...markdownIn('packages/pageref/docs'),
];

it('the README opens with the two commands, and each is a script of package.json', () => {
  const first = /```sh\n([\s\S]*?)```/.exec(read('README.md'))!;
  assert.equal(first.index, read('README.md').indexOf('```'), 'the first code block');
  const commands = first[1]!.split('\n').map((l) => l.replace(/\s+#.*$/, ''));
  assert.deepEqual(commands.slice(0, 2), ['npm ci && npm start', 'npm test']);
  const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  assert.ok(scripts.start && scripts.test);
});

it('every relative link in the README, docs/ and the package lands on a file and heading', () => {
  assert.ok(DOCUMENTS.length >= 10, DOCUMENTS.join(', '));
  const wrong: string[] = [];
  for (const doc of DOCUMENTS) {
    for (const { path, fragment } of relativeLinks(read(doc))) {
      const target = path === '' ? doc : join(dirname(doc), path);
      if (!existsSync(join(ROOT, target))) {
        wrong.push(`${doc} links to ${path}: no such file`);
      } else if (fragment !== undefined && !headingAnchors(read(target)).has(fragment)) {
        wrong.push(`${doc} links to ${path}#${fragment}: no such heading`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
