// Writes schema/results.schema.json from its one definition in @bnx/results (run by `pnpm build`, which
// builds @bnx/results first). src/results/results-schema.test.ts fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { resultsJsonSchemaText } from '@bnx/results';

writeFileSync(new URL('../schema/results.schema.json', import.meta.url), resultsJsonSchemaText());
