// What a Host's ssh host, user and jump hops may look like (pure): shell-safe, never an option.

/** Host names, users and jump hops as ssh takes them. ssh hands a ProxyJump chain to a local shell
 * (`ssh -W ...` as a ProxyCommand) unquoted, so these are kept to characters no shell treats
 * specially, and none may start with `-` (it would read as an option). */
export const SSH_HOST_PATTERN = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)$/;
export const SSH_USER_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
export const SSH_JUMP_PATTERN =
  /^(?:[A-Za-z0-9_][A-Za-z0-9._-]*@)?(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
