/**
 * Golden tests, the larger corpus: herdtools7's 79 catalogue/linux tests
 * (test/fixtures/litmus/herd-linux/README.md: origin and licences) under LKMM print herd7's
 * block, line for line, as herdtools7 stores it in each NAME.litmus.expected, apart from the
 * Time and Hash lines. pageref's own remarks follow the block, each line starting `pageref:`.
 */
import { fileURLToPath } from 'node:url';
import { matchesHerd7 } from '../helpers/herdGolden.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/litmus/herd-linux/', import.meta.url));

matchesHerd7("herdtools7's catalogue/linux tests under LKMM match herd7", DIR, 79);
