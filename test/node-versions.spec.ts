import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};

interface LockEntry {
  version?: string;
  optional?: boolean;
  engines?: { node?: string };
}

describe('the Node versions the README promises', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const readme = readFileSync('README.md', 'utf8');

  it('include the Node running the tests', () => {
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
    expect(readme).toContain(`Node ${pkg.engines.node.replace(/^>=/, '')} or newer`);
  });

  it('name every installed package that declares it needs a newer Node', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const needNewer = Object.entries(lock.packages)
      .filter(([path, entry]) => path && entry.engines?.node && existsSync(path))
      .filter(([, entry]) => !semver.satisfies(process.versions.node, entry.engines!.node!))
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    for (const name of needNewer) expect(readme).toContain(`\`${name}\``);
  });
});
