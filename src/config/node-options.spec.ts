import { readFileSync } from 'node:fs';
import { API_NODE_OPTIONS } from './node-options.js';

describe("the API's Node.js options", () => {
  it('are on every script that starts the API', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const name of ['start', 'start:api']) {
      const launch = /(?:^|&& )(?:\w+=\S+ )*node ((?:--\S+ )*)dist\/src\/main\.js/.exec(
        scripts[name]!,
      );
      expect(launch).not.toBeNull();
      expect(launch![1]!.trim().split(' ')).toEqual([...API_NODE_OPTIONS]);
    }
  });
});
