/** Class on the element the panel mounts into; every CSS selector of ours and Element Plus's is scoped under it. */
export const ROOT_CLASS = 'cobs-root';
