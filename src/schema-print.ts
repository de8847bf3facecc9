import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { buildSdl } from './graphql-schema.js';

/** `npm run schema:print`: writes schema.gql from the code. */
await writeFile('schema.gql', await buildSdl());
process.stdout.write('wrote schema.gql\n');
