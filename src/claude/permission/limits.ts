// Sizes shared by agentctl's hook scripts.

/** One line of an events file (and one recorded request) is cut here (bytes of JSON). */
export const MAX_LINE_BYTES = 64 * 1024;
