import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { Viewer } from '../auth/viewer.guard.js';
import { rateLimitAddress, type GraphQLContext } from '../common/graphql-context.js';
import { UserEntity } from '../users/user.entity.js';
import { ResponsesService } from './responses.service.js';

/** The response editor's preview. */
@Resolver()
export class MarkdownPreviewResolver {
  constructor(private readonly responseService: ResponsesService) {}

  @Query(() => String, {
    description:
      'Markdown rendered and sanitized exactly as a posted response would be; ' +
      'at most RESPONSE_MAX_LENGTH characters, rate limited per client. Nothing is stored.',
  })
  previewMarkdown(
    @Args('markdown') markdown: string,
    @Viewer() viewer: UserEntity | null,
    @Context() context: GraphQLContext,
  ): Promise<string> {
    return this.responseService.preview(markdown, viewer?.id ?? rateLimitAddress(context));
  }
}
