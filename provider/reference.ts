/**
 * The image-reference grammar as the serialized provider `require`s it: by this path, relative to
 * the project folder, from the text stored in every stack's state. The grammar itself lives in the
 * model (`components/model/rules/imageReference.ts`); this path stays so that providers stored
 * before and after the move load the same code. Do not move or remove this file.
 */
export * from "../components/model/rules/imageReference";
