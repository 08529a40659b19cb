/** What render and start say about images that `pulumi up` resolves and they print as tags. */
import { Problems, type Problem } from "../../components/model/problems";
import { refreshingIntegrations } from "../../components/model/settings/imageRefresh";
import type { StackInput } from "./stackInput";

/**
 * Says when the images printed are not what `pulumi up` deploys (the stack refreshes images and
 * the command stays offline), ending with `pin`, how to pin them (default: render's flag); or
 * when `--resolve-images` has nothing to resolve.
 */
export function imageNotes(
  input: StackInput,
  resolveImages: boolean,
  pin = "add --resolve-images to pin them",
): Problem[] {
  // Integrations the image lock pins already show the locked digest: only the others' tags.
  const refreshing = refreshingIntegrations(input.resolved).filter(
    (i) => i.imageRefresh?.locked === undefined,
  ).length;
  const problems = new Problems();
  const key = `${input.project.name}:imageRefresh`;
  if (!resolveImages && refreshing > 0) {
    problems.note(
      input.settings.source,
      key,
      `images were not resolved: ${refreshing} integration${refreshing === 1 ? "" : "s"} show ` +
        `their tag where \`pulumi up\` deploys the registry's digest; ${pin}`,
    );
  } else if (
    resolveImages &&
    refreshingIntegrations(input.resolved).length === 0 &&
    input.resolved.integrations.length > 0
  ) {
    problems.note(
      input.settings.source,
      undefined,
      "--resolve-images found nothing to resolve: every CR opts out " +
        '(integrations.wso2.com/image-refresh: "false") or is pinned by digest',
    );
  }
  return problems.list;
}
