/** An error in what the user asked for: the CLI prints its message as one line, exit code 2. */
export class UsageError extends Error {}
