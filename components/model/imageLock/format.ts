/**
 * The text of an image lock, as `npm run images -- --update` writes it: a comment saying what the
 * file is, then every image sorted by reference, each field quoted (a tag such as `1.10` stays a
 * string). The same images always give the same bytes.
 */
import { compareStrings } from "../rules/order";
import type { LockedImage } from "../types";
import { LOCKED_IMAGE_FIELDS } from "./read";

/** The lock file of stack `stack` holding `images`, keyed by reference as the CRs write it. */
export function formatImageLock(
  stack: string,
  images: Readonly<Record<string, LockedImage>>,
): string {
  const lines = [
    `# The image lock of stack ${stack}: the tag and digest each image deploys. pulumi preview,`,
    "# pulumi up and npm run render deploy exactly these digests and ask no registry for them",
    "# (pulumi up checks that a new digest still exists before it rolls out). Written by",
    `# npm run images -- --stack ${stack} --update; review a change to it like code.`,
  ];
  const references = Object.keys(images).sort(compareStrings);
  if (references.length === 0) return `${lines.join("\n")}\nimages: {}\n`;
  lines.push("images:");
  for (const reference of references) {
    lines.push(`  ${JSON.stringify(reference)}:`);
    for (const field of LOCKED_IMAGE_FIELDS) {
      lines.push(`    ${field}: ${JSON.stringify(images[reference][field])}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
