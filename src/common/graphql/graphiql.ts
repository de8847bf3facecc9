import type { ApolloServerPlugin } from '@apollo/server';
import { Controller, Get, Module, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * GraphiQL served from the project's own dependencies (graphiql's UMD bundle,
 * React 18), so it works without internet: @nestjs/apollo's page loads them
 * from a CDN and shows "Loading..." forever offline.
 */
const ASSETS_PATH = '/graphiql';
const require = createRequire(import.meta.url);
const ASSETS: Record<string, { pkg: string; path: string; type: string }> = {
  'react.js': { pkg: 'react', path: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': {
    pkg: 'react-dom',
    path: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
  'graphiql.js': { pkg: 'graphiql', path: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', path: 'graphiql.min.css', type: 'text/css' },
};

@Controller('graphiql')
class GraphiqlAssetsController {
  private readonly cache = new Map<string, Buffer>();

  @Get(':file')
  async asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException();
    let body = this.cache.get(file);
    if (!body) {
      // Through package.json: the packages' "exports" do not list these files.
      body = await readFile(
        join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.path),
      );
      this.cache.set(file, body);
    }
    void reply
      .header('content-type', `${asset.type}; charset=utf-8`)
      .header('cache-control', 'public, max-age=86400')
      .send(body);
  }
}

/** Serves GraphiQL's files; imported only outside production. */
@Module({ controllers: [GraphiqlAssetsController] })
export class GraphiqlModule {}

/** Apollo's landing page at the GraphQL path: GraphiQL on the files above. */
export function graphiqlLandingPage(graphqlPath: string): ApolloServerPlugin {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphiQL · Rizom Conversations</title>
<style>body{margin:0;height:100vh;overflow:hidden}#graphiql{height:100vh}</style>
<link rel="stylesheet" href="${ASSETS_PATH}/graphiql.css">
<script src="${ASSETS_PATH}/react.js"></script>
<script src="${ASSETS_PATH}/react-dom.js"></script>
<script src="${ASSETS_PATH}/graphiql.js"></script>
</head>
<body>
<div id="graphiql">Loading…</div>
<script>
const url = new URL(${JSON.stringify(graphqlPath)}, location.href);
const subscriptionUrl = url.href.replace(/^http/, 'ws');
const fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: true }),
);
</script>
</body>
</html>`;
  return {
    async serverWillStart() {
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}
